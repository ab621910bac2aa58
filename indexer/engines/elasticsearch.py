"""The cluster search engine: Elasticsearch 8.x over the same pre-tokenised documents as FTS5.

The only module that builds an Elasticsearch client. Searches go to the alias `{prefix}-jobs`;
a rebuild fills a new index `{prefix}-jobs-{timestamp}` and swaps the alias to it atomically,
so searches keep answering from the old index until the new one is complete.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from typing import Any

from elasticsearch import ApiError, Elasticsearch, NotFoundError, TransportError
from elasticsearch.helpers import BulkIndexError, streaming_bulk

from indexer.documents import (
    BODY_FIELD,
    ELASTICSEARCH_SCHEMA_VERSION,
    TEXT_FIELDS,
    elasticsearch_mapping,
    elasticsearch_settings,
    elasticsearch_source,
    epoch_millis,
)
from indexer.engines.base import (
    EngineHealth,
    Hit,
    SearchResult,
    SearchUnavailable,
    built_index_health,
)
from indexer.geo import distance_km
from indexer.queries import (
    ALL_WORDS_FIRST_ABOVE,
    FACET_FIELDS,
    PLACE_BOOST,
    POSTING_BOOST,
    SALARY_BANDS,
    PayFilter,
    SearchQuery,
    Sort,
    WordNode,
    boost_conditions,
)
from indexer.salary import SalaryUnit

log = logging.getLogger(__name__)

BULK_CHUNK = 500
# Bulk writes and index creation may take longer than a search; they get their own timeout.
WRITE_TIMEOUT = 120.0
# More buckets than a city has districts or the app has kinds: facets are exact.
_FACET_SIZE = 1000
# A place named in the query multiplies the score of postings there (as in FTS5).


def build_client(url: str, timeout: float) -> Elasticsearch:
    """The app's Elasticsearch client (connects lazily, on the first request)."""
    # the transport logs every request at INFO; failures still reach us as exceptions
    logging.getLogger("elastic_transport.transport").setLevel(logging.WARNING)
    return Elasticsearch(url, request_timeout=timeout, retry_on_timeout=True, max_retries=2)


class ElasticsearchEngine:
    name = "elasticsearch"

    def __init__(self, client: Elasticsearch, prefix: str) -> None:
        self.client = client
        self.prefix = prefix
        self.alias = f"{prefix}-jobs"
        # the concrete indexes this engine creates; anything else is never deleted
        self._own_index = re.compile(re.escape(self.alias) + r"-\d{20}")

    # -- errors --------------------------------------------------------------------------

    @contextmanager
    def _answering(self) -> Iterator[None]:
        """Turn an unreachable, overloaded or unbuilt cluster into `SearchUnavailable`."""
        try:
            yield
        except NotFoundError as error:
            raise SearchUnavailable(f"search index {self.alias} is not built") from error
        except TransportError as error:  # connection refused, timeouts, TLS
            raise SearchUnavailable(f"Elasticsearch is unreachable: {error}") from error
        except ApiError as error:
            if error.meta.status == 429 or error.meta.status >= 500:
                raise SearchUnavailable(f"Elasticsearch cannot answer: {error}") from error
            raise  # a 4xx is a bug in the request, not an outage
        except BulkIndexError as error:
            raise self._bulk_error(error.errors) from error

    def _bulk_error(self, items: list[dict[str, Any]]) -> Exception:
        """The error for failed bulk items: unavailable when the cluster, not the data, failed."""
        details = [next(iter(item.values())) for item in items]
        errors = [detail.get("error") or {} for detail in details]
        if any(error.get("type") == "index_not_found_exception" for error in errors):
            return SearchUnavailable(f"search index {self.alias} is not built")
        statuses = [int(detail.get("status", 0)) for detail in details]
        if all(status == 429 or status >= 500 for status in statuses):
            return SearchUnavailable(f"Elasticsearch refused {len(items)} writes: {errors[0]}")
        return RuntimeError(f"Elasticsearch rejected {len(items)} documents: {errors[0]}")

    # -- state ---------------------------------------------------------------------------

    def _alias_indexes(self) -> list[str]:
        """The concrete indexes behind the alias (one, or none before the first rebuild)."""
        response = self.client.options(ignore_status=404).indices.get_alias(name=self.alias)
        if response.meta.status == 404:
            return []
        return sorted(response.body)

    def meta(self) -> dict[str, Any]:
        with self._answering():
            mappings = self.client.indices.get_mapping(index=self.alias).body
        newest = max(mappings)  # the timestamp in the name orders them
        meta: dict[str, Any] = mappings[newest]["mappings"].get("_meta", {})
        return meta

    def count(self) -> int:
        with self._answering():
            return int(self.client.count(index=self.alias)["count"])

    def health(self, dictionary_version: str | None = None) -> EngineHealth:
        try:
            meta = self.meta()
            documents = self.count()
        except (SearchUnavailable, ApiError) as error:
            return EngineHealth(ok=False, engine=self.name, error=str(error))
        return built_index_health(
            self.name, meta, documents, dictionary_version, ELASTICSEARCH_SCHEMA_VERSION
        )

    # -- writing -------------------------------------------------------------------------

    def _bulk(
        self,
        index: str,
        documents: Iterable[Mapping[str, Any]],
        require_alias: bool = False,
    ) -> int:
        actions = (
            {
                "_op_type": "index",
                "_index": index,
                "_id": str(int(document["id"])),
                "_source": elasticsearch_source(document),
            }
            for document in documents
        )
        written = 0
        for ok, _item in streaming_bulk(
            self.client.options(request_timeout=WRITE_TIMEOUT),
            actions,
            chunk_size=BULK_CHUNK,
            require_alias=require_alias,
        ):
            written += ok
        return written

    def rebuild(self, documents: Iterable[Mapping[str, Any]], dictionary_version: str) -> int:
        """Build a complete new index and swap the alias to it; returns the number of documents."""
        building = f"{self.alias}-{datetime.now(UTC):%Y%m%d%H%M%S%f}"
        writer = self.client.options(request_timeout=WRITE_TIMEOUT)
        mappings = elasticsearch_mapping()
        mappings["_meta"] = {
            "dictionary_version": dictionary_version,
            "schema_version": ELASTICSEARCH_SCHEMA_VERSION,
            "built_at": int(time.time()),
        }
        with self._answering():
            # no refreshes while filling: nothing searches the new index before the swap
            writer.indices.create(
                index=building,
                settings={**elasticsearch_settings(), "refresh_interval": "-1"},
                mappings=mappings,
            )
            try:
                written = self._bulk(building, documents)
                writer.indices.put_settings(
                    index=building, settings={"index": {"refresh_interval": None}}
                )
                writer.indices.refresh(index=building)
                old = self._alias_indexes()
                # one request: searches see either the old index or the new, never neither
                writer.indices.update_aliases(
                    actions=[
                        *({"remove": {"index": name, "alias": self.alias}} for name in old),
                        {"add": {"index": building, "alias": self.alias}},
                    ]
                )
            except BaseException:
                # the half-built index goes; the live one is untouched (best effort: the
                # cluster may be the very thing that failed)
                with suppress(TransportError, ApiError):
                    writer.options(ignore_status=404).indices.delete(index=building)
                raise
            for name in old:
                writer.options(ignore_status=404).indices.delete(index=name)
        log.info("rebuilt %s as %s with %d documents", self.alias, building, written)
        return written

    def index(self, documents: Iterable[Mapping[str, Any]]) -> int:
        """Add or replace documents; searchable on return (read-your-writes)."""
        with self._answering():
            # require_alias: a write before the first rebuild must not auto-create an index
            written = self._bulk(self.alias, documents, require_alias=True)
            if written:
                self.client.indices.refresh(index=self.alias)
        return written

    def delete(self, job_ids: Iterable[int]) -> None:
        """Remove documents; ids that are not indexed are ignored."""
        actions = (
            {"_op_type": "delete", "_index": self.alias, "_id": str(int(job_id))}
            for job_id in job_ids
        )
        failed: list[dict[str, Any]] = []
        with self._answering():
            for ok, item in streaming_bulk(
                self.client.options(request_timeout=WRITE_TIMEOUT),
                actions,
                chunk_size=BULK_CHUNK,
                raise_on_error=False,
            ):
                # a missing document is a 404 without an error; a missing index has one
                if not ok and "error" in item["delete"]:
                    failed.append(item)
            if failed:
                raise self._bulk_error(failed)
            self.client.indices.refresh(index=self.alias)

    def drop(self) -> None:
        """Delete this engine's indexes (those behind the alias and unfinished builds)."""
        with self._answering():
            found = self.client.options(ignore_status=404).indices.get(
                index=f"{self.alias}-*", expand_wildcards="all"
            )
            names = set(self._alias_indexes())
            if found.meta.status != 404:
                names |= {name for name in found.body if self._own_index.fullmatch(name)}
            for name in sorted(names):
                self.client.options(ignore_status=404).indices.delete(index=name)

    # -- reading -------------------------------------------------------------------------

    def search(self, query: SearchQuery) -> SearchResult:
        """One page of matching jobs in the query's order, the total, and facets if asked.

        In relevance order the page is taken tier by tier (`relevance_tiers`, as FTS5 ranks):
        postings with every word first when more than `ALL_WORDS_FIRST_ABOVE` match any
        word, postings naming the occupation asked for before those with only other words.
        The total and the facets always count every match. When tiers apply whatever the
        count (the query names an occupation), that first request asks for no page.
        """
        with self._answering():
            tiered_anyway = bool(relevance_tiers(query, many=False))
            first = search_request(query, limit=0) if tiered_anyway else search_request(query)
            result = _result(self.client.search(index=self.alias, **first).body, query)
            tiers = relevance_tiers(query, many=result.total > ALL_WORDS_FIRST_ABOVE)
            if not tiers:
                return result
            hits: list[Hit] = []
            skip = query.offset
            for tier in tiers:
                if len(hits) >= query.limit:
                    break
                request = search_request(
                    query, tier, offset=skip, limit=query.limit - len(hits), facets=False
                )
                part = _result(self.client.search(index=self.alias, **request).body, query)
                hits.extend(part.hits)
                skip = max(0, skip - part.total)
        return SearchResult(hits=hits, total=result.total, facets=result.facets)

    def stored_tokens(self, job_ids: Sequence[int]) -> dict[int, dict[str, list[str]]]:
        """The indexed tokens of each text field, from the documents' sources."""
        ids = [str(int(job_id)) for job_id in job_ids]
        if not ids:
            return {}
        with self._answering():
            response = self.client.search(
                index=self.alias,
                query={"ids": {"values": ids}},
                source_includes=list(TEXT_FIELDS),
                size=len(ids),
            ).body
        return {
            int(hit["_id"]): {
                name: (hit.get("_source", {}).get(name) or "").split() for name in TEXT_FIELDS
            }
            for hit in response["hits"]["hits"]
        }

    def suggest(self, prefix: str, limit: int = 8) -> list[str]:
        """Titles starting with `prefix`, the most common first (for search-as-you-type); when
        fewer than `limit` do, titles holding it further in follow (焊 → 电焊工, 氩弧焊工)."""
        prefix = prefix.strip()
        if not prefix:
            return []
        # case-insensitive like FTS5's LIKE on Latin letters (Java, CAD)
        starts = {"prefix": {"title_text": {"value": prefix, "case_insensitive": True}}}
        titles = self._titles(starts, limit)
        if len(titles) < limit:
            pattern = ".*" + _LUCENE_REGEXP_SPECIAL.sub(r"\\\1", prefix) + ".*"
            inside = {"regexp": {"title_text": {"value": pattern, "case_insensitive": True}}}
            titles += self._titles(
                {"bool": {"must": [inside], "must_not": [starts]}}, limit - len(titles)
            )
        return titles

    def _titles(self, query: dict[str, Any], limit: int) -> list[str]:
        """The distinct titles of the postings a query matches, the most common first."""
        with self._answering():
            response = self.client.search(
                index=self.alias,
                size=0,
                query=query,
                aggs={
                    "titles": {
                        "terms": {
                            "field": "title_text",
                            "size": limit,
                            "order": [{"_count": "desc"}, {"_key": "asc"}],
                        }
                    }
                },
            ).body
        return [str(bucket["key"]) for bucket in response["aggregations"]["titles"]["buckets"]]


# Lucene's regular expression operators, escaped to match themselves
_LUCENE_REGEXP_SPECIAL = re.compile(r'([.?+*|{}\[\]()"\\#@&<>~])')


# -- the request: a pure function of the query ---------------------------------------------


def search_request(
    query: SearchQuery,
    tier: dict[str, Any] | None = None,
    *,
    offset: int | None = None,
    limit: int | None = None,
    facets: bool | None = None,
) -> dict[str, Any]:
    """The keyword arguments of `Elasticsearch.search` for a query (pure: no I/O).

    `tier` (one of `relevance_tiers(query)`) keeps one tier of the matches in the page and its
    total. `offset`, `limit` and `facets` default to the query's.
    """
    filters = _filters(query)
    text = _text_query(query)
    scored = text is not None and query.sort == Sort.RELEVANCE
    scoring: dict[str, Any]
    if text is None:
        scoring = {"bool": {"filter": filters}}
    else:
        scoring = {"bool": {"must": [text], "filter": filters}}
        places = [
            {"term": {field: value}}
            for field, value in (("city", query.boost_city), ("district", query.boost_district))
            if value
        ]
        lifts = [{"term": {field: value}} for field, value in boost_conditions(query.boosts)]
        functions = [
            {"filter": {"bool": {"should": clauses, "minimum_should_match": 1}}, "weight": weight}
            for clauses, weight in ((places, PLACE_BOOST), (lifts, POSTING_BOOST))
            if clauses
        ]
        if scored and functions:
            scoring = {
                "function_score": {
                    "query": scoring,
                    "functions": functions,
                    "score_mode": "multiply",
                    "boost_mode": "multiply",
                }
            }
    request: dict[str, Any] = {
        "query": scoring,
        "sort": _sort(query, scored=scored),
        "from_": query.offset if offset is None else offset,
        "size": query.limit if limit is None else limit,
        # exact totals: a city's postings are few enough to count (FTS5 stops at 10,000)
        "track_total_hits": True,
        # only the point is needed back, to compute distance_km
        "source": ["location"] if query.near is not None else False,
    }
    aggregations: dict[str, Any] = {}
    if tier is not None:
        request["post_filter"] = tier
    if query.facets if facets is None else facets:
        aggregations.update(
            {
                "district": {"terms": {"field": "district", "size": _FACET_SIZE}},
                "kind": {"terms": {"field": "kind", "size": _FACET_SIZE}},
                "salary_band": {"terms": {"field": "salary_band", "size": len(SALARY_BANDS)}},
                "occupation": {"terms": {"field": "occupation_group", "size": _FACET_SIZE}},
                "education": {"terms": {"field": "education_level", "size": _FACET_SIZE}},
            }
        )
    if aggregations:
        request["aggs"] = aggregations
    return request


def _text_groups(query: SearchQuery) -> list[dict[str, Any]]:
    return [_group(group) for group in query.terms if group]


def _text_query(query: SearchQuery) -> dict[str, Any] | None:
    """Every word (match "all") or any word; never a posting with an excluded word."""
    groups = _text_groups(query)
    if not groups:
        return None
    # retrieval's synonym tier leaves out the postings that have the query's own words
    excluded = [_group(query.exclude)] if query.exclude else []
    if query.match == "all":
        return {"bool": {"must": groups, "must_not": excluded}}
    text: dict[str, Any] = {"should": groups, "minimum_should_match": 1, "must_not": excluded}
    words = query.word_terms()
    if len(words) < len(query.terms):
        # a place word alone does not match (SearchQuery.word_terms); it still scores
        needed = [_group(group) for group in words]
        text["filter"] = [{"bool": {"should": needed, "minimum_should_match": 1}}]
    return {"bool": text}


def relevance_tiers(query: SearchQuery, *, many: bool) -> list[dict[str, Any]]:
    """Post filters for the tiers of a relevance-ordered query of several words (match "any"),
    best first; [] when one order serves. `many`: more than `ALL_WORDS_FIRST_ABOVE` postings
    match any word, so postings with every word (`SearchQuery.every_word`) come first. Postings
    naming the occupation asked for (`SearchQuery.role_terms`) come before those with only
    other words."""
    groups = _text_groups(query)
    if query.sort != Sort.RELEVANCE or query.match == "all" or len(groups) < 2 or not query.limit:
        return []
    roles = [_group(group) for group in query.role_terms()]
    role: dict[str, Any] = {"bool": {"should": roles, "minimum_should_match": 1}}
    # a place word need not be in the text, nor a compound whose parts are (every_word); the
    # query scores them where they are
    every_word = {"bool": {"must": [_word(node) for node in query.every_word()]}}
    before: list[dict[str, Any]] = []  # the tiers already taken
    tiers: list[dict[str, Any]] = []
    for wanted, tier in ((many, every_word), (bool(roles), role)):
        if wanted:
            tiers.append({"bool": {"must": [tier], "must_not": list(before)}})
            before.append(tier)
    if not tiers:
        return []
    return [*tiers, {"bool": {"must_not": before}}]


def _word(node: WordNode) -> dict[str, Any]:
    """A word of `SearchQuery.every_word`: its group, or for a compound the group or every
    part (filters only: the query itself scores each word)."""
    if not node.parts:
        return _group(node.group)
    parts = {"bool": {"must": [_word(part) for part in node.parts]}}
    return {"bool": {"should": [_group(node.group), parts], "minimum_should_match": 1}}


def _group(alternatives: tuple[str, ...]) -> dict[str, Any]:
    """A word and its synonyms: any may match, and each that does adds its score (as FTS5's OR).

    One match query of all the alternatives scores the same as one per alternative (a
    disjunction of term queries) and is cheaper: the stand-in scans the text once per query.
    """
    # the weighted body scores like FTS5's bm25() over weighted columns (see documents.py)
    return {"match": {BODY_FIELD: {"query": " ".join(alternatives), "operator": "or"}}}


def _result(response: Mapping[str, Any], query: SearchQuery) -> SearchResult:
    """One response as a result; scores only in relevance order, as FTS5 reports them."""
    scored = query.sort == Sort.RELEVANCE
    hits: list[Hit] = []
    for hit in response["hits"]["hits"]:
        distance = None
        if query.near is not None:
            point = (hit.get("_source") or {}).get("location")
            if point is not None:
                # the same formula as FTS5, on the stored point
                distance = distance_km(point["lat"], point["lon"], query.near.lat, query.near.lng)
        score = hit.get("_score")
        score = float(score) if scored and score is not None else 0.0
        hits.append(Hit(job_id=int(hit["_id"]), score=score, distance_km=distance))
    facets: dict[str, dict[str, int]] = {}
    if query.facets:
        aggregations = response.get("aggregations", {})
        for name in FACET_FIELDS:
            buckets = aggregations.get(name, {}).get("buckets", [])
            counts = {
                str(b["key"]): int(b["doc_count"])
                for b in buckets
                if b["key"] is not None and b["key"] != ""
            }
            # the largest first, as FTS5 gives them
            facets[name] = dict(sorted(counts.items(), key=lambda item: -item[1]))
    return SearchResult(hits=hits, total=int(response["hits"]["total"]["value"]), facets=facets)


def _sort(query: SearchQuery, scored: bool) -> list[Any]:
    """Every order ends with the id, so that pages never overlap or skip when values tie."""
    newest = {"published_at": {"order": "desc", "missing": "_last"}}
    last = {"id": {"order": "desc"}}
    if query.sort == Sort.PAY:
        return [{"salary_monthly_top": {"order": "desc", "missing": "_last"}}, last]
    if query.sort == Sort.DISTANCE and query.near is not None:
        point = {"lat": query.near.lat, "lon": query.near.lng}
        distance = {"location": point, "order": "asc", "unit": "km", "distance_type": "arc"}
        return [{"_geo_distance": distance}, last]
    if query.sort == Sort.RELEVANCE and scored:
        return [{"_score": {"order": "desc"}}, newest, last]
    # newest, and relevance without words, and distance without a point
    return [newest, last]


def _either(*clauses: dict[str, Any]) -> dict[str, Any]:
    return {"bool": {"should": list(clauses), "minimum_should_match": 1}}


def _missing(field: str) -> dict[str, Any]:
    return {"bool": {"must_not": [{"exists": {"field": field}}]}}


def _filters(query: SearchQuery) -> list[dict[str, Any]]:
    """Filter clauses with the same meaning as FTS5's SQL conditions."""
    filters: list[dict[str, Any]] = []
    if query.kinds:
        filters.append({"terms": {"kind": list(query.kinds)}})
    for name in ("city", "district", "county_code", "town_code"):
        value = getattr(query, name)
        if value:
            filters.append({"term": {name: value}})
    if query.occupation_code:
        code = query.occupation_code
        filters.append(
            _either(
                {"term": {"occupation_code": code}},
                {"prefix": {"occupation_code": code.rstrip("-") + "-"}},
            )
        )
    if query.pay is not None:
        filters.extend(_pay_filters(query.pay))
    if query.education_max is not None:
        filters.append(
            _either(
                {"range": {"education_level": {"lte": query.education_max}}},
                _missing("education_level"),
            )
        )
    if query.experience_max is not None:
        filters.append(
            _either(
                {"range": {"experience_years": {"lte": query.experience_max}}},
                _missing("experience_years"),
            )
        )
    if query.posted_after is not None:
        filters.append({"range": {"published_at": {"gte": epoch_millis(query.posted_after)}}})
    if query.key_enterprise_only:
        filters.append({"term": {"is_key_enterprise": True}})
    if query.near is not None and query.radius_km is not None:
        filters.append(
            {
                "geo_distance": {
                    "distance": f"{query.radius_km}km",
                    "distance_type": "arc",
                    "location": {"lat": query.near.lat, "lon": query.near.lng},
                }
            }
        )
    return filters


def _pay_filters(pay: PayFilter) -> list[dict[str, Any]]:
    """Ranges overlap: the posting's max reaches the wanted min and its min stays under the max.

    An open bound of the posting (以上 / 以下) stands in for the other, as FTS5's COALESCE does.
    """
    filters: list[dict[str, Any]] = []
    low: float | None
    high: float | None
    if pay.unit == SalaryUnit.PIECE:
        # piece rates are not converted: compare like with like
        filters.append({"term": {"salary_unit": SalaryUnit.PIECE.value}})
        low_field, high_field = "salary_min", "salary_max"
        low, high = pay.min, pay.max
    else:
        low_field, high_field = "salary_monthly_min", "salary_monthly_max"
        low, high = pay.monthly()
    # a posting without pay never matches a pay filter
    filters.append(_either({"exists": {"field": low_field}}, {"exists": {"field": high_field}}))
    if low is not None:
        filters.append(
            _either(
                {"range": {high_field: {"gte": low}}},
                {"bool": {"must": [_missing(high_field), {"range": {low_field: {"gte": low}}}]}},
            )
        )
    if high is not None:
        filters.append(
            _either(
                {"range": {low_field: {"lte": high}}},
                {"bool": {"must": [_missing(low_field), {"range": {high_field: {"lte": high}}}]}},
            )
        )
    return filters
