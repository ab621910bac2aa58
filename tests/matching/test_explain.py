""" "Why this job" reasons in plain Chinese."""

from __future__ import annotations

from datetime import datetime, timedelta

from matching.explain import Wording, reasons
from matching.features import Candidate, QueryContext, Seeker, featurize

NOW = datetime(2026, 11, 26)


def test_the_strongest_reasons_come_first_and_at_most_three() -> None:
    seeker = Seeker(lat=37.50, lng=122.10, pay_min=6000, pay_max=8000)
    job = Candidate(
        job_id=1, engine_score=5.0, engine_rank=1, title_words=("焊工",),
        words=frozenset({"焊工"}), compact_title="焊工", lat=37.52, lng=122.10,
        monthly_min=6000, monthly_max=9000, published_at=NOW - timedelta(days=2),
        is_key_enterprise=True,
    )  # fmt: skip
    row = featurize(QueryContext(words=("焊工",), compact_text="焊工", seeker=seeker), [job], NOW)
    said = reasons(row[0])
    assert said == ["职位名称与搜索一致", "距您 2.2 公里", "薪资符合期望"]


def test_nothing_is_claimed_that_the_posting_does_not_show() -> None:
    job = Candidate(
        job_id=1, engine_score=1.0, engine_rank=1, title_words=("会计",),
        words=frozenset({"会计"}), compact_title="会计",
    )  # fmt: skip
    row = featurize(QueryContext(words=("出纳",)), [job], NOW)
    assert reasons(row[0]) == []


def test_another_wording_says_the_same_facts_for_another_reader() -> None:
    """An employer reads a seeker's row: their occupation, skills and home, not the posting's."""
    seeker = Seeker(
        lat=37.50, lng=122.10, occupation_code="6-18-02-04", skills=frozenset({"焊工证"})
    )
    job = Candidate(
        job_id=1, engine_score=2.0, engine_rank=1, title_words=("焊工",),
        words=frozenset({"焊工"}), compact_title="焊工", lat=37.52, lng=122.10,
        skills=frozenset({"焊工证"}), occupation_code="6-18-02-04",
        published_at=NOW, is_key_enterprise=True, employer_verified=True,
    )  # fmt: skip
    row = featurize(QueryContext(words=("焊工",), compact_text="焊工", seeker=seeker), [job], NOW)
    employer = Wording(
        title_exact=None,
        occupation="期望职业：焊工",
        distance="家距此 {km:.1f} 公里",
        skills="具备技能：焊工证",
        recency=False,
        key_enterprise=None,
        verified=None,
        weights={"occupation": 1.0, "skills": 0.97},
    )

    assert reasons(row[0], limit=4, wording=employer) == [
        "期望职业：焊工",
        "具备技能：焊工证",
        "家距此 2.2 公里",
    ]
    # the seeker's wording of the same row is unchanged
    assert reasons(row[0]) == ["职位名称与搜索一致", "距您 2.2 公里", "职业与期望相符"]
