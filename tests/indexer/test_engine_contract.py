"""The search contract: every engine (FTS5, Elasticsearch) gives these answers to these queries.

Documents are real `job_document`s, tokenised by the real jieba tokenizer.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import replace
from datetime import datetime
from typing import Any

import pytest

from indexer.documents import JobRecord, job_document
from indexer.education import EducationLevel
from indexer.engines import elasticsearch as elasticsearch_engine
from indexer.engines import fts5_ranking
from indexer.engines.base import SearchEngine, SearchResult, SearchUnavailable
from indexer.geo import distance_km
from indexer.queries import (
    GeoPoint,
    PayFilter,
    Places,
    SearchQuery,
    Sort,
    read_query,
    words_query,
)
from indexer.salary import SalaryUnit, monthly_equivalent
from indexer.tokenizer import Tokenizer

VERSION = "dict-v1"
CENTRE = GeoPoint(lat=37.5131, lng=122.1201)  # near Weihai's city centre
KM_PER_DEGREE = 6371.0088 * math.pi / 180  # along a meridian


def job(job_id: int, title: str, **fields: Any) -> JobRecord:
    return JobRecord(id=job_id, title=title, **fields)


def pay(low: float | None, high: float | None, unit: SalaryUnit) -> dict[str, Any]:
    """A posting's pay fields as the app stores them (with monthly equivalents)."""
    return {
        "salary_unit": unit,
        "salary_min": low,
        "salary_max": high,
        "salary_monthly_min": monthly_equivalent(low, unit),
        "salary_monthly_max": monthly_equivalent(high, unit),
    }


def north_east(north_km: float, east_km: float = 0.0) -> dict[str, float]:
    """A point this far from CENTRE (small distances: the flat approximation is fine)."""
    lat = CENTRE.lat + north_km / KM_PER_DEGREE
    lng = CENTRE.lng + east_km / (KM_PER_DEGREE * math.cos(math.radians(CENTRE.lat)))
    return {"lat": lat, "lng": lng}


def build(
    engine: SearchEngine, tokenizer: Tokenizer, *jobs: JobRecord, version: str = VERSION
) -> None:
    assert engine.rebuild([job_document(j, tokenizer) for j in jobs], version) == len(jobs)


def words(tokenizer: Tokenizer, text: str, **fields: Any) -> SearchQuery:
    """The query a seeker's text becomes: one group per word, with its synonyms."""
    return words_query(tokenizer.query_terms(text), **fields)


def ids(result: SearchResult) -> list[int]:
    return [hit.job_id for hit in result.hits]


# -- finding and ranking ---------------------------------------------------------------------


def test_rebuild_then_search_finds_a_document_by_a_title_word(
    engine: SearchEngine, tokenizer: Tokenizer
) -> None:
    build(
        engine,
        tokenizer,
        job(1, "水产加工操作工", description="海参 分拣 包装"),
        job(2, "酒店前台", description="接待 客人"),
    )

    result = engine.search(words(tokenizer, "水产加工"))

    assert ids(result) == [1]
    assert result.total == 1
    assert result.hits[0].score > 0
    assert result.hits[0].distance_km is None


def test_weekend_work_is_found_and_weekends_off_are_not(
    engine: SearchEngine, tokenizer: Tokenizer
) -> None:
    build(
        engine,
        tokenizer,
        job(1, "兼职客服", description="周一至周五上班，周末双休"),
        job(2, "兼职导购", description="周末及节假日上班"),
        job(3, "行政文员", description="朝九晚六 周末双休"),
    )

    assert ids(engine.search(words(tokenizer, "兼职 周末", match="all"))) == [2]
    assert set(ids(engine.search(words(tokenizer, "双休")))) == {1, 3}
    assert set(ids(engine.search(words(tokenizer, "周末双休")))) == {1, 3}


def test_title_outranks_description_for_the_same_word(
    engine: SearchEngine, tokenizer: Tokenizer
) -> None:
    build(
        engine,
        tokenizer,
        job(1, "维修工", description="有电工经验者优先，负责设备日常维护"),
        job(2, "电工", description="有维修经验者优先，负责设备日常维护"),
    )

    result = engine.search(words(tokenizer, "电工"))

    assert ids(result) == [2, 1]
    assert result.hits[0].score > result.hits[1].score


def test_one_character_finds_the_occupations_that_hold_it(
    engine: SearchEngine, tokenizer: Tokenizer
) -> None:
    build(
        engine,
        tokenizer,
        job(1, "电焊工（日结）", description="钢结构 焊接"),
        job(2, "低压电工", description="持证上岗"),
        job(3, "厨师", description="炒菜"),
        job(4, "焊工", description="二保焊"),
    )

    assert set(ids(engine.search(words(tokenizer, "电")))) == {1, 2}
    assert set(ids(engine.search(words(tokenizer, "焊")))) == {1, 4}
    # a word of its own is unchanged
    assert ids(engine.search(words(tokenizer, "厨师"))) == [3]
    # a character left alone among other words is that character only
    assert "电工" not in words(tokenizer, "电 厨师").terms[0]


def test_a_group_matches_by_any_of_its_synonyms(engine: SearchEngine, tokenizer: Tokenizer) -> None:
    build(
        engine,
        tokenizer,
        job(1, "驾驶员", description="驾驶 货车 送货"),
        job(2, "司机", description="驾驶 货车 送货"),
        job(3, "厨师"),
    )
    query = words(tokenizer, "司机")
    assert "驾驶员" in query.terms[0]

    assert sorted(ids(engine.search(query))) == [1, 2]


def test_match_all_needs_every_word_and_any_needs_one(
    engine: SearchEngine, tokenizer: Tokenizer
) -> None:
    build(
        engine,
        tokenizer,
        job(1, "电工兼厨师", description="负责线路维护和员工食堂"),
        job(2, "电工", description="负责线路维护"),
        job(3, "厨师", description="负责后厨"),
        *(job(n, title) for n, title in enumerate(["保安", "保洁员", "司机", "焊工"], 4)),
    )
    query = words(tokenizer, "电工 厨师")

    anything = engine.search(query.with_match("any"))
    everything = engine.search(query.with_match("all"))

    assert sorted(ids(anything)) == [1, 2, 3]
    assert ids(anything)[0] == 1  # matching both words ranks first
    assert ids(everything) == [1]
    assert everything.total == 1


def _every_word_and_one_word(engine: SearchEngine, tokenizer: Tokenizer) -> SearchQuery:
    build(
        engine,
        tokenizer,
        # both words, but in a long posting
        job(
            1, "食堂帮工", description="协助 厨师 备餐 " + "负责 日常 采购 与 卫生 " * 8 + "懂 电工"
        ),
        # one word, three times, in a short title: the higher BM25
        job(2, "电工 电工 电工"),
        # other postings, so that both words are rare enough to weigh
        *(job(n, title) for n, title in enumerate(["保安", "司机", "保洁员", "焊工"] * 2, 3)),
    )
    return words(tokenizer, "电工 厨师")


def test_few_matches_rank_by_bm25_over_any_word(engine: SearchEngine, tokenizer: Tokenizer) -> None:
    query = _every_word_and_one_word(engine, tokenizer)

    result = engine.search(query)

    assert ids(result) == [2, 1]
    assert [hit.score for hit in result.hits] == sorted(
        (hit.score for hit in result.hits), reverse=True
    )
    assert ids(engine.search(replace(query, offset=1, limit=5))) == [1]


def test_many_matches_put_postings_with_every_word_first(
    engine: SearchEngine, tokenizer: Tokenizer, monkeypatch: pytest.MonkeyPatch
) -> None:
    query = _every_word_and_one_word(engine, tokenizer)
    # two matches count as many here
    for module in (fts5_ranking, elasticsearch_engine):
        monkeypatch.setattr(module, "ALL_WORDS_FIRST_ABOVE", 1)

    result = engine.search(query)
    by_bm25 = {hit.job_id: hit.score for hit in result.hits}

    assert ids(result) == [1, 2]
    assert by_bm25[2] > by_bm25[1]
    assert result.total == 2
    assert ids(engine.search(replace(query, offset=1, limit=5))) == [2]
    # tiers are a relevance order: other orders take every match as it comes
    assert ids(engine.search(replace(query, sort=Sort.NEWEST))) == [2, 1]


@pytest.mark.parametrize("many", [False, True], ids=["few-matches", "many-matches"])
def test_postings_naming_the_occupation_asked_for_come_before_the_rest(
    engine: SearchEngine, tokenizer: Tokenizer, monkeypatch: pytest.MonkeyPatch, many: bool
) -> None:
    build(
        engine,
        tokenizer,
        # the other words only, in a short posting: the highest BM25
        job(1, "护士", description="持证上岗"),
        # the occupation only, in a long posting
        job(2, "维修电工", description="负责 设备 日常 维护 与 保养 " * 6),
        job(3, "电工", description="持证上岗 有 经验 优先"),
        *(job(n, title) for n, title in enumerate(["保安", "司机", "保洁员", "焊工"] * 2, 4)),
    )
    if many:
        for module in (fts5_ranking, elasticsearch_engine):
            monkeypatch.setattr(module, "ALL_WORDS_FIRST_ABOVE", 1)
    query = words(tokenizer, "电工 持证上岗")
    assert [group[0] for group in query.role_terms()] == ["电工"]

    result = engine.search(query)

    assert ids(result) == [3, 2, 1]
    assert result.total == 3
    assert ids(engine.search(replace(query, offset=1, limit=1))) == [2]
    assert ids(engine.search(replace(query, offset=2, limit=5))) == [1]
    # without the occupation rule the nurse's short posting would come before the electrician's
    plain = ids(engine.search(replace(query, roles=())))
    assert plain.index(1) < plain.index(2)


@pytest.mark.parametrize("engine", ["elasticsearch"], indirect=True)
def test_elasticsearch_asks_for_no_page_it_would_throw_away(
    engine: SearchEngine, tokenizer: Tokenizer, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert isinstance(engine, elasticsearch_engine.ElasticsearchEngine)
    build(
        engine,
        tokenizer,
        job(1, "护士", description="持证上岗"),
        job(2, "电工", description="持证上岗"),
        job(3, "保安"),
    )
    sizes: list[int] = []
    send = engine.client.search

    def counted(**request: Any) -> Any:
        sizes.append(request["size"])
        return send(**request)

    monkeypatch.setattr(engine.client, "search", counted)

    # the occupation tiers apply whatever the count: the first request only counts
    assert ids(engine.search(words(tokenizer, "电工 持证上岗"))) == [2, 1]
    assert sizes[0] == 0
    # the first tier filled the page of one: no second tier asked
    sizes.clear()
    assert ids(engine.search(words(tokenizer, "电工 持证上岗", limit=1))) == [2]
    assert sizes == [0, 1]
    # no tiers (one word): one request with the page
    sizes.clear()
    assert ids(engine.search(words(tokenizer, "保安"))) == [3]
    assert sizes == [20]


def test_excluded_words_leave_out_the_postings_that_contain_them(
    engine: SearchEngine, tokenizer: Tokenizer
) -> None:
    build(
        engine,
        tokenizer,
        job(1, "焊工"),
        job(2, "电焊工"),
        job(3, "焊工", description="电焊工 优先"),
    )
    query = words(tokenizer, "电焊工")
    assert "焊工" in query.terms[0]

    synonyms_only = engine.search(replace(query, exclude=("电焊工",)))

    assert ids(synonyms_only) == [1]
    assert synonyms_only.total == 1


# -- filters ---------------------------------------------------------------------------------

FILTER_CORPUS = (
    job(1, "普工", kind="full_time", city="威海市", district="环翠区", county_code="371002",
        town_code="371002001", occupation_code="6-01-02-03",
        education_level=int(EducationLevel.SECONDARY_VOCATIONAL), experience_years=1,
        published_at=datetime(2024, 3, 1, 9, 0), is_key_enterprise=True,
        **pay(4000, 6000, SalaryUnit.MONTH)),
    job(2, "普工", kind="gig", city="威海市", district="文登区", county_code="371003",
        town_code="371003100", occupation_code="6-01-03-01",
        published_at=datetime(2024, 1, 10, 9, 0), **pay(200, 300, SalaryUnit.DAY)),
    job(3, "普工", kind="part_time", city="烟台市", district="芝罘区", county_code="370602",
        occupation_code="4-02-01-01", education_level=int(EducationLevel.BACHELOR),
        experience_years=5, published_at=datetime(2023, 12, 1, 9, 0),
        **pay(1, 2, SalaryUnit.PIECE)),
    job(4, "普工", kind="full_time", city="威海市", district="环翠区", county_code="371002",
        town_code="371002002", occupation_code="6-01",
        education_level=int(EducationLevel.NONE), experience_years=0, is_key_enterprise=True),
    job(5, "普工", kind="full_time", city="威海市", district="荣成市", county_code="371082",
        experience_years=3, published_at=datetime(2024, 2, 15, 9, 0),
        **pay(7000, None, SalaryUnit.MONTH)),
    job(6, "普工", kind="gig", education_level=int(EducationLevel.SENIOR_HIGH),
        published_at=datetime(2024, 3, 5, 9, 0), **pay(None, 3000, SalaryUnit.MONTH)),
    job(7, "普工", kind="gig", city="威海市", district="乳山市",
        published_at=datetime(2024, 2, 1, 0, 0), **pay(0.5, 1, SalaryUnit.PIECE)),
    job(8, "普工", kind="full_time", city="威海市", district="文登区",
        education_level=int(EducationLevel.ASSOCIATE), experience_years=2,
        published_at=datetime(2024, 1, 31, 23, 59), **pay(8000, 10000, SalaryUnit.MONTH)),
    job(9, "普工", kind="full_time", city="威海市", salary_unit="unknown"),
    job(10, "普工", kind="gig", salary_unit=SalaryUnit.PIECE),  # piece work, no rate stated
)  # fmt: skip

FILTER_CASES: dict[str, tuple[dict[str, Any], set[int]]] = {
    "kind": ({"kinds": ("gig",)}, {2, 6, 7, 10}),
    "kinds": ({"kinds": ("gig", "part_time")}, {2, 3, 6, 7, 10}),
    "city": ({"city": "威海市"}, {1, 2, 4, 5, 7, 8, 9}),
    "city and district": ({"city": "威海市", "district": "环翠区"}, {1, 4}),
    "district": ({"district": "文登区"}, {2, 8}),
    "county": ({"county_code": "371002"}, {1, 4}),
    "town": ({"town_code": "371002001"}, {1}),
    "occupation major group": ({"occupation_code": "6-01"}, {1, 2, 4}),
    "occupation prefix": ({"occupation_code": "6-01-02"}, {1}),
    "occupation prefix with dash": ({"occupation_code": "6-01-"}, {1, 2}),
    "occupation exact": ({"occupation_code": "4-02-01-01"}, {3}),
    # 5000-7000/month overlaps 4000-6000, 200-300/day (4350-6525) and "7000 以上"
    "pay month range": ({"pay": PayFilter(5000, 7000, SalaryUnit.MONTH)}, {1, 2, 5}),
    "pay month ceiling": ({"pay": PayFilter(None, 3500, SalaryUnit.MONTH)}, {6}),
    "pay month floor": ({"pay": PayFilter(9000, None, SalaryUnit.MONTH)}, {8}),
    # 250/day is 5437.5/month
    "pay day floor": ({"pay": PayFilter(250, None, SalaryUnit.DAY)}, {1, 2, 5, 8}),
    "pay day range": ({"pay": PayFilter(150, 190, SalaryUnit.DAY)}, {1}),
    "pay piece": ({"pay": PayFilter(1.5, 3, SalaryUnit.PIECE)}, {3}),
    "pay piece ceiling": ({"pay": PayFilter(None, 0.8, SalaryUnit.PIECE)}, {7}),
    "pay any stated": ({"pay": PayFilter(None, None, SalaryUnit.MONTH)}, {1, 2, 5, 6, 8}),
    "education": ({"education_max": int(EducationLevel.SENIOR_HIGH)}, {2, 4, 5, 6, 7, 9, 10}),
    "education none": ({"education_max": int(EducationLevel.NONE)}, {2, 4, 5, 7, 9, 10}),
    "experience": ({"experience_max": 1}, {1, 2, 4, 6, 7, 9, 10}),
    "experience zero": ({"experience_max": 0}, {2, 4, 6, 7, 9, 10}),
    "posted after": ({"posted_after": datetime(2024, 2, 1, 0, 0)}, {1, 5, 6, 7}),
    "key enterprise": ({"key_enterprise_only": True}, {1, 4}),
    "combined": (
        {"city": "威海市", "kinds": ("full_time",), "pay": PayFilter(5000, None)},
        {1, 5, 8},
    ),
}


@pytest.mark.parametrize(
    ("filters", "expected"), list(FILTER_CASES.values()), ids=list(FILTER_CASES)
)
@pytest.mark.parametrize("text", ["", "普工"], ids=["no words", "with words"])
def test_each_filter_keeps_exactly_the_matching_postings(
    engine: SearchEngine,
    tokenizer: Tokenizer,
    text: str,
    filters: dict[str, Any],
    expected: set[int],
) -> None:
    build(engine, tokenizer, *FILTER_CORPUS)

    result = engine.search(words(tokenizer, text, limit=50, **filters))

    assert set(ids(result)) == expected
    assert result.total == len(expected)


# -- geography -------------------------------------------------------------------------------

GEO_CORPUS = (
    job(1, "保洁员", **north_east(1.0)),
    job(2, "保洁员", **north_east(0.0, 3.0)),
    job(3, "保洁员", **north_east(-4.9)),
    job(4, "保洁员", **north_east(5.2)),
    job(5, "保洁员", **north_east(3.0, 4.1)),  # about 5.08 km: just outside a 5 km circle
    job(6, "保洁员"),  # no point
)


def test_radius_keeps_postings_within_it_nearest_first(
    engine: SearchEngine, tokenizer: Tokenizer
) -> None:
    build(engine, tokenizer, *GEO_CORPUS)

    result = engine.search(words(tokenizer, "保洁", near=CENTRE, radius_km=5.0, sort=Sort.DISTANCE))

    assert ids(result) == [1, 2, 3]
    assert result.total == 3
    for hit, record in zip(result.hits, GEO_CORPUS, strict=False):
        assert record.lat is not None
        assert record.lng is not None
        exact = distance_km(record.lat, record.lng, CENTRE.lat, CENTRE.lng)
        assert hit.distance_km == pytest.approx(exact, abs=1e-6)
    assert [round(hit.distance_km or 0, 2) for hit in result.hits] == [1.0, 3.0, 4.9]


def test_distance_sort_without_radius_puts_postings_without_a_point_last(
    engine: SearchEngine, tokenizer: Tokenizer
) -> None:
    build(engine, tokenizer, *GEO_CORPUS)

    result = engine.search(SearchQuery(near=CENTRE, sort=Sort.DISTANCE))

    assert ids(result) == [1, 2, 3, 5, 4, 6]
    assert result.hits[-1].distance_km is None


def test_distance_is_reported_when_sorting_by_relevance_near_a_point(
    engine: SearchEngine, tokenizer: Tokenizer
) -> None:
    build(engine, tokenizer, *GEO_CORPUS)

    result = engine.search(words(tokenizer, "保洁员", near=CENTRE, radius_km=3.5))

    assert sorted(ids(result)) == [1, 2]
    assert all(hit.distance_km is not None and hit.distance_km < 3.5 for hit in result.hits)


# -- facets and boosts -----------------------------------------------------------------------


def test_facets_count_every_matching_posting_by_district_kind_and_salary_band(
    engine: SearchEngine, tokenizer: Tokenizer
) -> None:
    build(engine, tokenizer, *FILTER_CORPUS, job(11, "厨师", district="环翠区"))

    result = engine.search(words(tokenizer, "普工", limit=2, facets=True))

    assert result.total == 10
    assert len(result.hits) == 2
    assert dict(result.facets["district"]) == {
        "环翠区": 2, "文登区": 2, "芝罘区": 1, "荣成市": 1, "乳山市": 1,
    }  # fmt: skip
    assert dict(result.facets["kind"]) == {"full_time": 5, "gig": 4, "part_time": 1}
    # 1: 5000 → 4000-6000; 2: 5437.5; 5: 7000 → 6000-8000; 6: 3000; 8: 9000; piece has none
    assert dict(result.facets["salary_band"]) == {
        "4000-6000": 2, "6000-8000": 1, "<4000": 1, "8000-12000": 1,
    }  # fmt: skip


def test_facets_count_occupation_groups_and_education_levels(
    engine: SearchEngine, tokenizer: Tokenizer
) -> None:
    build(engine, tokenizer, *FILTER_CORPUS)

    result = engine.search(words(tokenizer, "普工", limit=1, facets=True))

    # 1 (6-01-02-03), 2 (6-01-03-01) and 4 (6-01) share the 中类 6-01; 3 is 4-02
    assert dict(result.facets["occupation"]) == {"6-01": 3, "4-02": 1}
    # levels by number; "no requirement" (0) is a level of its own, unstated ones are left out
    assert dict(result.facets["education"]) == {
        str(int(EducationLevel.SECONDARY_VOCATIONAL)): 1,
        str(int(EducationLevel.BACHELOR)): 1,
        str(int(EducationLevel.NONE)): 1,
        str(int(EducationLevel.SENIOR_HIGH)): 1,
        str(int(EducationLevel.ASSOCIATE)): 1,
    }


def test_facets_follow_the_filters(engine: SearchEngine, tokenizer: Tokenizer) -> None:
    build(engine, tokenizer, *FILTER_CORPUS)

    result = engine.search(SearchQuery(kinds=("gig",), facets=True))

    assert result.total == 4
    assert dict(result.facets["kind"]) == {"gig": 4}
    assert dict(result.facets["district"]) == {"文登区": 1, "乳山市": 1}


def test_a_named_city_lifts_its_postings_without_filtering_the_others(
    engine: SearchEngine, tokenizer: Tokenizer
) -> None:
    build(
        engine,
        tokenizer,
        # the same words; the longer description makes 1 score a little lower than 2
        job(1, "叉车司机", city="威海市", description="驾驶 叉车 装卸 仓库 货物 工作 认真"),
        job(2, "叉车司机", city="烟台市", description="驾驶 叉车 装卸 货物"),
        job(3, "叉车司机", city="青岛市", district="黄岛区", description="驾驶 叉车 装卸 货物"),
    )
    plain = engine.search(words(tokenizer, "叉车司机"))
    assert ids(plain)[-1] == 1

    by_city = engine.search(words(tokenizer, "叉车司机", boost_city="威海市"))
    by_district = engine.search(words(tokenizer, "叉车司机", boost_district="黄岛区"))

    assert ids(by_city)[0] == 1
    assert sorted(ids(by_city)) == [1, 2, 3]
    scores = {hit.job_id: hit.score for hit in plain.hits}
    assert by_city.hits[0].score == pytest.approx(scores[1] * 1.5, rel=1e-5)
    assert ids(by_district)[0] == 3
    assert by_district.total == 3
    # a one-posting page still weighs the lift: the lower-scoring posting in the city comes first
    assert ids(engine.search(words(tokenizer, "叉车司机", boost_city="威海市", limit=1))) == [1]
    second = engine.search(words(tokenizer, "叉车司机", boost_city="威海市", offset=1, limit=1))
    assert ids(second) == [ids(by_city)[1]]


def test_a_named_place_need_not_be_in_the_text_of_the_postings_with_every_word(
    engine: SearchEngine, tokenizer: Tokenizer, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(
        engine,
        tokenizer,
        # in 威海 with every other word, the city only in its location
        job(1, "高级焊工", city="威海市"),
        # names 威海 and one other word: the highest BM25 without the place rule
        job(2, "焊工", city="烟台市", description="威海 焊工 焊工"),
        job(3, "高级焊工", city="烟台市", description="焊接 结构件"),
        job(4, "威海 高级 保洁员", city="威海市", description="保洁 高级 小区"),
        # job 3 naming 威海 as well, elsewhere
        job(5, "高级焊工", city="烟台市", description="焊接 结构件 威海"),
        # postings without the words, so that each word's IDF is positive
        *(job(n, "厨师", description="中餐 炒锅") for n in range(10, 30)),
    )
    # two matches count as many here: postings with every word come first
    for module in (fts5_ranking, elasticsearch_engine):
        monkeypatch.setattr(module, "ALL_WORDS_FIRST_ABOVE", 1)
    places = Places.of(["威海市", "烟台市"], {})
    query = read_query(words(tokenizer, "威海 高级 焊工"), places)
    assert query.boost_city == "威海市"
    assert query.required_terms() == tuple(g for g in query.terms if g[0] != "威海")

    result = engine.search(query)

    # every word but the place first, the one in 威海 ahead; then the postings with some words
    assert ids(result)[0] == 1
    assert sorted(ids(result)[:3]) == [1, 3, 5]
    assert sorted(ids(result)[3:]) == [2, 4]
    assert result.total == 5
    assert ids(engine.search(replace(query, offset=1, limit=2))) == ids(result)[1:3]
    # where the text names the place it scores too, once: its own share and nothing more
    scores = {hit.job_id: hit.score for hit in result.hits}
    assert scores[3] < scores[5] < 2 * scores[3]
    # read as plain words, no posting has all three: the one naming 威海 outranks job 3
    plain = ids(engine.search(replace(query, places=())))
    assert plain.index(2) < plain.index(3)


@pytest.mark.parametrize("many", [False, True], ids=["one order", "tiers"])
def test_a_posting_that_holds_only_the_place_word_is_no_match(
    engine: SearchEngine, tokenizer: Tokenizer, monkeypatch: pytest.MonkeyPatch, many: bool
) -> None:
    build(
        engine,
        tokenizer,
        job(1, "叉车司机", city="威海市", description="威海 港区 仓库"),
        job(2, "叉车司机", city="烟台市"),
        # names 威海 many times, no other word of the query
        job(3, "导游", city="威海市", description="威海 威海 刘公岛 讲解"),
        *(job(n, "厨师", description="中餐 炒锅") for n in range(10, 30)),
    )
    if many:  # two matches count as many here
        for module in (fts5_ranking, elasticsearch_engine):
            monkeypatch.setattr(module, "ALL_WORDS_FIRST_ABOVE", 1)
    query = read_query(words(tokenizer, "叉车司机 威海"), Places.of(["威海市", "烟台市"], {}))

    result = engine.search(replace(query, facets=True))

    assert ids(result) == [1, 2]
    assert result.total == 2
    # a query of the place alone still finds it
    assert 3 in ids(engine.search(read_query(words(tokenizer, "威海"), Places.of(["威海市"], {}))))


def test_a_posting_with_the_parts_of_a_compound_has_every_word(
    engine: SearchEngine, tokenizer: Tokenizer, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(
        engine,
        tokenizer,
        job(1, "销售顾问", description="底薪加提成"),
        # the same pay in other words: 底薪 and 提成, never 底薪加提成
        job(2, "销售顾问", description="无责底薪 另有提成"),
        # 销售 and 提成 many times, no 底薪
        job(3, "销售", description="销售 提成 提成 提成"),
        *(job(n, "厨师", description="中餐 炒锅") for n in range(10, 30)),
    )
    for module in (fts5_ranking, elasticsearch_engine):
        monkeypatch.setattr(module, "ALL_WORDS_FIRST_ABOVE", 1)
    query = words(tokenizer, "销售 底薪加提成")
    assert [group[0] for group in query.required_terms()] == ["销售", "底薪", "提成"]

    result = engine.search(query)

    assert ids(result) == [1, 2, 3]
    # each word job 2 holds scores once, as in a query of those words alone
    parts = engine.search(words(tokenizer, "销售 底薪 提成"))
    scores = {hit.job_id: hit.score for hit in parts.hits}
    assert result.hits[1].score == pytest.approx(scores[2], rel=1e-5)
    # in one BM25 order, without the tier, job 2 would come after job 3
    for module in (fts5_ranking, elasticsearch_engine):
        monkeypatch.setattr(module, "ALL_WORDS_FIRST_ABOVE", 100)
    assert ids(engine.search(query)) == [1, 3, 2]


# -- pagination ------------------------------------------------------------------------------

DESCRIPTIONS = ("负责 生产线 操作", "负责 生产线 操作 与 包装", "负责 包装")
PAGE_CORPUS = tuple(
    job(
        n,
        "普工",
        # three descriptions, so that many postings tie on score
        description=DESCRIPTIONS[n % 3],
        # four dates and none: ties on date too
        published_at=(None, *(datetime(2024, 1, day, 8, 0) for day in (3, 5, 7, 9)))[n % 5],
        # six pay ranges and none: ties on pay too
        **(pay(3000 + 500 * (n % 3), 5000 + 500 * (n % 2), SalaryUnit.MONTH) if n % 4 else {}),
        **(north_east(n % 7, n % 3) if n % 8 else {}),
    )
    for n in range(1, 61)
)

PAGINATIONS = {
    "relevance": {"sort": Sort.RELEVANCE},
    "relevance without words": {"sort": Sort.RELEVANCE, "terms": ()},
    "newest": {"sort": Sort.NEWEST},
    "pay": {"sort": Sort.PAY},
    "distance": {"sort": Sort.DISTANCE, "near": CENTRE},
}


def _pages(engine: SearchEngine, query: SearchQuery, size: int) -> Iterator[SearchResult]:
    offset = 0
    while True:
        page = engine.search(replace(query, offset=offset, limit=size))
        yield page
        if not page.hits:
            return
        offset += size


@pytest.mark.parametrize("order", list(PAGINATIONS.values()), ids=list(PAGINATIONS))
def test_walking_pages_yields_each_posting_once_in_the_order_of_one_big_page(
    engine: SearchEngine, tokenizer: Tokenizer, order: Mapping[str, Any]
) -> None:
    build(engine, tokenizer, *PAGE_CORPUS)
    query = replace(words(tokenizer, "普工 生产线"), **order)

    whole = engine.search(replace(query, limit=100))
    walked: list[int] = []
    for page in _pages(engine, query, size=7):
        assert page.total == 60
        walked.extend(ids(page))

    assert walked == ids(whole)
    assert sorted(walked) == list(range(1, 61))


def test_a_posting_word_lifts_postings_whose_fields_say_it(
    engine: SearchEngine, tokenizer: Tokenizer
) -> None:
    build(
        engine,
        tokenizer,
        job(1, "扇贝分拣工", kind="full_time", **pay(5000, 6000, SalaryUnit.MONTH)),
        job(2, "扇贝分拣工", kind="odd_job", **pay(200, None, SalaryUnit.DAY)),
    )
    plain = engine.search(words(tokenizer, "扇贝分拣工"))
    daily = engine.search(words(tokenizer, "扇贝分拣工", boosts=("日结",)))

    assert ids(plain) == [2, 1]  # equal text: the higher id first
    assert ids(daily) == [2, 1]
    assert daily.hits[0].score > daily.hits[1].score  # lifted, not just tied
    part_time = engine.search(words(tokenizer, "扇贝分拣工", boosts=("兼职",)))
    assert part_time.hits[0].score == pytest.approx(part_time.hits[1].score)


def test_newest_order_puts_postings_without_a_date_last(
    engine: SearchEngine, tokenizer: Tokenizer
) -> None:
    build(engine, tokenizer, *FILTER_CORPUS)

    newest = engine.search(SearchQuery(sort=Sort.NEWEST, limit=50))

    assert ids(newest) == [6, 1, 5, 7, 8, 2, 3, 10, 9, 4]


def test_pay_order_ranks_by_the_highest_stated_monthly_pay(
    engine: SearchEngine, tokenizer: Tokenizer
) -> None:
    build(engine, tokenizer, *FILTER_CORPUS)

    best_paid = engine.search(SearchQuery(sort=Sort.PAY, limit=50))

    # 10000, 7000 以上, 6525 (300/day), 6000, 3000 以下; then piece rates and unstated pay
    assert ids(best_paid) == [8, 5, 2, 1, 6, 10, 9, 7, 4, 3]


def test_a_piece_rate_filter_never_matches_postings_without_a_rate(
    engine: SearchEngine, tokenizer: Tokenizer
) -> None:
    build(engine, tokenizer, *FILTER_CORPUS)

    result = engine.search(SearchQuery(pay=PayFilter(None, None, SalaryUnit.PIECE)))

    assert sorted(ids(result)) == [3, 7]


# -- writes ----------------------------------------------------------------------------------


def test_delete_removes_postings_from_search_and_ignores_unknown_ids(
    engine: SearchEngine, tokenizer: Tokenizer
) -> None:
    build(engine, tokenizer, job(1, "电工"), job(2, "电工"), job(3, "电工"))

    engine.delete([2, 999])

    assert sorted(ids(engine.search(words(tokenizer, "电工")))) == [1, 3]
    assert engine.health(VERSION).documents == 2


def test_indexing_an_existing_id_replaces_the_posting(
    engine: SearchEngine, tokenizer: Tokenizer
) -> None:
    build(engine, tokenizer, job(1, "电工"), job(2, "焊工"))

    written = engine.index(
        [
            job_document(job(1, "厨师", city="威海市"), tokenizer),
            job_document(job(3, "电工"), tokenizer),
        ]
    )

    assert written == 2
    assert ids(engine.search(words(tokenizer, "电工"))) == [3]
    assert ids(engine.search(words(tokenizer, "厨师", city="威海市"))) == [1]
    assert engine.health(VERSION).documents == 3


def test_an_engine_that_was_never_built_is_unavailable(
    engine: SearchEngine, tokenizer: Tokenizer
) -> None:
    health = engine.health(VERSION)

    assert not health.ok
    assert health.error
    with pytest.raises(SearchUnavailable):
        engine.search(words(tokenizer, "电工"))
    with pytest.raises(SearchUnavailable):
        engine.index([job_document(job(1, "电工"), tokenizer)])


def test_health_reports_a_stale_dictionary(engine: SearchEngine, tokenizer: Tokenizer) -> None:
    build(engine, tokenizer, job(1, "电工"), job(2, "焊工"), version="dict-v1")

    current = engine.health("dict-v1")
    stale = engine.health("dict-v2")

    assert current.ok
    assert current.engine == engine.name
    assert current.documents == 2
    assert current.dictionary_version == "dict-v1"
    assert engine.health().ok
    assert not stale.ok
    assert stale.documents == 2
    assert stale.dictionary_version == "dict-v1"
    assert stale.error is not None
    assert "dict-v2" in stale.error
    assert "flask index rebuild" in stale.error


def test_rebuild_serves_the_old_index_until_the_swap(
    engine: SearchEngine, tokenizer: Tokenizer
) -> None:
    build(engine, tokenizer, job(1, "电工"), version="dict-v1")
    during: list[tuple[list[int], list[int]]] = []

    def new_documents() -> Iterator[dict[str, Any]]:
        yield job_document(job(2, "厨师"), tokenizer)
        during.append(
            (
                ids(engine.search(words(tokenizer, "电工"))),
                ids(engine.search(words(tokenizer, "厨师"))),
            )
        )
        yield job_document(job(3, "厨师"), tokenizer)

    assert engine.rebuild(new_documents(), "dict-v2") == 2

    assert during == [([1], [])]
    assert ids(engine.search(words(tokenizer, "电工"))) == []
    assert sorted(ids(engine.search(words(tokenizer, "厨师")))) == [2, 3]
    assert engine.health("dict-v2").ok
    assert engine.health("dict-v2").documents == 2


# -- suggestions -----------------------------------------------------------------------------


def test_suggest_offers_titles_starting_with_the_prefix_then_holding_it_most_common_first(
    engine: SearchEngine, tokenizer: Tokenizer
) -> None:
    titles = ["电工", "电焊工", "电工", "维修电工", "电工学徒", "Java开发", "java测试", "100%好评"]
    titles += ["焊工", "氩弧焊工", "氩弧焊工", "招聘*焊工?"]
    build(engine, tokenizer, *(job(n, title) for n, title in enumerate(titles, 1)))

    assert engine.suggest("电") == ["电工", "电工学徒", "电焊工", "维修电工"]
    assert engine.suggest(" 电工 ", limit=1) == ["电工"]
    # then titles holding it further in, the most common first
    assert engine.suggest("焊") == ["焊工", "氩弧焊工", "招聘*焊工?", "电焊工"]
    assert engine.suggest("焊", limit=2) == ["焊工", "氩弧焊工"]
    assert engine.suggest("电工") == ["电工", "电工学徒", "维修电工"]
    assert engine.suggest("*焊") == engine.suggest("焊工?") == ["招聘*焊工?"]
    assert engine.suggest("JAVA") == engine.suggest("AVA") == ["Java开发", "java测试"]
    assert engine.suggest("100%") == ["100%好评"]
    assert engine.suggest("%") == ["100%好评"]
    assert engine.suggest("_") == engine.suggest(".") == []
    assert engine.suggest("   ") == []


# -- stored tokens (the ranker's view of a posting) ------------------------------------------


def test_stored_tokens_are_what_each_text_field_was_indexed_with(
    engine: SearchEngine, tokenizer: Tokenizer
) -> None:
    posting = job(
        1, "电焊工", description="持电工证，熟练氩弧焊", skills="电焊,氩弧焊", benefits="包吃住"
    )
    build(engine, tokenizer, posting, job(2, "保洁员"))

    stored = engine.stored_tokens([1, 99])

    assert set(stored) == {1}  # an id the index does not hold is left out
    assert stored[1]["title"] == tokenizer.tokenize("电焊工")
    assert stored[1]["description"] == tokenizer.tokenize("持电工证，熟练氩弧焊")
    assert stored[1]["skills"] == tokenizer.tokenize("电焊,氩弧焊 包吃住")
    assert engine.stored_tokens([]) == {}
