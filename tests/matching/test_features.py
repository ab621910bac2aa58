"""The ranker's features: one row per candidate, one column per documented feature."""

from __future__ import annotations

import math
from datetime import datetime, timedelta

import pytest

from matching.features import (
    FEATURE_NAMES,
    FEATURES,
    Candidate,
    QueryContext,
    Seeker,
    featurize,
    featurize_pairs,
)

NOW = datetime(2026, 11, 26, 12, 0)


def candidate(job_id: int, title: str, **fields: object) -> Candidate:
    words = tuple(title.split())
    values: dict[str, object] = {
        "job_id": job_id,
        "engine_score": 10.0 / job_id,
        "engine_rank": job_id,
        "title_words": words,
        "words": frozenset(words),
        "compact_title": title.replace(" ", ""),
    }
    values.update(fields)
    return Candidate(**values)  # type: ignore[arg-type]


def column(rows: object, name: str) -> list[float]:
    index = FEATURE_NAMES.index(name)
    return [float(row[index]) for row in rows]  # type: ignore[attr-defined]


def test_every_feature_is_documented_and_has_a_column() -> None:
    rows = featurize(QueryContext(words=("焊工",)), [candidate(1, "焊工")], NOW)
    assert rows.shape == (1, len(FEATURES))
    assert all(description.strip() for description in FEATURES.values())


def test_title_coverage_and_exact_phrase() -> None:
    query = QueryContext(words=("叉车", "司机"), compact_text="叉车司机")
    rows = featurize(
        query,
        [
            candidate(1, "叉车 司机"),
            candidate(2, "司机"),
            candidate(3, "仓管", words=frozenset({"叉车"})),
        ],
        NOW,
    )
    assert column(rows, "title_coverage") == [1.0, 0.5, 0.0]
    assert column(rows, "text_coverage") == [1.0, 0.5, 0.5]
    assert column(rows, "title_exact_phrase") == [1.0, 0.0, 0.0]
    assert column(rows, "engine_score_share") == [1.0, 0.5, pytest.approx(1 / 3)]


def test_a_synonym_covers_its_query_word() -> None:
    # 幼儿园 老师: a posting for a 幼儿园教师 covers both words
    query = QueryContext(words=("幼儿园", "老师"), alternatives=(("幼儿园",), ("老师", "教师")))
    rows = featurize(
        query,
        [candidate(1, "幼儿园 教师"), candidate(2, "幼儿园 保安"), candidate(3, "英语 老师")],
        NOW,
    )
    assert column(rows, "title_coverage") == [1.0, 0.5, 0.5]
    # without the alternatives only the word itself counts
    plain = featurize(QueryContext(words=("幼儿园", "老师")), [candidate(1, "幼儿园 教师")], NOW)
    assert column(plain, "title_coverage") == [0.5]


def test_the_title_is_the_job_asked_for_when_it_ends_in_a_word_asked_for() -> None:
    # 服务员: a 餐厅服务员 is one, a 服务员主管 is not; a compound's parts are no head
    query = QueryContext(
        words=("服务", "服务员"), compact_text="服务员", whole_words=("服务员", "侍应生")
    )
    rows = featurize(
        query,
        [
            candidate(1, "服务员"),
            candidate(2, "餐厅 服务员"),
            candidate(3, "服务员 主管"),
            candidate(4, "客户 服务"),
            candidate(5, "侍应生"),
        ],
        NOW,
    )
    assert column(rows, "title_head") == [1.0, 1.0, 0.0, 0.0, 1.0]
    assert column(rows, "title_is_query") == [1.0, 0.0, 0.0, 0.0, 0.0]
    assert column(rows, "title_precision") == [1.0, 0.5, 0.5, 0.5, 0.0]
    # without whole words any word of the query heads; without words, nothing is known
    plain = featurize(QueryContext(words=("服务",)), [candidate(4, "客户 服务")], NOW)
    assert column(plain, "title_head") == [1.0]
    empty = featurize(QueryContext(), [candidate(4, "客户 服务")], NOW)
    assert all(math.isnan(value) for value in column(empty, "title_head"))
    assert all(math.isnan(value) for value in column(empty, "title_precision"))


def test_bigram_precision_reads_the_title_without_cutting_it_into_words() -> None:
    # 物流调度: 调度员 and 物流调度员 share the query's characters though no word of theirs is
    # the query's; 物流工段长 shares 物流 only; an empty query knows nothing
    query = QueryContext(words=("物流", "调度"), compact_text="物流调度")
    rows = featurize(
        query,
        [candidate(1, "物流调度员"), candidate(2, "调度员"), candidate(3, "物流 工段长")],
        NOW,
    )
    assert column(rows, "title_bigram_precision") == [0.75, 0.5, 0.25]
    empty = featurize(QueryContext(), [candidate(1, "物流调度员")], NOW)
    assert all(math.isnan(value) for value in column(empty, "title_bigram_precision"))


def test_seeker_features_are_missing_without_a_seeker() -> None:
    rows = featurize(
        QueryContext(words=("焊工",)), [candidate(1, "焊工", lat=37.5, lng=122.1)], NOW
    )
    for name in ("skill_overlap", "distance_km", "salary_fit", "education_fit", "experience_fit"):
        assert math.isnan(column(rows, name)[0]), name


def test_seeker_fit_features() -> None:
    seeker = Seeker(
        lat=37.50, lng=122.10, pay_min=6000, pay_max=8000, education_level=4,
        experience_years=1, kind="odd_job", skills=frozenset({"电焊", "叉车"}),
    )  # fmt: skip
    job = candidate(
        1, "焊工", lat=37.50, lng=122.15, monthly_min=7000, monthly_max=9000,
        education_level=5, experience_years=1, kind="odd_job", skills=frozenset({"电焊"}),
        published_at=NOW - timedelta(days=3), is_key_enterprise=True,
    )  # fmt: skip
    rows = featurize(QueryContext(words=("焊工",), seeker=seeker), [job], NOW)
    assert column(rows, "distance_km")[0] == pytest.approx(4.41, abs=0.05)
    assert column(rows, "salary_fit") == [0.5]  # 7000–8000 of the wanted 6000–8000
    assert column(rows, "education_fit") == [0.0]  # asks 本科, the seeker has 大专
    assert column(rows, "experience_fit") == [1.0]
    assert column(rows, "kind_match") == [1.0]
    assert column(rows, "skill_overlap") == [0.5]
    assert column(rows, "recency_days") == [3.0]
    assert column(rows, "key_enterprise") == [1.0]


def test_place_named_in_the_query_matches_city_or_district() -> None:
    query = QueryContext(words=("会计",), city="济南市")
    rows = featurize(
        query, [candidate(1, "会计", city="济南市"), candidate(2, "会计", city="青岛市")], NOW
    )
    assert column(rows, "place_match") == [1.0, 0.0]


def test_pairs_with_their_own_queries_give_the_rows_each_query_would() -> None:
    """One posting against two seekers (the employer's direction) in one call."""
    job = candidate(1, "船舶 焊工", lat=37.165, lng=122.486, occupation_code="6-18-02-04")
    near = QueryContext(
        words=("焊工",),
        compact_text="焊工",
        seeker=Seeker(lat=37.192, lng=122.486, occupation_code="6-18-02-04"),
    )
    cook = QueryContext(words=("厨师",), compact_text="厨师", seeker=Seeker(kind="full_time"))
    second = candidate(1, "船舶 焊工", engine_score=5.0, engine_rank=2)

    rows = featurize_pairs([(near, job), (cook, second)], NOW)

    assert rows.shape == (2, len(FEATURES))
    alone = featurize(near, [job, second], NOW)
    assert rows[0].tolist() == pytest.approx(alone[0].tolist(), nan_ok=True)
    assert column(rows, "occupation_match")[0] == 1.0
    assert math.isnan(column(rows, "occupation_match")[1])
    assert column(rows, "title_coverage") == [1.0, 0.0]
    # the engine score's share is over all the pairs
    assert column(rows, "engine_score_share") == [1.0, 0.5]
    assert featurize_pairs([], NOW).shape == (0, len(FEATURES))
