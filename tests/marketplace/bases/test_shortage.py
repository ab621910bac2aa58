"""The key-enterprise shortage board: which vacancies, their open headcount, and actions taken."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import inspect
from sqlalchemy.orm import Session

from marketplace.accounts.models import Role, User
from marketplace.bases import services, shortage
from marketplace.database import get_database, utcnow
from marketplace.jobs.models import JobStatus, JobStatusEvent
from tests.marketplace import factories
from tests.marketplace.accounts import factories as accounts
from tests.marketplace.bases import helpers

# database-layer: these also run on PostgreSQL
pytestmark = pytest.mark.postgres


def test_open_headcount_is_headcount_minus_hires_and_the_biggest_gap_comes_first(
    session: Session,
) -> None:
    small = helpers.published(session, days_ago=40, key=True, title="小缺口", headcount=5)
    big = helpers.published(session, days_ago=35, key=True, title="大缺口", headcount=50)
    middle = helpers.published(session, days_ago=60, key=True, title="中缺口", headcount=30)
    helpers.applications(session, small, hired=2, other=3)  # in-progress ones do not count
    helpers.applications(session, big, hired=10)
    helpers.applications(session, middle, hired=1)
    session.commit()
    rows, _events = shortage.shortage_board(session, utcnow(), days=30)
    assert [(row.job.title, row.headcount, row.hired, row.gap) for row in rows] == [
        ("大缺口", 50, 10, 40),
        ("中缺口", 30, 1, 29),
        ("小缺口", 5, 2, 3),
    ]
    assert rows[1].days_open == 60


def test_equal_gaps_show_the_longest_waiting_first(session: Session) -> None:
    newer = helpers.published(session, days_ago=31, key=True, headcount=10)
    older = helpers.published(session, days_ago=90, key=True, headcount=10)
    session.commit()
    rows, _events = shortage.shortage_board(session, utcnow(), days=30)
    assert [row.job.id for row in rows] == [older.id, newer.id]


def test_what_is_left_off_the_board(session: Session) -> None:
    full = helpers.published(session, days_ago=40, key=True, headcount=3)
    helpers.applications(session, full, hired=3)
    helpers.published(session, days_ago=10, key=True, headcount=20)  # too new
    helpers.published(session, days_ago=40, key=False, headcount=20)  # not a key enterprise
    helpers.published(session, days_ago=40, key=True, headcount=None)  # gap unknown
    closed = helpers.published(session, days_ago=40, key=True, headcount=20)
    closed.status = JobStatus.CLOSED
    session.commit()
    rows, _events = shortage.shortage_board(session, utcnow(), days=30)
    assert rows == []
    rows, _events = shortage.shortage_board(session, utcnow(), days=5)
    assert [row.headcount for row in rows] == [20]


def test_actions_taken_show_base_pushes_and_green_channel_reviews(
    session: Session, staff: User
) -> None:
    job = helpers.published(session, days_ago=35, key=True, headcount=20)  # the newest
    other = helpers.published(session, days_ago=40, key=True, headcount=8)
    employer_user = accounts.user(session, role=Role.EMPLOYER)
    session.add_all(
        [
            JobStatusEvent(
                job_id=job.id,
                from_status=JobStatus.PENDING_REVIEW,
                to_status=JobStatus.PUBLISHED,
                user_id=staff.id,
                at=utcnow() - timedelta(days=40),
            ),
            # an employer's own change is no review decision
            JobStatusEvent(
                job_id=job.id,
                from_status=JobStatus.DRAFT,
                to_status=JobStatus.PENDING_REVIEW,
                user_id=employer_user.id,
            ),
        ]
    )
    created = helpers.base(session, staff, webhook_url="http://127.0.0.1:9/hook")
    services.create_delivery(session, created.base, utcnow(), "", limit=1)  # carries `job` only
    session.commit()
    rows, _events = shortage.shortage_board(session, utcnow(), days=30)
    by_id = {row.job.id: row for row in rows}
    assert [push.base_name for push in by_id[job.id].pushes] == ["甘肃定西劳务合作基地"]
    assert by_id[job.id].pushes[0].state == "pending"
    assert [review.reviewer for review in by_id[job.id].reviews] == ["协作科张"]
    assert by_id[other.id].pushes == []
    assert by_id[other.id].reviews == []


def test_the_board_page_and_its_csv(staff_client: FlaskClient, session: Session) -> None:
    job = helpers.published(session, days_ago=45, key=True, title="远洋渔船船员", headcount=25)
    helpers.applications(session, job, hired=5)
    session.commit()
    page = staff_client.get("/bases/shortage").get_data(as_text=True)
    assert "远洋渔船船员" in page
    assert "25 / 5" in page
    assert (
        staff_client.get("/bases/shortage", query_string={"days": 60})
        .get_data(as_text=True)
        .count("远洋渔船船员")
        == 0
    )
    response = staff_client.get("/bases/shortage.csv", query_string={"days": 30})
    assert response.status_code == 200
    raw = response.get_data()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == shortage.CSV_HEADER
    assert rows[1][1:6] == ["远洋渔船船员", job.employer.name, "25", "5", "20"]


def test_a_garbled_days_parameter_falls_back_to_30(
    staff_client: FlaskClient, session: Session
) -> None:
    helpers.published(session, days_ago=31, key=True, title="三十一天", headcount=2)
    factories.employer(session)
    session.commit()
    page = staff_client.get("/bases/shortage", query_string={"days": "abc"}).get_data(as_text=True)
    assert "三十一天" in page


def test_events_where_the_vacancy_had_a_booth_are_actions_taken(
    app: Flask, session: Session
) -> None:
    # Importing the events models adds their tables to the shared metadata: only safe (for the
    # migration drift test) once the events migration has made them.
    if not inspect(get_database(app).engine).has_table("booth_jobs"):
        pytest.skip("the recruitment-events tables (migration 0008) are not there yet")
    events = pytest.importorskip("marketplace.events.models")
    accounts.weihai_places(session)
    job = helpers.published(session, days_ago=40, key=True, headcount=20)
    event = events.Event(
        title="春风行动荣成专场",
        format="offline",
        kind="specialised",
        district_code="371082",
        starts_at=utcnow() - timedelta(days=7),
        ends_at=utcnow() - timedelta(days=7) + timedelta(hours=3),
    )
    session.add(event)
    session.flush()
    booth = events.Booth(event_id=event.id, employer_id=job.employer_id, status="confirmed")
    booth.jobs.append(job)
    cancelled = events.Booth(event_id=event.id, employer_id=factories.employer(session).id)
    cancelled.status = "cancelled"
    session.add_all([booth, cancelled])
    session.commit()
    rows, available = shortage.shortage_board(session, utcnow(), days=30)
    assert available
    assert [action.title for action in rows[0].events] == ["春风行动荣成专场"]
