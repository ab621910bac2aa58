"""The embedded search engine: SQLite FTS5 over pre-tokenised jieba words, in its own file.

A rebuild writes a new file beside the live one and swaps it in with an atomic rename, so
searches keep answering from the old index until the new one is complete.
"""

from __future__ import annotations

import math
import os
import sqlite3
import threading
import time
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from indexer.documents import FILTER_FIELDS, TEXT_FIELDS
from indexer.engines.base import (
    EngineHealth,
    Hit,
    SearchResult,
    SearchUnavailable,
    built_index_health,
)
from indexer.engines.fts5_ranking import (
    document_frequencies,
    expression,
    matched_at_most,
    ranked_page,
)
from indexer.geo import distance_km
from indexer.queries import (
    FACET_FIELDS,
    PayFilter,
    SearchQuery,
    Sort,
    occupation_group,
    salary_band,
)
from indexer.salary import SalaryUnit

SCHEMA_VERSION = "2"
# Totals above this are reported as "more than COUNT_CAP" (facet queries count exactly).
COUNT_CAP = 10_000
_TEXT = list(TEXT_FIELDS)
_FILTERS = list(FILTER_FIELDS)
# Tokens arrive space-separated; these characters stay inside a token (c++, c#, node.js, b2b).
_TOKENCHARS = "+#.-_/&"


def _fsync(path: Path) -> None:
    """Flush a file's (or a directory's entries') writes to disk."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


# Rows written at once when filling a new index file.
_BATCH = 500


def _schema() -> list[str]:
    filter_columns = ", ".join(f"{name}" for name in _FILTERS)
    return [
        f"CREATE VIRTUAL TABLE docs_fts USING fts5({', '.join(_TEXT)}, "
        f"tokenize=\"unicode61 remove_diacritics 0 tokenchars '{_TOKENCHARS}'\")",
        f"CREATE TABLE docs (id INTEGER PRIMARY KEY, title_text TEXT, {filter_columns})",
        "CREATE INDEX ix_docs_kind ON docs(kind)",
        "CREATE INDEX ix_docs_city ON docs(city, district)",
        "CREATE INDEX ix_docs_county ON docs(county_code, town_code)",
        "CREATE INDEX ix_docs_published ON docs(published_at)",
        "CREATE INDEX ix_docs_point ON docs(lat, lng)",
        "CREATE INDEX ix_docs_title ON docs(title_text)",
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)",
        # document frequency of each word, for bounded scoring
        "CREATE VIRTUAL TABLE docs_vocab USING fts5vocab(docs_fts, row)",
    ]


def _value(name: str, value: Any) -> Any:
    if isinstance(value, datetime):
        return value.timestamp()
    if FILTER_FIELDS.get(name) == "boolean":
        return None if value is None else int(bool(value))
    return value


class Fts5Engine:
    name = "fts5"

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._local = threading.local()
        # index file (inode) → word → number of postings; a rebuild makes a new file
        self._df_cache: dict[int, dict[str, int]] = {}

    # -- connections ---------------------------------------------------------------------

    def _connect(self, path: Path) -> sqlite3.Connection:
        connection = sqlite3.connect(path, timeout=10, check_same_thread=False)
        connection.create_function("distance_km", 4, distance_km, deterministic=True)
        # a rollback journal (not WAL) so that the rename swap never pairs a file with a stale -wal
        connection.execute("PRAGMA journal_mode=DELETE")
        return connection

    def _connection(self) -> sqlite3.Connection:
        """This thread's connection to the live file, reopened when a rebuild swapped it."""
        try:
            inode = self.path.stat().st_ino
        except FileNotFoundError as error:
            raise SearchUnavailable(f"search index {self.path} is not built") from error
        cached: tuple[int, sqlite3.Connection] | None = getattr(self._local, "conn", None)
        if cached is not None and cached[0] == inode:
            return cached[1]
        if cached is not None:
            cached[1].close()
        connection = self._connect(self.path)
        self._local.conn = (inode, connection)
        return connection

    def close(self) -> None:
        cached = getattr(self._local, "conn", None)
        if cached is not None:
            cached[1].close()
            self._local.conn = None

    # -- state ---------------------------------------------------------------------------

    def meta(self) -> dict[str, str]:
        rows = self._connection().execute("SELECT key, value FROM meta").fetchall()
        return {str(key): str(value) for key, value in rows}

    def _frequencies(self, connection: sqlite3.Connection, words: set[str]) -> dict[str, int]:
        """Document frequencies, remembered per index file: fts5vocab walks whole doclists."""
        inode = self.path.stat().st_ino
        if inode not in self._df_cache:
            self._df_cache = {inode: {}}  # a rebuilt index: forget the old file's counts
        cache = self._df_cache[inode]
        missing = words - cache.keys()
        if missing:
            cache.update(dict.fromkeys(missing, 0))
            cache.update(document_frequencies(connection, missing))
        return {word: cache[word] for word in words}

    def count(self) -> int:
        row = self._connection().execute("SELECT count(*) FROM docs").fetchone()
        return int(row[0])

    def health(self, dictionary_version: str | None = None) -> EngineHealth:
        try:
            meta = self.meta()
            documents = self.count()
        except (SearchUnavailable, sqlite3.Error) as error:
            return EngineHealth(ok=False, engine=self.name, error=str(error))
        return built_index_health(self.name, meta, documents, dictionary_version, SCHEMA_VERSION)

    # -- writing -------------------------------------------------------------------------

    @staticmethod
    def _write(
        connection: sqlite3.Connection, documents: Iterable[Mapping[str, Any]], fresh: bool = False
    ) -> int:
        """Insert or replace the documents; `fresh`: into an empty file, nothing to replace,
        so the rows go in batches."""
        placeholders = ", ".join("?" for _ in range(len(_FILTERS) + 2))
        # column names are module constants, values are bound
        text_sql = f"INSERT INTO docs_fts (rowid, {', '.join(_TEXT)}) VALUES (?, ?, ?, ?)"  # noqa: S608
        docs_sql = (
            f"INSERT OR REPLACE INTO docs (id, title_text, {', '.join(_FILTERS)}) "  # noqa: S608
            f"VALUES ({placeholders})"
        )
        texts: list[tuple[Any, ...]] = []
        rows: list[tuple[Any, ...]] = []

        def flush() -> None:
            if not fresh:
                connection.executemany(
                    "DELETE FROM docs_fts WHERE rowid = ?", [(text[0],) for text in texts]
                )
            connection.executemany(text_sql, texts)
            connection.executemany(docs_sql, rows)
            texts.clear()
            rows.clear()

        # a replaced document must be deleted before its new text goes in: one at a time
        batch = _BATCH if fresh else 1
        written = 0
        for document in documents:
            job_id = int(document["id"])
            texts.append((job_id, *(document.get(name) or "" for name in _TEXT)))
            rows.append(
                (
                    job_id,
                    document.get("title_text"),
                    *(_value(name, document.get(name)) for name in _FILTERS),
                )
            )
            written += 1
            if len(texts) >= batch:
                flush()
        flush()
        return written

    def rebuild(self, documents: Iterable[Mapping[str, Any]], dictionary_version: str) -> int:
        """Build a complete new index file and swap it in; returns the number of documents."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        building = self.path.with_name(self.path.name + f".building-{os.getpid()}")
        building.unlink(missing_ok=True)
        connection = self._connect(building)
        try:
            # a crash leaves only the temp file: no journal, no syncs until it is complete
            connection.execute("PRAGMA synchronous=OFF")
            connection.execute("PRAGMA journal_mode=OFF")
            for statement in _schema():
                connection.execute(statement)
            with connection:
                written = self._write(connection, documents, fresh=True)
                connection.executemany(
                    "INSERT INTO meta (key, value) VALUES (?, ?)",
                    [
                        ("dictionary_version", dictionary_version),
                        ("schema_version", SCHEMA_VERSION),
                        ("built_at", str(int(time.time()))),
                    ],
                )
            connection.execute("INSERT INTO docs_fts(docs_fts) VALUES ('optimize')")
            connection.commit()
        except BaseException:
            connection.close()
            building.unlink(missing_ok=True)
            raise
        connection.close()
        # written without syncs: make the file durable before it replaces the live one, and the
        # rename durable after (a power cut must not leave a half-written index in place)
        _fsync(building)
        os.replace(building, self.path)
        _fsync(self.path.parent)
        return written

    def index(self, documents: Iterable[Mapping[str, Any]]) -> int:
        connection = self._connection()
        with connection:
            return self._write(connection, documents)

    def delete(self, job_ids: Iterable[int]) -> None:
        connection = self._connection()
        with connection:
            for job_id in job_ids:
                connection.execute("DELETE FROM docs_fts WHERE rowid = ?", (int(job_id),))
                connection.execute("DELETE FROM docs WHERE id = ?", (int(job_id),))

    # -- reading -------------------------------------------------------------------------

    def search(self, query: SearchQuery) -> SearchResult:
        """One page of matching jobs in the query's order, the total, and facets if asked."""
        connection = self._connection()
        where, params = _filters(query)
        match = _match_expression(query)
        source = "docs d"
        if match is not None:
            source = "docs_fts JOIN docs d ON d.id = docs_fts.rowid"
            where.insert(0, "docs_fts MATCH ?")
            params.insert(0, match)
        where_sql = " AND ".join(where) or "1"
        if query.limit <= 0:
            rows = []  # only the total (and facets) asked for
        elif match is not None and query.sort == Sort.RELEVANCE:
            rows = ranked_page(
                connection, query, where[1:], params[1:], _distance_sql(query), self._frequencies
            )
        else:
            rows = self._sorted_page(connection, query, source, where_sql, params)
        hits = [Hit(job_id=int(r[0]), score=float(r[1]), distance_km=r[2]) for r in rows]
        if query.facets:
            total, facets = self._facets(connection, source, where_sql, params)
        else:
            # counting a common word's matches costs as much as a page: stop at COUNT_CAP
            if match is not None:
                total = matched_at_most(connection, match, where[1:], params[1:], COUNT_CAP)
            else:
                total = int(
                    connection.execute(
                        f"SELECT count(*) FROM (SELECT 1 FROM {source} "  # noqa: S608
                        f"WHERE {where_sql} LIMIT {COUNT_CAP + 1})",
                        params,
                    ).fetchone()[0]
                )
            facets = {}
        if total > COUNT_CAP:
            return SearchResult(hits=hits, total=COUNT_CAP, facets=facets, total_is_exact=False)
        return SearchResult(hits=hits, total=total, facets=facets)

    def _sorted_page(
        self,
        connection: sqlite3.Connection,
        query: SearchQuery,
        source: str,
        where_sql: str,
        params: list[Any],
    ) -> list[tuple[Any, ...]]:
        """A page in newest, pay or distance order (no relevance scoring needed)."""
        distance, distance_params = _distance_sql(query)
        sort = query.sort
        if sort == Sort.RELEVANCE or (sort == Sort.DISTANCE and query.near is None):
            sort = Sort.NEWEST
        return connection.execute(
            f"SELECT d.id, 0.0 AS score, {distance} AS distance FROM {source} "  # noqa: S608
            f"WHERE {where_sql} ORDER BY {_ORDER[sort]} LIMIT ? OFFSET ?",
            [*distance_params, *params, query.limit, query.offset],
        ).fetchall()

    @staticmethod
    def _facets(
        connection: sqlite3.Connection, source: str, where_sql: str, params: list[Any]
    ) -> tuple[int, dict[str, dict[str, int]]]:
        counts: dict[str, Counter[str]] = {name: Counter() for name in FACET_FIELDS}
        total = 0
        for district, kind, low, high, occupation, education in connection.execute(
            f"SELECT d.district, d.kind, d.salary_monthly_min, d.salary_monthly_max, "  # noqa: S608
            f"d.occupation_code, d.education_level FROM {source} WHERE {where_sql}",
            params,
        ):
            total += 1
            if district:
                counts["district"][district] += 1
            if kind:
                counts["kind"][kind] += 1
            band = salary_band(low, high)
            if band:
                counts["salary_band"][band] += 1
            group = occupation_group(occupation)
            if group:
                counts["occupation"][group] += 1
            if education is not None:
                counts["education"][str(education)] += 1
        return total, {name: dict(counter.most_common()) for name, counter in counts.items()}

    def stored_tokens(self, job_ids: Sequence[int]) -> dict[int, dict[str, list[str]]]:
        """The indexed tokens of each text field, read back from the FTS5 table."""
        ids = [int(job_id) for job_id in job_ids]
        if not ids:
            return {}
        marks = ", ".join("?" for _ in ids)
        rows = (
            self._connection()
            .execute(
                f"SELECT rowid, {', '.join(_TEXT)} FROM docs_fts "  # noqa: S608
                f"WHERE rowid IN ({marks})",
                ids,
            )
            .fetchall()
        )
        return {
            int(row[0]): {name: (row[i + 1] or "").split() for i, name in enumerate(_TEXT)}
            for row in rows
        }

    def suggest(self, prefix: str, limit: int = 8) -> list[str]:
        """Titles starting with `prefix`, the most common first (for search-as-you-type); when
        fewer than `limit` do, titles holding it further in follow (焊 → 电焊工, 氩弧焊工)."""
        prefix = prefix.strip()
        if not prefix:
            return []
        escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        titles = self._titles("title_text LIKE ? ESCAPE '\\'", [escaped + "%"], limit)
        if len(titles) < limit:
            titles += self._titles(
                "title_text LIKE ? ESCAPE '\\' AND title_text NOT LIKE ? ESCAPE '\\'",
                [f"%{escaped}%", escaped + "%"],
                limit - len(titles),
            )
        return titles

    def _titles(self, condition: str, params: list[Any], limit: int) -> list[str]:
        """The distinct titles meeting a condition on title_text, the most common first."""
        rows = (
            self._connection()
            .execute(
                f"SELECT title_text, count(*) AS n FROM docs WHERE {condition} "  # noqa: S608
                "GROUP BY title_text ORDER BY n DESC, title_text LIMIT ?",
                [*params, limit],
            )
            .fetchall()
        )
        return [str(row[0]) for row in rows]


# Every order ends with the id, so that pages never overlap or skip when scores tie.
_ORDER: dict[Sort, str] = {
    Sort.RELEVANCE: "score DESC, d.published_at DESC, d.id DESC",
    Sort.NEWEST: "d.published_at DESC, d.id DESC",
    Sort.PAY: (
        "COALESCE(d.salary_monthly_max, d.salary_monthly_min) IS NULL, "
        "COALESCE(d.salary_monthly_max, d.salary_monthly_min) DESC, d.id DESC"
    ),
    Sort.DISTANCE: "distance IS NULL, distance ASC, d.id DESC",
}


def _match_expression(query: SearchQuery) -> str | None:
    """The postings the query matches (a place word alone does not: `word_terms`)."""
    if not any(query.terms):
        return None
    if query.match == "all":
        return expression(query.terms, "all", query.exclude)
    return expression(query.word_terms(), "any", query.exclude)


def _distance_sql(query: SearchQuery) -> tuple[str, list[Any]]:
    if query.near is None:
        return "NULL", []
    return "distance_km(d.lat, d.lng, ?, ?)", [query.near.lat, query.near.lng]


def _filters(query: SearchQuery) -> tuple[list[str], list[Any]]:
    """SQL conditions on the docs table (alias d) and their parameters."""
    where: list[str] = []
    params: list[Any] = []
    if query.kinds:
        where.append(f"d.kind IN ({', '.join('?' for _ in query.kinds)})")
        params.extend(query.kinds)
    for name in ("city", "district", "county_code", "town_code"):
        value = getattr(query, name)
        if value:
            where.append(f"d.{name} = ?")
            params.append(value)
    if query.occupation_code:
        where.append("(d.occupation_code = ? OR d.occupation_code LIKE ?)")
        params.extend([query.occupation_code, query.occupation_code.rstrip("-") + "-%"])
    if query.pay is not None:
        _pay_filter(query.pay, where, params)
    if query.education_max is not None:
        where.append("(d.education_level IS NULL OR d.education_level <= ?)")
        params.append(query.education_max)
    if query.experience_max is not None:
        where.append("(d.experience_years IS NULL OR d.experience_years <= ?)")
        params.append(query.experience_max)
    if query.posted_after is not None:
        where.append("d.published_at >= ?")
        params.append(query.posted_after.timestamp())
    if query.key_enterprise_only:
        where.append("d.is_key_enterprise = 1")
    if query.near is not None and query.radius_km is not None:
        # a bounding box narrows by index first, the exact distance decides
        lat_span = query.radius_km / 111.0
        lng_span = query.radius_km / (111.0 * max(math.cos(math.radians(query.near.lat)), 0.01))
        where.append("d.lat BETWEEN ? AND ? AND d.lng BETWEEN ? AND ?")
        params.extend(
            [
                query.near.lat - lat_span,
                query.near.lat + lat_span,
                query.near.lng - lng_span,
                query.near.lng + lng_span,
            ]
        )
        where.append("distance_km(d.lat, d.lng, ?, ?) <= ?")
        params.extend([query.near.lat, query.near.lng, query.radius_km])
    return where, params


def _pay_filter(pay: PayFilter, where: list[str], params: list[Any]) -> None:
    """Ranges overlap: the posting's max reaches the wanted min and its min stays under the max."""
    if pay.unit == SalaryUnit.PIECE:
        # piece rates are not converted: compare like with like
        where.append("d.salary_unit = 'piece'")
        low_column, high_column = "d.salary_min", "d.salary_max"
        low, high = pay.min, pay.max
    else:
        low_column, high_column = "d.salary_monthly_min", "d.salary_monthly_max"
        low, high = pay.monthly()
    # a posting that states no pay never matches a pay filter
    where.append(f"({low_column} IS NOT NULL OR {high_column} IS NOT NULL)")
    if low is not None:
        where.append(f"COALESCE({high_column}, {low_column}) >= ?")
        params.append(low)
    if high is not None:
        where.append(f"COALESCE({low_column}, {high_column}) <= ?")
        params.append(high)
