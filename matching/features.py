"""Features of (query, candidate posting) pairs: one pure function for training and serving.

`featurize` turns a query and its candidate list into a matrix, one row per candidate and one
column per entry of FEATURES. Missing values are NaN (the tree model handles them natively).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
import numpy.typing as npt

from indexer.geo import distance_km

# name → what it measures (one line each; the order is the column order)
FEATURES: dict[str, str] = {
    "engine_score": "the engine's BM25 score (with its place and posting-word lifts)",
    "engine_score_share": "engine score ÷ the best engine score among the candidates",
    "engine_rank_reciprocal": "1 ÷ the candidate's rank in the engine's order",
    "title_coverage": "share of the query's words found in the title (a synonym counts)",
    "text_coverage": "share of the query's words found anywhere in the posting (synonyms count)",
    "title_exact_phrase": "1 when the whole query (spaces removed) appears in the title",
    "title_length": "number of words in the title (short titles are specific)",
    "title_precision": "share of the title's distinct words that are the query's or synonyms",
    "title_head": "1 when the title ends in a word asked for (a Chinese title ends in its head)",
    "title_is_query": "1 when the title is the query itself (spaces removed)",
    "title_bigram_precision": "share of the title's character pairs found in the query",
    "occupation_match": "1 same occupation code as wanted, 0.5 same 中类, 0 other, NaN unknown",
    "skill_overlap": "share of the seeker's skills the posting names",
    "distance_km": "distance from the seeker's home or the query's place, NaN when unknown",
    "place_match": "1 when the posting is in the city or district the query names",
    "salary_fit": "overlap of the posting's monthly pay with the expected range (0–1), NaN unknown",
    "salary_stated": "1 when the posting states pay with a known unit",
    "education_fit": "1 when the seeker's education meets the posting's, 0 not, NaN unknown",
    "experience_fit": "1 when the seeker's years meet the posting's, 0 not, NaN unknown",
    "kind_match": "1 when the job kind is the one wanted (or a query word implies it)",
    "recency_days": "days since the posting was published, NaN when unknown",
    "key_enterprise": "1 for a key enterprise (重点企业)",
    "employer_verified": "1 when staff have verified the employer",
}
FEATURE_NAMES = tuple(FEATURES)


@dataclass(frozen=True)
class Seeker:
    """What a seeker's profile contributes (all optional)."""

    lat: float | None = None
    lng: float | None = None
    pay_min: float | None = None  # monthly equivalent
    pay_max: float | None = None
    education_level: int | None = None
    experience_years: int | None = None
    kind: str | None = None
    occupation_code: str | None = None
    skills: frozenset[str] = frozenset()


@dataclass(frozen=True)
class QueryContext:
    words: tuple[str, ...] = ()  # the query's own words (tokens)
    # each word's alternatives (itself and its synonyms), aligned with `words`; () = none
    alternatives: tuple[tuple[str, ...], ...] = ()
    compact_text: str = ""  # the normalised query without spaces
    # the words asked for, with their synonyms, less places and the parts of a compound
    # (`indexer.queries.SearchQuery.every_word`'s nodes); () = `words` and `alternatives`
    whole_words: tuple[str, ...] = ()
    city: str | None = None
    district: str | None = None
    kinds: tuple[str, ...] = ()  # job kinds the query's words imply (日结 → odd_job)
    occupation_code: str | None = None
    seeker: Seeker = field(default_factory=Seeker)
    lat: float | None = None  # the query's place, when it names one
    lng: float | None = None


@dataclass(frozen=True)
class Candidate:
    job_id: int
    engine_score: float
    engine_rank: int  # 1-based
    title_words: tuple[str, ...]
    words: frozenset[str]  # every word of title, skills and description
    compact_title: str
    skills: frozenset[str] = frozenset()
    city: str | None = None
    district: str | None = None
    kind: str | None = None
    monthly_min: float | None = None
    monthly_max: float | None = None
    education_level: int | None = None
    experience_years: int | None = None
    published_at: datetime | None = None
    is_key_enterprise: bool = False
    employer_verified: bool = False
    lat: float | None = None
    lng: float | None = None
    occupation_code: str | None = None


def _overlap(
    low: float | None, high: float | None, want_low: float | None, want_high: float | None
) -> float:
    """How much of the wanted range the posting's range covers (0–1); NaN when unknown."""
    if (low is None and high is None) or (want_low is None and want_high is None):
        return math.nan
    lo = low if low is not None else high
    hi = high if high is not None else low
    w_lo = want_low if want_low is not None else want_high
    w_hi = want_high if want_high is not None else want_low
    assert lo is not None and hi is not None and w_lo is not None and w_hi is not None  # noqa: S101, PT018 - narrowed above
    if w_hi <= w_lo:
        return 1.0 if hi >= w_lo else 0.0
    return max(0.0, min(hi, w_hi) - max(lo, w_lo)) / (w_hi - w_lo)


def _occupation(wanted: str | None, code: str | None) -> float:
    if not wanted or not code:
        return math.nan
    if wanted == code:
        return 1.0
    return 0.5 if wanted.split("-")[:2] == code.split("-")[:2] else 0.0


def _bigrams(text: str) -> frozenset[str]:
    return frozenset(text[i : i + 2] for i in range(len(text) - 1))


@dataclass(frozen=True)
class _Asking:
    """What every row of one query needs, worked out once per query."""

    # each query word or synonym → the distinct query words (by index) it stands for
    stands_for: dict[str, tuple[int, ...]]
    vocabulary: frozenset[str]  # the keys of stands_for, as a set to intersect with
    distinct_words: int
    heads: tuple[str, ...]  # what a title may end in to be the job asked for
    bigrams: frozenset[str]  # the query's character pairs (no word cutting to disagree on)
    origin: tuple[float | None, float | None]
    kinds: frozenset[str]
    occupation_code: str | None

    @staticmethod
    def of(query: QueryContext) -> _Asking:
        alternatives = dict(zip(query.words, query.alternatives, strict=False))
        stands_for: dict[str, list[int]] = {}
        distinct = list(dict.fromkeys(query.words))
        for index, word in enumerate(distinct):
            for alternative in dict.fromkeys((word, *alternatives.get(word, ()))):
                stands_for.setdefault(alternative, []).append(index)
        seeker = query.seeker
        return _Asking(
            stands_for={word: tuple(indexes) for word, indexes in stands_for.items()},
            vocabulary=frozenset(stands_for),
            distinct_words=len(distinct),
            heads=query.whole_words or tuple(stands_for),
            bigrams=_bigrams(query.compact_text),
            origin=(seeker.lat, seeker.lng) if seeker.lat is not None else (query.lat, query.lng),
            kinds=frozenset(query.kinds) | ({seeker.kind} if seeker.kind else frozenset()),
            occupation_code=query.occupation_code or seeker.occupation_code,
        )

    def bigram_precision(self, compact_title: str) -> float:
        """Share of the title's character pairs that are the query's (调度员 for 物流调度:
        1 of 2, where no word of the title is one of the query's)."""
        if not self.bigrams:
            return math.nan
        pairs = _bigrams(compact_title)
        return len(pairs & self.bigrams) / len(pairs) if pairs else 0.0

    def precision(self, title: AbstractSet[str]) -> float:
        """Share of the title's distinct words that are the query's or their synonyms."""
        if not self.distinct_words:
            return math.nan
        return len(self.vocabulary.intersection(title)) / len(title) if title else 0.0

    def coverage(self, *places: AbstractSet[str]) -> float:
        """Share of the query's words found in any of `places` (a synonym stands for its word)."""
        if not self.distinct_words:
            return math.nan
        covered = {
            index
            for place in places
            # a set intersection walks the smaller side: the query's few words
            for word in self.vocabulary.intersection(place)
            for index in self.stands_for[word]
        }
        return len(covered) / self.distinct_words


def featurize(
    query: QueryContext, candidates: Sequence[Candidate], now: datetime
) -> npt.NDArray[np.float64]:
    """The feature matrix (len(candidates) × len(FEATURES)) for one query's candidates."""
    return featurize_pairs([(query, c) for c in candidates], now)


def featurize_pairs(
    pairs: Sequence[tuple[QueryContext, Candidate]], now: datetime
) -> npt.NDArray[np.float64]:
    """The feature matrix for (query, candidate) pairs, one row each, in one pass.

    `featurize` is the one-query case. Pairs with their own queries serve the other direction:
    one posting against many seekers, each asking with their own wishes. The engine score's
    share is taken over all the pairs, as over one query's candidates.
    """
    rows = np.full((len(pairs), len(FEATURES)), np.nan, dtype=np.float64)
    if not pairs:
        return rows
    best = max((c.engine_score for _q, c in pairs), default=0.0) or 1.0
    asking: dict[int, _Asking] = {}
    for i, (query, c) in enumerate(pairs):
        ask = asking.get(id(query))
        if ask is None:
            ask = asking[id(query)] = _Asking.of(query)
        rows[i] = _row(query, ask, c, best, now)
    return rows


def _row(
    query: QueryContext, ask: _Asking, c: Candidate, best: float, now: datetime
) -> tuple[float, ...]:
    seeker = query.seeker
    origin = ask.origin
    wanted_kinds = ask.kinds
    wanted_code = ask.occupation_code
    title = set(c.title_words)
    distance = (
        distance_km(c.lat, c.lng, origin[0], origin[1])
        if origin[0] is not None and origin[1] is not None
        else None
    )
    return (
        c.engine_score,
        c.engine_score / best,
        1.0 / max(c.engine_rank, 1),
        ask.coverage(title),
        ask.coverage(title, c.words),
        1.0 if query.compact_text and query.compact_text in c.compact_title else 0.0,
        float(len(c.title_words)),
        ask.precision(title),
        math.nan if not ask.heads else float(c.compact_title.endswith(ask.heads)),
        1.0 if query.compact_text and query.compact_text == c.compact_title else 0.0,
        ask.bigram_precision(c.compact_title),
        _occupation(wanted_code, c.occupation_code),
        len(seeker.skills & c.skills) / len(seeker.skills) if seeker.skills else math.nan,
        math.nan if distance is None else distance,
        1.0
        if (query.city and c.city == query.city)
        or (query.district and c.district == query.district)
        else 0.0,
        _overlap(c.monthly_min, c.monthly_max, seeker.pay_min, seeker.pay_max),
        0.0 if c.monthly_min is None and c.monthly_max is None else 1.0,
        math.nan
        if seeker.education_level is None or c.education_level is None
        else float(seeker.education_level >= c.education_level),
        math.nan
        if seeker.experience_years is None or c.experience_years is None
        else float(seeker.experience_years >= c.experience_years),
        math.nan if not wanted_kinds or c.kind is None else float(c.kind in wanted_kinds),
        math.nan
        if c.published_at is None
        else max((now - c.published_at).total_seconds() / 86400, 0.0),
        float(c.is_key_enterprise),
        float(c.employer_verified),
    )
