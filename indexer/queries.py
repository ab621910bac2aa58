"""A seeker's search as a plain structure, and the reading of place and posting words in a query.

Pure: no I/O. Engines turn a `SearchQuery` into their own request (`engines/*`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from indexer.salary import SalaryUnit, monthly_equivalent

if TYPE_CHECKING:
    from indexer.tokenizer import QueryTerm


class Sort(StrEnum):
    RELEVANCE = "relevance"
    NEWEST = "newest"
    PAY = "pay"
    DISTANCE = "distance"


@dataclass(frozen=True)
class GeoPoint:
    lat: float
    lng: float


@dataclass(frozen=True)
class PayFilter:
    """A wanted pay range in one unit; overlaps with a posting's range in that unit's terms."""

    min: float | None = None
    max: float | None = None
    unit: SalaryUnit = SalaryUnit.MONTH

    def monthly(self) -> tuple[float | None, float | None]:
        return (monthly_equivalent(self.min, self.unit), monthly_equivalent(self.max, self.unit))


@dataclass(frozen=True)
class SearchQuery:
    # each group is one query word and its synonyms; a posting matches a group by any of them
    terms: tuple[tuple[str, ...], ...] = ()
    # words that lift a posting when present (place or posting words read from the query)
    boosts: tuple[str, ...] = ()
    # places named in the query: postings there rise (a boost, never a filter)
    boost_city: str | None = None
    boost_district: str | None = None
    kinds: tuple[str, ...] = ()
    city: str | None = None
    district: str | None = None
    county_code: str | None = None
    town_code: str | None = None
    occupation_code: str | None = None  # a code or a code prefix (6-01, 6-01-02)
    pay: PayFilter | None = None
    education_max: int | None = None  # the seeker's level: postings asking at most this
    experience_max: int | None = None  # the seeker's years: postings asking at most this
    posted_after: datetime | None = None
    key_enterprise_only: bool = False
    near: GeoPoint | None = None
    radius_km: float | None = None
    sort: Sort = Sort.RELEVANCE
    offset: int = 0
    limit: int = 20
    facets: bool = False
    # relevance mode: "all" (every word must match), "any" (BM25 over any word)
    match: str = "any"
    # postings that contain any of these words are left out (the retrieval tiers use it)
    exclude: tuple[str, ...] = ()
    # positions in `terms` of the words naming the occupation asked for (电工 of 电工 持证上岗)
    roles: tuple[int, ...] = ()
    # positions in `terms` of the place words read as `boost_city` / `boost_district`
    places: tuple[int, ...] = ()

    def with_match(self, match: str) -> SearchQuery:
        return replace(self, match=match)

    @property
    def has_text(self) -> bool:
        return bool(self.terms)

    def role_terms(self) -> tuple[tuple[str, ...], ...]:
        """The groups naming the occupation asked for, when the query also has other words.

        In relevance order, postings with one of them come before postings with only the
        other words: a seeker typing 电工 持证上岗 wants electricians before nurses who must
        be 持证上岗. Dev set NDCG@10 0.8565 → 0.8632 (电工 持证上岗 0.46 → 0.78, 济南 会计
        0.71 → 0.75, 行政 前台 0.87 → 0.82).
        """
        roles = tuple(self.terms[i] for i in sorted(set(self.roles)) if i < len(self.terms))
        return roles if 0 < len(roles) < len(self.terms) else ()

    def word_terms(self) -> tuple[tuple[str, ...], ...]:
        """The groups a posting must hold one of to match at all: all but the places.

        A place is where the job is, not what it is: with 叉车司机 威海, a guide's posting
        that names 威海 is no answer. A query of places alone searches for them.
        """
        words = tuple(group for i, group in enumerate(self.terms) if i not in self.places)
        return words or self.terms

    def required_terms(self) -> tuple[tuple[str, ...], ...]:
        """The groups a posting needs for the every-word tier: all but the place words and
        the compounds whose parts stand for them (`every_word`)."""
        leaves: list[tuple[str, ...]] = []

        def walk(nodes: Sequence[WordNode]) -> None:
            for node in nodes:
                if node.parts:
                    walk(node.parts)
                elif node.group not in leaves:
                    leaves.append(node.group)

        walk(self.every_word())
        return tuple(leaves)

    def every_word(self) -> tuple[WordNode, ...]:
        """What a posting holds to have every word of the query: all of these nodes.

        A place named in the query is where the job is (`boost_city`), which its text need
        not repeat: of the dev corpus's postings holding java and 高级, 165 were in 上海 and 17
        said 上海 (counted once in its FTS5 index). A compound (a word without synonyms that
        holds other words of the query) is its own word or all of its parts: a posting offering
        底薪6K＋提成 answers 销售 底薪加提成. The tokenizer gives a compound's parts beside it,
        in the query and in every posting alike, so the parts alone decide.
        """
        words = {i: group[0] for i, group in enumerate(self.terms) if i not in self.places}
        if not words:  # only places: they are the words to find
            return tuple(WordNode(group) for group in self.terms)

        def parts(i: int) -> list[int]:
            # 操作工 with 普工: its synonyms hold no 操作. A Latin word is never split
            # (javascript holds no java for the tokenizer), and nor is 招聘cnc操机's cnc.
            if len(self.terms[i]) > 1 or _has_latin(words[i]):
                return []
            return [
                j
                for j, word in words.items()
                if word != words[i] and word in words[i] and not _has_latin(word)
            ]

        def node(i: int) -> WordNode:
            held = parts(i)
            # the largest parts: 测试 and 工程师 of 测试工程师 (工程 goes under 工程师)
            largest = [j for j in held if not any(j in parts(k) for k in held)]
            return WordNode(self.terms[i], tuple(node(j) for j in largest))

        inside = {j for i in words for j in parts(i)}
        return tuple(node(i) for i in words if i not in inside)


def _has_latin(word: str) -> bool:
    return any(char.isascii() for char in word)


@dataclass(frozen=True)
class WordNode:
    """A word the every-word tier needs: its group (the word and its synonyms), or, for a
    compound, its one word or all of `parts`."""

    group: tuple[str, ...]
    parts: tuple[WordNode, ...] = ()


# Salary bands for the facet, in yuan per month (monthly equivalent).
SALARY_BANDS: tuple[tuple[str, float | None, float | None], ...] = (
    ("<4000", None, 4000),
    ("4000-6000", 4000, 6000),
    ("6000-8000", 6000, 8000),
    ("8000-12000", 8000, 12000),
    ("12000-20000", 12000, 20000),
    (">=20000", 20000, None),
)

FACET_FIELDS = ("district", "kind", "salary_band", "occupation", "education")


def occupation_group(code: str | None) -> str | None:
    """The 中类 (middle group) of an occupation code: its first two parts (6-01-02-03 → 6-01).

    The occupation facet counts by it: fine enough to choose from, coarse enough to list.
    """
    if not code:
        return None
    parts = code.split("-")
    return "-".join(parts[:2]) if len(parts) >= 2 else None


def salary_band(monthly_min: float | None, monthly_max: float | None) -> str | None:
    """The band of a posting's pay (by the middle of its range); None when not stated."""
    stated = [value for value in (monthly_min, monthly_max) if value is not None]
    if not stated:
        return None
    middle = sum(stated) / len(stated)
    for name, lower, upper in SALARY_BANDS:
        if (lower is None or middle >= lower) and (upper is None or middle < upper):
            return name
    return None


# A relevance-ordered query of several words ranks every posting with any of them by BM25
# when at most this many match; above it, postings with every word come first (FTS5 must
# score each match, so a common word's thousands of postings are scored in bounded slices).
# Both engines follow the same rule, so their orders agree.
ALL_WORDS_FIRST_ABOVE = 1500

# A posting in a place named in the query scores this many times more (never a filter).
PLACE_BOOST = 1.5
# A posting whose structured fields say what a query word says (日结 → paid by the day)
# scores this many times more: the word may be missing from its text.
POSTING_BOOST = 1.1
POSTING_WORD_FIELDS: dict[str, tuple[tuple[str, str], ...]] = {
    "日结": (("salary_unit", "day"), ("kind", "odd_job")),
    "日薪": (("salary_unit", "day"),),
    "时薪": (("salary_unit", "hour"),),
    "小时工": (("salary_unit", "hour"), ("kind", "part_time")),
    "计件": (("salary_unit", "piece"),),
    "兼职": (("kind", "part_time"),),
    "零工": (("kind", "odd_job"),),
    "临时工": (("kind", "odd_job"),),
}


def boost_conditions(words: Iterable[str]) -> tuple[tuple[str, str], ...]:
    """(field, value) pairs of which any lifts a posting, for the posting words of a query."""
    pairs = [pair for word in words for pair in POSTING_WORD_FIELDS.get(word, ())]
    return tuple(dict.fromkeys(pairs))


# Words in a query that say something about the posting rather than the role.
POSTING_WORDS = frozenset(
    {"日结", "周结", "月结", "包吃住", "包吃", "包住", "长白班", "白班", "夜班", "两班倒",
     "五险一金", "双休", "底薪加提成", "兼职", "实习", "应届生", "计件", "日薪", "时薪",
     "小时工", "零工", "临时工"}
)  # fmt: skip


@dataclass(frozen=True)
class Places:
    """Place names the query reader knows: city names and district names (with their city)."""

    cities: frozenset[str] = frozenset()
    districts: Mapping[str, str] = field(default_factory=dict)  # district → its city

    @staticmethod
    def of(cities: Iterable[str], districts: Mapping[str, str]) -> Places:
        return Places(frozenset(cities), dict(districts))


def _short(name: str) -> str:
    for suffix in ("市", "区", "县"):
        if name.endswith(suffix) and len(name) > 2:
            return name[: -len(suffix)]
    return name


def words_query(terms: Sequence[QueryTerm], **fields: Any) -> SearchQuery:
    """The query for a seeker's words (`Tokenizer.query_terms`): one group per word with its
    synonyms, and which of them name an occupation (`SearchQuery.role_terms`)."""
    return SearchQuery(
        terms=tuple(term.alternatives for term in terms),
        roles=tuple(i for i, term in enumerate(terms) if term.names_occupation),
        **fields,
    )


def read_query(query: SearchQuery, places: Places) -> SearchQuery:
    """The query with the places and posting words among its words read as boosts.

    The words stay searchable text as well: a posting that says 济南 or 包吃住 matches by BM25.
    """
    city_by_short = {_short(city): city for city in places.cities}
    city_by_short.update({city: city for city in places.cities})
    district_by_short = {_short(name): name for name in places.districts}
    district_by_short.update({name: name for name in places.districts})
    boosts: list[str] = []
    placed: list[int] = []
    boost_city, boost_district = query.boost_city, query.boost_district
    for i, group in enumerate(query.terms):
        word = group[0]
        if word in city_by_short and boost_city in (None, city_by_short[word]):
            # 上海市 is two words, 上海 and 上海市: both name the one place
            boost_city = city_by_short[word]
            placed.append(i)
        elif word in district_by_short and boost_district in (None, district_by_short[word]):
            boost_district = district_by_short[word]
            boost_city = boost_city or places.districts.get(boost_district)
            placed.append(i)
        elif word in POSTING_WORDS:
            boosts.append(word)
    # the tokenizer's parts of a place name are the place too: 经济, 技术 and 开发区 of
    # 威海经济技术开发区 are not words to find
    names = [query.terms[i][0] for i in placed]
    placed += [
        i
        for i, group in enumerate(query.terms)
        if i not in placed and any(group[0] != name and group[0] in name for name in names)
    ]
    return replace(
        query,
        boosts=tuple(boosts),
        boost_city=boost_city,
        boost_district=boost_district,
        places=tuple(sorted(placed)),
    )
