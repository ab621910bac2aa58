"""The retrieval policy both engines share: which match mode answers a query."""

from __future__ import annotations

from indexer.engines.base import SearchEngine, SearchResult
from indexer.queries import SearchQuery


def retrieve(engine: SearchEngine, query: SearchQuery) -> SearchResult:
    """BM25 over any of the query's words (synonyms included)."""
    return engine.search(query.with_match("any"))
