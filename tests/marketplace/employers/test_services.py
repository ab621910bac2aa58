"""The posting and applicant services called directly (the pages call the same functions)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from indexer.salary import SalaryUnit
from marketplace.employers import postings
from marketplace.employers.applicants import next_moves
from marketplace.errors import NotFound, ValidationError
from marketplace.jobs.models import Job, JobStatus, JobStatusEvent
from marketplace.seekers.models import Application, ApplicationStatus
from tests.marketplace import factories as shared
from tests.marketplace.employers.conftest import Account, employer_account
from tests.marketplace.employers.helpers import application, seeker


def _input(**fields: object) -> postings.JobInput:
    values: dict[str, object] = {
        "title": "海带晾晒工",
        "description": "海带晾晒、捆扎，按天结算。",
        "kind": "odd_job",
        "pay_min": 200.0,
        "pay_max": 260.0,
        "pay_unit": "day",
    }
    values.update(fields)
    return postings.JobInput(**values)


@pytest.mark.parametrize(
    ("low", "high", "unit", "message"),
    [
        (300.0, 200.0, "day", "最高薪资不能低于最低薪资"),
        (0.0, 200.0, "day", "薪资必须大于 0"),
        (200.0, 20_000.0, "day", "薪资超出合理范围"),
        (50.0, 2_000.0, "hour", "薪资超出合理范围"),
        (200.0, None, "week", "薪资单位选项无效"),
    ],
)
def test_pay_that_is_not_sane_is_refused(
    low: float, high: float | None, unit: str, message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        postings.salary_of(_input(pay_min=low, pay_max=high, pay_unit=unit))


def test_an_open_upper_bound_and_no_pay_are_both_fine() -> None:
    salary = postings.salary_of(_input(pay_min=6000.0, pay_max=None, pay_unit="month"))
    assert salary is not None
    assert (salary.min, salary.max, salary.unit) == (6000.0, None, SalaryUnit.MONTH)
    assert postings.salary_of(_input(pay_min=None, pay_max=None)) is None


def test_a_blocked_posting_writes_nothing(session: Session, account: Account) -> None:
    with pytest.raises(postings.PostingBlocked) as blocked:
        postings.post_job(session, account.employer, _input(description="限女性，日结。"))
    assert [finding.words for finding in blocked.value.findings] == [("限女性",)]
    session.rollback()
    assert session.scalar(select(func.count()).select_from(Job)) == 0
    assert session.scalar(select(func.count()).select_from(JobStatusEvent)) == 0


def test_a_posted_odd_job_keeps_its_day_rate_and_monthly_equivalent(
    session: Session, account: Account
) -> None:
    outcome = postings.post_job(session, account.employer, _input(), user_id=account.user.id)
    assert outcome.published
    job = outcome.job
    assert (job.kind, job.salary_unit, job.salary_min) == ("odd_job", "day", 200.0)
    assert job.salary_monthly_min == pytest.approx(200 * 21.75)
    assert (job.city, job.city_code, job.source) == ("威海市", "371000", "platform")
    events = session.scalars(select(JobStatusEvent).where(JobStatusEvent.job_id == job.id))
    assert {event.user_id for event in events} == {account.user.id}


@pytest.mark.parametrize(
    ("title", "low", "high", "unit", "code", "words"),
    [
        ("叉车司机", 1.0, 2.0, "month", "pay.below_minimum_wage", "低于山东省最低工资标准"),
        ("普工", 100.0, 200.0, "month", "pay.below_minimum_wage", "低于山东省最低工资标准"),
        ("普工", 15.0, None, "hour", "pay.below_minimum_wage", "低于山东省最低工资标准"),
        ("普工", 80_000.0, 90_000.0, "month", "pay.implausible_high", "请核实金额"),
        ("外贸业务员", 150_000.0, 200_000.0, "month", "pay.implausible_high", "请核实金额"),
        ("普工", 200.0, 300.0, "hour", "pay.implausible_high", "请核实金额"),
    ],
)
def test_a_verified_employers_implausible_pay_waits_for_review(
    session: Session,
    account: Account,
    title: str,
    low: float,
    high: float | None,
    unit: str,
    code: str,
    words: str,
) -> None:
    outcome = postings.post_job(
        session,
        account.employer,
        _input(title=title, kind="full_time", pay_min=low, pay_max=high, pay_unit=unit),
    )
    assert not outcome.published
    assert outcome.job.status == JobStatus.PENDING_REVIEW
    assert [finding.code for finding in outcome.review] == [code]
    assert words in outcome.review[0].message
    assert outcome.job.check_findings == [outcome.review[0].as_dict()]


def test_a_verified_employers_ordinary_monthly_pay_is_still_published(
    session: Session, account: Account
) -> None:
    outcome = postings.post_job(
        session,
        account.employer,
        _input(title="普工", kind="full_time", pay_min=4000.0, pay_max=6000.0, pay_unit="month"),
    )
    assert outcome.published
    assert outcome.review == []


def test_an_edit_down_to_below_the_minimum_wage_takes_a_posting_back_to_review(
    session: Session, account: Account
) -> None:
    monthly = {"kind": "full_time", "pay_unit": "month"}
    job = postings.post_job(
        session, account.employer, _input(pay_min=4000.0, pay_max=6000.0, **monthly)
    ).job
    assert job.status == JobStatus.PUBLISHED
    outcome = postings.edit_job(
        session, account.employer, job, _input(pay_min=400.0, pay_max=600.0, **monthly)
    )
    assert job.status == JobStatus.PENDING_REVIEW
    assert [finding.code for finding in outcome.review] == ["pay.below_minimum_wage"]


def test_own_job_does_not_tell_another_employers_job_from_a_missing_one(
    session: Session, account: Account
) -> None:
    other = employer_account(session)
    theirs = shared.job(session, employer=other.employer)
    with pytest.raises(NotFound) as foreign:
        postings.own_job(session, account.employer, theirs.id)
    with pytest.raises(NotFound) as missing:
        postings.own_job(session, account.employer, 987654)
    assert foreign.value.message == missing.value.message


def test_the_dashboard_counts_applicants_and_new_ones_per_job(
    session: Session, account: Account
) -> None:
    job = postings.post_job(session, account.employer, _input()).job
    application(session, job, seeker(session, with_account=False))
    application(
        session, job, seeker(session, with_account=False), status=ApplicationStatus.INTERVIEW
    )
    groups = postings.dashboard(session, account.employer)
    [(status, [row])] = groups
    assert status == JobStatus.PUBLISHED
    assert (row.applicants, row.new_applicants) == (2, 1)


def test_moves_offered_follow_the_pipeline() -> None:
    assert next_moves(Application(status=ApplicationStatus.APPLIED)) == [
        ApplicationStatus.INTERVIEW,
        ApplicationStatus.NOT_SUITABLE,
    ]
    assert next_moves(Application(status=ApplicationStatus.VIEWED)) == [
        ApplicationStatus.INTERVIEW,
        ApplicationStatus.HIRED,
        ApplicationStatus.NOT_SUITABLE,
    ]
    assert next_moves(Application(status=ApplicationStatus.WITHDRAWN)) == []
