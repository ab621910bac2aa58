"""Each dashboard metric on a small hand-built database with known answers."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy.orm import Session

from marketplace.accounts.models import Role
from marketplace.dashboard import metrics
from marketplace.gigs.models import GigEvent, GigRequest, PayUnit, RequestStatus
from marketplace.jobs.models import Job, JobStatus, JobStatusEvent
from marketplace.seekers.models import (
    Application,
    ApplicationEvent,
    ApplicationStatus,
    SeekerProfile,
)
from tests.marketplace import factories
from tests.marketplace.accounts import factories as accounts

# Wednesday 2026-05-06 12:00 in Weihai; its week starts on Monday 2026-05-04.
NOW = datetime(2026, 5, 6, 4, 0)
PERIOD = metrics.Period(2, NOW)


def test_the_period_covers_whole_beijing_weeks_ending_with_the_current_one() -> None:
    assert PERIOD.week_starts() == [date(2026, 4, 27), date(2026, 5, 4)]
    assert PERIOD.since == datetime(2026, 4, 26, 16, 0)  # Monday 00:00 Beijing time
    # Sunday 23:30 Beijing time still belongs to the week before
    assert metrics.week_of(datetime(2026, 5, 3, 15, 30)) == date(2026, 4, 27)


def _published(session: Session, **fields: Any) -> Job:
    return factories.job(session, status=JobStatus.PUBLISHED, published_at=NOW, **fields)


def _hire(session: Session, job: Job, at: datetime) -> None:
    seeker = SeekerProfile(name="求职者", target_groups=[])
    session.add(seeker)
    session.flush()
    application = Application(job_id=job.id, seeker_id=seeker.id, status=ApplicationStatus.HIRED)
    session.add(application)
    session.flush()
    session.add(
        ApplicationEvent(
            application_id=application.id,
            from_status=ApplicationStatus.INTERVIEW,
            to_status=ApplicationStatus.HIRED,
            at=at,
        )
    )


def test_vacancies_and_hires_by_district(session: Session) -> None:
    shipyard = factories.employer(session, industry="船舶制造")
    a = _published(session, employer=shipyard, district="环翠区", headcount=5)
    _published(session, district="环翠区", headcount=None)  # counts as one place
    b = _published(session, district="荣成市", headcount=3)
    factories.job(session, status=JobStatus.DRAFT, district="文登区", headcount=9)
    _hire(session, a, NOW - timedelta(days=1))
    _hire(session, b, NOW - timedelta(days=2))
    _hire(session, b, NOW - timedelta(weeks=5))  # before the period
    session.commit()

    table = metrics.vacancies_and_hires(session, "district", PERIOD)

    assert table.headers == ["区县", "在招职位数", "招聘人数", "近2周录用人数"]
    assert table.rows == [["环翠区", 2, 6, 1], ["荣成市", 1, 3, 1]]


def test_vacancies_and_hires_by_industry_name_the_unstated(session: Session) -> None:
    shipyard = factories.employer(session, industry="船舶制造")
    _published(session, employer=shipyard, headcount=4)
    _published(session, headcount=2)
    session.commit()

    table = metrics.vacancies_and_hires(session, "industry", PERIOD)

    assert table.rows == [["船舶制造", 1, 4, 0], ["未注明", 1, 2, 0]]


def _gig(
    session: Session, requester_id: int, created: datetime, filled_after: float | None
) -> None:
    request = GigRequest(
        requester_user_id=requester_id,
        title="码头卸货",
        lat=37.25,
        lng=122.5,
        starts_at=created + timedelta(days=1),
        ends_at=created + timedelta(days=1, hours=4),
        pay_amount=200,
        pay_unit=PayUnit.DAY,
        headcount=2,
        created_at=created,
        status=RequestStatus.OPEN if filled_after is None else RequestStatus.FILLED,
    )
    session.add(request)
    session.flush()
    if filled_after is not None:
        for hours in (filled_after, filled_after + 5):  # filled twice (after a withdrawal)
            session.add(
                GigEvent(
                    subject="request",
                    request_id=request.id,
                    from_status=RequestStatus.OPEN,
                    to_status=RequestStatus.FILLED,
                    at=created + timedelta(hours=hours),
                )
            )


def test_gig_fill_rate_and_median_time_to_fill_by_week(session: Session) -> None:
    requester = accounts.user(session, role=Role.EMPLOYER)
    monday = datetime(2026, 5, 4, 1, 0)  # 09:00 Beijing time
    _gig(session, requester.id, monday, 2)
    _gig(session, requester.id, monday, 6)
    _gig(session, requester.id, monday, None)
    _gig(session, requester.id, datetime(2026, 4, 28, 2, 0), 1)
    _gig(session, requester.id, datetime(2026, 3, 2, 2, 0), 1)  # before the period
    session.commit()

    table = metrics.gig_weeks(session, PERIOD)

    assert table.rows == [
        ["2026-04-27", 1, 1, 1.0, 1.0],
        ["2026-05-04", 3, 2, 0.667, 4.0],
    ]


def test_an_empty_week_has_no_rate_rather_than_zero(session: Session) -> None:
    table = metrics.gig_weeks(session, PERIOD)
    assert table.rows[0] == ["2026-04-27", 0, 0, None, None]


def test_key_enterprise_trend_follows_the_status_history(session: Session) -> None:
    key = factories.employer(session, is_key_enterprise=True)
    job = factories.job(session, employer=key, status=JobStatus.CLOSED, headcount=20)
    other = factories.job(session, status=JobStatus.PUBLISHED, headcount=7)  # not key
    for from_status, to_status, at in (
        (JobStatus.DRAFT, JobStatus.PUBLISHED, datetime(2026, 4, 28)),
        (JobStatus.PUBLISHED, JobStatus.CLOSED, datetime(2026, 5, 5)),
    ):
        session.add(
            JobStatusEvent(job_id=job.id, from_status=from_status, to_status=to_status, at=at)
        )
    session.add(
        JobStatusEvent(job_id=other.id, to_status=JobStatus.PUBLISHED, at=datetime(2026, 4, 1))
    )
    # a key posting without history: its publish and close times stand in
    factories.job(
        session,
        employer=key,
        status=JobStatus.PUBLISHED,
        headcount=None,
        published_at=datetime(2026, 5, 5),
    )
    session.commit()

    table = metrics.key_enterprise_trend(session, PERIOD)

    assert table.rows == [["2026-04-27", 1, 20], ["2026-05-04", 1, 1]]


def test_wage_postings_take_a_city_and_leave_out_unstated_pay(session: Session) -> None:
    _published(session, city="威海市", district="环翠区")  # 5000–7000 → 6000
    no_pay = _published(session, city="威海市")
    no_pay.salary_monthly_min = no_pay.salary_monthly_max = None
    _published(session, city="济南市", district="历下区")
    factories.job(session, status=JobStatus.DRAFT, city="威海市")  # never published
    session.commit()

    postings, missing = metrics.wage_postings(session, "威海市")
    assert [(p.monthly, p.district) for p in postings] == [(6000, "环翠区")]
    assert missing == 1

    everywhere, _ = metrics.wage_postings(session, None)
    assert sorted(p.district or "" for p in everywhere) == ["威海市·环翠区", "济南市·历下区"]


def _event(
    session: Session, district: str, kind: str, starts_at: datetime, **fields: object
) -> None:
    from marketplace.events.models import Event, EventFormat, EventStatus

    values: dict[str, object] = {
        "title": "测试招聘会",
        "format": EventFormat.OFFLINE,
        "kind": kind,
        "district_code": district,
        "starts_at": starts_at,
        "ends_at": starts_at + timedelta(hours=3),
        "status": EventStatus.HELD,
    }
    values.update(fields)
    session.add(Event(**values))


def test_events_held_against_weekly_and_monthly_targets(session: Session) -> None:
    pytest.importorskip("marketplace.events.models")
    accounts.weihai_places(session)
    huancui, rongcheng = "371002", "371082"
    _event(session, huancui, "specialised", datetime(2026, 4, 28, 2))
    _event(session, huancui, "specialised", datetime(2026, 4, 29, 2), is_campus=True)
    _event(session, huancui, "specialised", datetime(2026, 5, 5, 2))
    _event(session, huancui, "comprehensive", datetime(2026, 5, 5, 6))
    _event(session, rongcheng, "specialised", datetime(2026, 5, 4, 2), status="cancelled")
    _event(session, rongcheng, "specialised", datetime(2026, 5, 7, 2))  # after now
    session.commit()

    tables = metrics.events_vs_target(session, PERIOD)

    assert tables is not None
    by_district, by_month = tables
    rows = {row[0]: row for row in by_district.rows}
    assert rows["环翠区"] == ["环翠区", 3, 2, 2, 1, 1, 2]
    assert rows["荣成市"] == ["荣成市", 0, 0, 2, 0, 0, 2]
    assert by_month.rows == [["2026-04", 2, 1, 25], ["2026-05", 2, 0, 25]]
