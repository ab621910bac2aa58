"""The engine protocol and the plain values that cross it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
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
