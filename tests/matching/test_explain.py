""" "Why this job" reasons in plain Chinese."""

from __future__ import annotations

from datetime import datetime, timedelta

from matching.explain import reasons
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
