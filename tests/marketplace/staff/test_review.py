"""The review services: the queue's order and clock, and what follows each staff decision."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from marketplace.accounts.models import Role, User
from marketplace.employers.models import Verification
from marketplace.errors import Forbidden, ValidationError
from marketplace.jobs.models import Job, JobStatus, JobStatusEvent
from marketplace.places.models import ServicePoint
from marketplace.staff import review
from tests.marketplace import factories
from tests.marketplace.accounts import factories as accounts

NOW = datetime(2026, 11, 26, 12, 0)
FINDING = {
    "code": "pay.outlier",
    "severity": "review",
    "field": "salary",
    "words": [],
    "message": "薪资明显高于同类职位，请核实",
}


def pending(session: Session, hours_ago: float, **fields: Any) -> Job:
    return factories.job(
        session,
        status=JobStatus.PENDING_REVIEW,
        submitted_at=NOW - timedelta(hours=hours_ago),
        **fields,
    )


def events(session: Session, job: Job) -> list[JobStatusEvent]:
    return list(session.scalars(select(JobStatusEvent).where(JobStatusEvent.job_id == job.id)))


def test_key_enterprise_postings_come_first_then_the_longest_waiting(
    session: Session,
) -> None:
    key = factories.employer(session, is_key_enterprise=True, key_category="new_target")
    old = pending(session, 10, title="普工（早）")
    new = pending(session, 1, title="普工（晚）")
    key_new = pending(session, 0.5, employer=key, title="重点企业焊工")
    key_old = pending(session, 1.5, employer=key, title="重点企业装配工")
    factories.job(session, status=JobStatus.PUBLISHED, title="已发布")
    rows = review.review_queue(session, NOW)
    assert [row.job.id for row in rows] == [key_old.id, key_new.id, old.id, new.id]
    assert [row.green_channel for row in rows] == [True, True, False, False]


def test_the_target_is_two_hours_for_key_enterprises_and_a_day_otherwise(
    session: Session,
) -> None:
    key = factories.employer(session, is_key_enterprise=True, key_category="other")
    pending(session, 3, employer=key)  # 2 h target: overdue by an hour
    pending(session, 1, employer=key)  # an hour left
    pending(session, 23)  # 24 h target: an hour left
    pending(session, 25)  # overdue by an hour
    rows = review.review_queue(session, NOW)
    assert [row.overdue for row in rows] == [True, False, True, False]
    assert rows[0].due_at == NOW - timedelta(hours=1)
    assert rows[1].remaining == timedelta(hours=1)
    assert rows[2].remaining == timedelta(hours=-1)
    assert rows[3].due_at == NOW + timedelta(hours=1)
    assert review.REVIEW_TARGET_KEY_HOURS == 2
    assert review.REVIEW_TARGET_HOURS == 24


def test_a_posting_without_a_submit_time_waits_since_it_was_created(session: Session) -> None:
    job = factories.job(session, status=JobStatus.PENDING_REVIEW, created_at=NOW)
    (row,) = review.review_queue(session, NOW + timedelta(hours=25))
    assert row.job.id == job.id
    assert row.submitted_at == NOW
    assert row.overdue


def test_staff_counts(session: Session) -> None:
    staff = accounts.user(session, role=Role.STAFF)
    factories.employer(session, verification=Verification.PENDING)
    factories.employer(session, verification=Verification.VERIFIED)
    key = factories.employer(session, is_key_enterprise=True, key_category="other")
    pending(session, 3, employer=key)
    pending(session, 1)
    counts = review.staff_counts(session, staff, NOW)
    assert counts == review.StaffCounts(
        employers_pending=1, reviews_pending=2, reviews_key=1, reviews_overdue=1
    )


@pytest.fixture
def staff(session: Session) -> User:
    return accounts.user(session, role=Role.STAFF)


def test_approving_an_employer_publishes_its_clean_pending_postings_only(
    session: Session, staff: User
) -> None:
    employer = factories.employer(session, verification=Verification.PENDING)
    clean = pending(session, 1, employer=employer, title="干净的职位", check_findings=[])
    flagged = pending(session, 1, employer=employer, check_findings=[FINDING])
    draft = factories.job(session, employer=employer)
    published = review.approve_employer(session, staff, employer)
    assert published == [clean]
    assert employer.verification == Verification.VERIFIED
    assert clean.status == JobStatus.PUBLISHED
    assert flagged.status == JobStatus.PENDING_REVIEW
    assert draft.status == JobStatus.DRAFT
    session.flush()
    (event,) = events(session, clean)
    assert event.user_id == staff.id
    assert event.reason == "单位核验通过，自动发布"


def test_only_staff_approve_employers(session: Session) -> None:
    employer = factories.employer(session, verification=Verification.PENDING)
    seeker = accounts.user(session, role=Role.SEEKER)
    with pytest.raises(Forbidden):
        review.approve_employer(session, seeker, employer)
    assert employer.verification == Verification.PENDING


def test_rejecting_an_employer_needs_a_reason(session: Session, staff: User) -> None:
    employer = factories.employer(session, verification=Verification.PENDING)
    with pytest.raises(ValidationError):
        review.reject_employer(session, staff, employer, "   ")
    assert employer.verification == Verification.PENDING
    review.reject_employer(session, staff, employer, "营业执照名称与填写不符")
    assert employer.verification == Verification.REJECTED
    assert employer.verification_note == "营业执照名称与填写不符"  # the employer is told why
    review.approve_employer(session, staff, employer)
    assert employer.verification_note is None


def test_a_posting_of_an_unverified_employer_cannot_be_approved(
    session: Session, staff: User
) -> None:
    employer = factories.employer(session, verification=Verification.PENDING)
    job = pending(session, 1, employer=employer)
    with pytest.raises(review.EmployerNotVerified):
        review.approve_posting(session, staff, job)
    assert job.status == JobStatus.PENDING_REVIEW


@pytest.mark.parametrize(
    ("decide", "status"),
    [
        (review.reject_posting, JobStatus.REJECTED),
        (review.request_changes, JobStatus.CHANGES_REQUESTED),
    ],
)
def test_rejecting_or_sending_back_needs_a_reason_and_records_it(
    session: Session, staff: User, decide: Any, status: JobStatus
) -> None:
    job = pending(session, 1)
    with pytest.raises(ValidationError):
        decide(session, staff, job, "")
    assert job.status == JobStatus.PENDING_REVIEW
    decide(session, staff, job, "请删去“限本地户籍”")
    session.flush()
    assert job.status == status
    (event,) = events(session, job)
    assert (event.user_id, event.reason) == (staff.id, "请删去“限本地户籍”")


def test_a_decided_posting_cannot_be_decided_again(session: Session, staff: User) -> None:
    job = pending(session, 1)
    review.approve_posting(session, staff, job)
    with pytest.raises(review.NotPending):
        review.reject_posting(session, staff, job, "重复")
    assert job.status == JobStatus.PUBLISHED


def test_a_posting_resubmitted_since_the_page_was_read_is_refused(
    session: Session, staff: User
) -> None:
    job = pending(session, 1)
    seen = job.submitted_at
    job.submitted_at = NOW  # the employer edited and submitted again
    with pytest.raises(review.NotPending):
        review.approve_posting(session, staff, job, seen)
    review.approve_posting(session, staff, job, NOW)
    assert job.status == JobStatus.PUBLISHED


def test_duration_words() -> None:
    assert review.duration_words(timedelta(minutes=35)) == "35 分钟"
    assert review.duration_words(timedelta(hours=1, minutes=20)) == "1 小时 20 分"
    assert review.duration_words(timedelta(hours=-74)) == "3 天 2 小时"


def _point_staff(session: Session, level: str, code: str) -> User:
    accounts.weihai_places(session)
    point = ServicePoint(name="测试服务站", level=level, place_code=code)
    session.add(point)
    session.flush()
    return accounts.user(session, role=Role.STAFF, service_point_id=point.id)


def test_county_staff_see_and_decide_only_what_is_in_their_county(session: Session) -> None:
    county = _point_staff(session, "county", "371082")  # 荣成市
    here = pending(session, 1, county_code="371082")
    pending(session, 1, county_code="371003")
    pending(session, 1)  # no place: city staff only
    assert [row.job.id for row in review.review_queue(session, NOW, county)] == [here.id]
    assert len(review.review_queue(session, NOW)) == 3
    local = factories.employer(session, county_code="371082", verification="pending")
    other = factories.employer(session, county_code="371003", verification="pending")
    assert review.can_manage_employer(county, local)
    with pytest.raises(Forbidden):
        review.approve_employer(session, county, other)
    assert other.verification == Verification.PENDING


def test_town_staff_review_their_town_but_do_not_verify_employers(session: Session) -> None:
    town = _point_staff(session, "town", "371002001")
    job = pending(session, 1, county_code="371002", town_code="371002001")
    pending(session, 1, county_code="371002", town_code="371002002")
    assert [row.job.id for row in review.review_queue(session, NOW, town)] == [job.id]
    review.approve_posting(session, town, job)
    assert job.status == JobStatus.PUBLISHED
    assert review.staff_counts(session, town, NOW).employers_pending == 0
    with pytest.raises(Forbidden):
        review.approve_employer(session, town, factories.employer(session, county_code="371002"))
