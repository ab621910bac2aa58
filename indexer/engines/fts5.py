"""The embedded search engine: SQLite FTS5 over pre-tokenised jieba words, in its own file.

A rebuild writes a new file beside the live one and swaps it in with an atomic rename, so
searches keep answering from the old index until the new one is complete.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from indexer.documents import FILTER_FIELDS, TEXT_FIELDS
from indexer.engines.base import EngineHealth, Hit, SearchResult, SearchUnavailable

SCHEMA_VERSION = "1"
_TEXT = list(TEXT_FIELDS)
_FILTERS = list(FILTER_FIELDS)
# Tokens arrive space-separated; these characters stay inside a token (c++, c#, node.js, b2b).
_TOKENCHARS = "+#.-_/&"


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
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)",
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

    # -- connections ---------------------------------------------------------------------

    def _connect(self, path: Path) -> sqlite3.Connection:
        connection = sqlite3.connect(path, timeout=10, check_same_thread=False)
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

    def count(self) -> int:
        row = self._connection().execute("SELECT count(*) FROM docs").fetchone()
        return int(row[0])

    def health(self, dictionary_version: str | None = None) -> EngineHealth:
        try:
            meta = self.meta()
            documents = self.count()
        except (SearchUnavailable, sqlite3.Error) as error:
            return EngineHealth(ok=False, engine=self.name, error=str(error))
        built_with = meta.get("dictionary_version")
        if dictionary_version is not None and built_with != dictionary_version:
            return EngineHealth(
                ok=False,
                engine=self.name,
                documents=documents,
                dictionary_version=built_with,
                error=(
                    f"index built with dictionary {built_with}, tokenizer has "
                    f"{dictionary_version}: run `flask index rebuild`"
                ),
            )
        return EngineHealth(
            ok=True, engine=self.name, documents=documents, dictionary_version=built_with
        )

    # -- writing -------------------------------------------------------------------------

    @staticmethod
    def _write(connection: sqlite3.Connection, documents: Iterable[Mapping[str, Any]]) -> int:
        placeholders = ", ".join("?" for _ in range(len(_FILTERS) + 2))
        written = 0
        for document in documents:
            job_id = int(document["id"])
            connection.execute("DELETE FROM docs_fts WHERE rowid = ?", (job_id,))
            connection.execute(
                # column names are module constants, values are bound
                f"INSERT INTO docs_fts (rowid, {', '.join(_TEXT)}) VALUES (?, ?, ?, ?)",  # noqa: S608
                (job_id, *(document.get(name) or "" for name in _TEXT)),
            )
            connection.execute(
                f"INSERT OR REPLACE INTO docs (id, title_text, {', '.join(_FILTERS)}) "  # noqa: S608
                f"VALUES ({placeholders})",
                (
                    job_id,
                    document.get("title_text"),
                    *(_value(name, document.get(name)) for name in _FILTERS),
                ),
            )
            written += 1
        return written

    def rebuild(self, documents: Iterable[Mapping[str, Any]], dictionary_version: str) -> int:
        """Build a complete new index file and swap it in; returns the number of documents."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        building = self.path.with_name(self.path.name + f".building-{os.getpid()}")
        building.unlink(missing_ok=True)
        connection = self._connect(building)
        try:
            connection.execute("PRAGMA synchronous=OFF")  # a crash leaves only the temp file
            for statement in _schema():
                connection.execute(statement)
            with connection:
                written = self._write(connection, documents)
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
        os.replace(building, self.path)
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

    def search_terms(
        self, term_groups: Sequence[Sequence[str]], limit: int = 10, offset: int = 0
    ) -> SearchResult:
        """Jobs matching any term (a group's alternatives are synonyms), best BM25 first."""
        groups = [
            "(" + " OR ".join('"' + alt.replace('"', '""') + '"' for alt in group) + ")"
            for group in term_groups
            if group
        ]
        connection = self._connection()
        if not groups:
            rows = connection.execute(
                "SELECT id, 0.0 FROM docs ORDER BY published_at DESC LIMIT ? OFFSET ?",
                (limit, offset),
            ).fetchall()
            total = self.count()
        else:
            match = " OR ".join(groups)
            weights = ", ".join(str(w) for w in TEXT_FIELDS.values())
            rows = connection.execute(
                f"SELECT rowid, -bm25(docs_fts, {weights}) AS score FROM docs_fts "  # noqa: S608
                "WHERE docs_fts MATCH ? ORDER BY bm25(docs_fts, "
                f"{weights}) LIMIT ? OFFSET ?",
                (match, limit, offset),
            ).fetchall()
            total = int(
                connection.execute(
                    "SELECT count(*) FROM docs_fts WHERE docs_fts MATCH ?", (match,)
                ).fetchone()[0]
            )
        return SearchResult(
            hits=[Hit(job_id=int(r[0]), score=float(r[1])) for r in rows], total=total
        )
