"""The engine protocol and the plain values that cross it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from indexer.queries import SearchQuery


class SearchUnavailable(RuntimeError):
    """The engine cannot answer (not built, unreachable, or built with another dictionary)."""


@dataclass(frozen=True)
class EngineHealth:
    ok: bool
    engine: str
    documents: int | None = None
    dictionary_version: str | None = None
    error: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v is not None}


def built_index_health(
    engine: str,
    meta: Mapping[str, str],
    documents: int,
    dictionary_version: str | None,
    schema_version: str,
) -> EngineHealth:
    """Health of a readable index: stale when built with another dictionary or schema."""
    built_with = meta.get("dictionary_version")
    stale = None
    if dictionary_version is not None and built_with != dictionary_version:
        stale = f"dictionary {built_with}, tokenizer has {dictionary_version}"
    elif meta.get("schema_version") != schema_version:
        stale = f"schema {meta.get('schema_version')}, code has {schema_version}"
    return EngineHealth(
        ok=stale is None,
        engine=engine,
        documents=documents,
        dictionary_version=built_with,
        error=f"index built with {stale}: run `flask index rebuild`" if stale else None,
    )


@dataclass(frozen=True)
class Hit:
    job_id: int
    score: float
    distance_km: float | None = None


@dataclass(frozen=True)
class SearchResult:
    hits: list[Hit]
    total: int
    facets: Mapping[str, Mapping[str, int]] = field(default_factory=dict)
    # False when `total` is a lower bound (the engine stopped counting)
    total_is_exact: bool = True


class SearchEngine(Protocol):
    name: str

    def health(self, dictionary_version: str | None = None) -> EngineHealth: ...

    def rebuild(self, documents: Iterable[Mapping[str, Any]], dictionary_version: str) -> int: ...

    def index(self, documents: Iterable[Mapping[str, Any]]) -> int: ...

    def delete(self, job_ids: Iterable[int]) -> None: ...

    def search(self, query: SearchQuery) -> SearchResult: ...

    def suggest(self, prefix: str, limit: int = 8) -> list[str]: ...

    def stored_tokens(self, job_ids: Sequence[int]) -> dict[int, dict[str, list[str]]]:
        """The tokens each text field was indexed with (TEXT_FIELDS), by job id; missing ids
        are left out. The ranker reads them rather than cutting the text again."""
        ...
