"""The retrieval policy both engines share: which postings answer a query, in which order.

Postings that contain the query's own words come first, ranked by BM25 over those words.
Postings found only through synonyms (电焊工 → 焊工) follow, ranked by BM25 over the
synonyms: a rare synonym's weight would otherwise lift them above exact matches.
"""

from __future__ import annotations

from dataclasses import replace

from indexer.engines.base import SearchEngine, SearchResult
from indexer.queries import SearchQuery


def retrieve(engine: SearchEngine, query: SearchQuery) -> SearchResult:
    """One page of the query's postings (exact-word tier, then synonym tier) and the total."""
    if not any(len(group) > 1 for group in query.terms):
        return engine.search(query)
    words = tuple(group[0] for group in query.terms)
    exact = replace(query, terms=tuple((word,) for word in words), facets=False)
    synonyms_only = replace(query, exclude=words, facets=False)
    first = engine.search(exact)
    # the synonym tier's size (and facets over both tiers) come from the expanded query
    expanded = engine.search(replace(query, offset=0, limit=0))
    exact_total = first.total
    hits = list(first.hits)
    if len(hits) < query.limit:
        start = max(0, query.offset - exact_total)
        rest = engine.search(replace(synonyms_only, offset=start, limit=query.limit - len(hits)))
        hits.extend(rest.hits)
    return SearchResult(
        hits=hits,
        total=expanded.total,
        facets=expanded.facets,
        total_is_exact=expanded.total_is_exact,
    )
