"""`flask demo seed`: Weihai's real places, invented firms, jobs and people, created once."""

from __future__ import annotations

import math
import shutil
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from indexer.education import EducationLevel
from indexer.salary import monthly_equivalent
from marketplace import create_app
from marketplace.accounts.models import Role, User
from marketplace.accounts.passwords import verify_password
from marketplace.database import get_database, utcnow
from marketplace.employers.credit_code import is_valid_credit_code
from marketplace.employers.models import Employer, Verification
from marketplace.jobs.models import Job, JobKind, JobStatus, JobStatusEvent
from marketplace.places import weihai
from marketplace.places.models import Place, PlaceLevel, Precision, ServicePoint
from marketplace.seekers.models import Application, SeekerProfile

COUNTIES = {
    "371002": "环翠区",
    "371003": "文登区",
    "371082": "荣成市",
    "371083": "乳山市",
    "371071": "威海火炬高技术产业开发区",
    "371072": "威海经济技术开发区",
    "371073": "威海临港经济技术开发区",
}
LOGINS = {
    "staff": "staff-demo-2023",
    "station": "station-demo-2023",
    "employer": "employer-demo-2023",
    "seeker": "seeker-demo-2023",
}
TABLES = (Place, ServicePoint, Employer, Job, JobStatusEvent, User, SeekerProfile, Application)


def make_app(template: Path, folder: Path) -> Flask:
    folder.mkdir()
    path = folder / "t.sqlite3"
    shutil.copyfile(template, path)
    return create_app(
        {
            "TESTING": True,
            "DATABASE_URL": f"sqlite:///{path}",
            "FTS5_PATH": str(folder / "search.sqlite3"),
            "REDIS_URL": None,
        }
    )


def seed(app: Flask, *args: str) -> Any:
    result = app.test_cli_runner().invoke(args=["demo", "seed", *args])
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture(scope="module")
def demo(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """One app seeded with 120 jobs, shared by the read-only tests of this module."""
    app = make_app(sqlite_template, tmp_path_factory.mktemp("demo") / "app")
    seed(app, "--jobs", "120")
    yield app
    get_database(app).dispose()


@pytest.fixture
def session(demo: Flask) -> Iterator[Session]:
    db_session = get_database(demo).session()
    yield db_session
    db_session.close()


def km(lng1: float, lat1: float, lng2: float, lat2: float) -> float:
    east = (lng2 - lng1) * 111.2 * math.cos(math.radians((lat1 + lat2) / 2))
    return math.hypot(east, (lat2 - lat1) * 111.2)


def counts(app: Flask) -> dict[str, int]:
    db_session = get_database(app).session()
    try:
        return {
            table.__tablename__: db_session.scalar(select(func.count()).select_from(table)) or 0
            for table in TABLES
        }
    finally:
        db_session.close()


def test_the_seven_counties_have_their_official_codes_under_weihai(session: Session) -> None:
    counties = session.scalars(select(Place).where(Place.level == PlaceLevel.COUNTY)).all()

    assert {place.code: place.name for place in counties} == COUNTIES
    assert {place.parent_code for place in counties} == {"371000"}
    assert session.get(Place, "371000").name == "威海市"  # type: ignore[union-attr]


def test_every_town_hangs_under_its_county_with_a_point(session: Session) -> None:
    towns = session.scalars(select(Place).where(Place.level == PlaceLevel.TOWN)).all()

    assert len(towns) == 73
    for town in towns:
        assert len(town.code) == 9
        assert town.parent_code == town.code[:6]
        assert town.datum == "WGS-84"
        assert town.precision in (Precision.TOWN, Precision.COUNTY)
    names = {town.name for town in towns}
    assert {"俚岛镇", "成山镇", "乳山口镇", "文登营镇", "初村镇"} <= names


def test_derived_town_points_stay_within_twelve_km_of_their_county_centre() -> None:
    derived = [code for code, (_, point) in weihai.TOWNS.items() if point is None]

    assert derived
    for code in derived:
        lng, lat, precision = weihai.town_point(code)
        county = weihai.county(code)
        assert precision == Precision.COUNTY
        assert km(lng, lat, county.lng, county.lat) <= 12


def test_places_list_parents_before_children() -> None:
    seen: set[str] = set()
    for row in weihai.weihai_places():
        assert row["parent_code"] is None or row["parent_code"] in seen
        seen.add(row["code"])
    assert len(seen) == 1 + 7 + 73


def test_service_points_cover_county_town_and_village_levels(session: Session) -> None:
    points = session.scalars(select(ServicePoint)).all()
    by_level = {level: [p for p in points if p.level == level] for level in ("county", "town")}
    villages = [p for p in points if p.level == "village"]

    assert {p.place_code for p in by_level["county"]} == set(COUNTIES)
    assert 10 <= len(by_level["town"]) <= 14
    assert 15 <= len(villages) <= 25
    # village points belong to a real town (no invented village codes)
    assert all(session.get(Place, p.place_code).level == PlaceLevel.TOWN for p in villages)  # type: ignore[union-attr]


def test_jobs_of_all_three_kinds_are_published_with_consistent_pay(session: Session) -> None:
    published = session.scalars(select(Job).where(Job.status == JobStatus.PUBLISHED)).all()
    kinds = {job.kind for job in published}

    assert len(published) >= 90
    assert kinds == {JobKind.FULL_TIME, JobKind.PART_TIME, JobKind.ODD_JOB}
    for job in published:
        assert job.salary_min is not None
        assert job.salary_max is not None
        assert job.salary_min <= job.salary_max
        expected = monthly_equivalent(job.salary_min, job.salary_unit, job.salary_months)
        assert job.salary_monthly_min == pytest.approx(expected) if expected else True
        if job.salary_unit == "month":
            assert 4000 <= job.salary_min <= job.salary_max <= 12000
        elif job.salary_unit == "day":
            assert 150 <= job.salary_min <= job.salary_max <= 300
        elif job.salary_unit == "hour":
            assert 20 <= job.salary_min <= job.salary_max <= 35
        else:
            assert job.salary_unit == "piece"
            assert job.salary_monthly_min is None
    odd_units = {job.salary_unit for job in published if job.kind == JobKind.ODD_JOB}
    assert {"day", "hour"} <= odd_units


def test_jobs_read_like_weihai_postings(session: Session) -> None:
    jobs = session.scalars(select(Job)).all()
    titles = {job.title for job in jobs}

    assert titles & {"水产加工工", "船舶电焊工", "轮胎成型工", "医疗器械装配工", "缝纫工"}
    for job in jobs:
        assert 2 <= job.description.count("。") <= 5
        assert job.city == "威海市"
        assert job.county_code in COUNTIES
        assert job.town_code is not None
        assert job.town_code.startswith(job.county_code)
        assert job.datum == "WGS-84"
        assert job.lng is not None
        assert job.lat is not None
        lng, lat, _ = weihai.town_point(job.town_code)
        assert km(job.lng, job.lat, lng, lat) <= 2
        assert job.education is not None
        EducationLevel.from_code(job.education)  # a known code
        assert job.skills
        assert job.benefits


def test_published_dates_spread_over_the_last_month_with_history(session: Session) -> None:
    published = session.scalars(select(Job).where(Job.status == JobStatus.PUBLISHED)).all()
    dates = sorted(job.published_at for job in published if job.published_at)
    now = utcnow()

    assert len(dates) == len(published)
    assert dates[0] >= now - timedelta(days=31)
    assert dates[-1] <= now
    assert dates[-1] - dates[0] > timedelta(days=20)
    job = published[0]
    events = session.scalars(
        select(JobStatusEvent).where(JobStatusEvent.job_id == job.id).order_by(JobStatusEvent.at)
    ).all()
    assert [(e.from_status, e.to_status) for e in events] == [
        ("draft", "pending_review"),
        ("pending_review", "published"),
    ]
    assert events[-1].at == job.published_at


def test_a_few_jobs_are_drafts_pending_or_closed(session: Session) -> None:
    rows = session.execute(select(Job.status, func.count()).group_by(Job.status))
    statuses: dict[str, int] = {status: count for status, count in rows}

    assert statuses.get(JobStatus.DRAFT, 0) >= 1
    assert statuses.get(JobStatus.PENDING_REVIEW, 0) >= 1
    assert statuses[JobStatus.PUBLISHED] > sum(statuses.values()) * 0.7


def test_key_enterprises_are_flagged_with_a_category(session: Session) -> None:
    employers = session.scalars(select(Employer)).all()
    key = [e for e in employers if e.is_key_enterprise]

    assert 35 <= len(employers) <= 50
    assert 6 <= len(key) <= 10
    assert all(e.key_category for e in key)
    assert all(e.verification == Verification.VERIFIED for e in key)


def test_every_credit_code_is_valid_and_local(session: Session) -> None:
    employers = session.scalars(select(Employer)).all()

    for employer in employers:
        assert employer.credit_code is not None
        assert is_valid_credit_code(employer.credit_code), employer.credit_code
        assert employer.credit_code[2:8] == employer.county_code


def test_employers_awaiting_verification_have_nothing_published(session: Session) -> None:
    pending = session.scalars(
        select(Employer).where(Employer.verification == Verification.PENDING)
    ).all()

    assert pending
    published = session.scalar(
        select(func.count())
        .select_from(Job)
        .where(Job.employer_id.in_([e.id for e in pending]), Job.status == JobStatus.PUBLISHED)
    )
    assert published == 0


def test_demo_logins_work_and_are_bound_where_they_belong(session: Session) -> None:
    users = {u.username: u for u in session.scalars(select(User))}

    for username, password in LOGINS.items():
        assert verify_password(users[username].password_hash, password), username
    assert users["staff"].role == Role.STAFF
    assert users["staff"].service_point_id is None
    station = users["station"]
    assert station.role == Role.STAFF
    assert station.service_point is not None
    assert station.service_point.level == "town"
    employer = users["employer"]
    assert employer.role == Role.EMPLOYER
    assert employer.employer is not None
    assert employer.employer.verification == Verification.VERIFIED
    seeker = users["seeker"]
    profile = session.scalar(select(SeekerProfile).where(SeekerProfile.user_id == seeker.id))
    assert profile is not None
    assert profile.desired_job
    # home is where the home town is ("距您 4.0 公里" must not measure from another county)
    assert profile.home_town_code is not None
    assert profile.lng is not None
    assert profile.lat is not None
    town_lng, town_lat, _ = weihai.town_point(profile.home_town_code)
    assert km(profile.lng, profile.lat, town_lng, town_lat) < 5


def test_seekers_have_safe_phones_and_some_applications(session: Session) -> None:
    seekers = session.scalars(select(SeekerProfile)).all()

    assert len(seekers) >= 60
    for seeker in seekers:
        assert seeker.phone is not None
        assert seeker.phone[:3] in ("170", "171")
        assert len(seeker.phone) == 11
        assert seeker.home_town_code in weihai.TOWNS
    assert any(seeker.target_groups for seeker in seekers)
    applications = session.scalar(select(func.count()).select_from(Application)) or 0
    assert 10 <= applications <= 40


def test_seeding_twice_changes_nothing(demo: Flask) -> None:
    before = counts(demo)

    result = seed(demo, "--jobs", "120")

    assert "nothing changed" in result.output
    assert counts(demo) == before


def test_the_same_seed_gives_the_same_demo(sqlite_template: Path, tmp_path: Path) -> None:
    def jobs_of(app: Flask) -> list[tuple[Any, ...]]:
        seed(app, "--jobs", "25", "--seed", "7")
        db_session = get_database(app).session()
        try:
            rows = db_session.execute(
                select(
                    Job.title, Job.salary_min, Job.salary_unit, Job.town_code, Job.status
                ).order_by(Job.id)
            )
            return [tuple(row) for row in rows]
        finally:
            db_session.close()
            get_database(app).dispose()

    first = jobs_of(make_app(sqlite_template, tmp_path / "a"))
    second = jobs_of(make_app(sqlite_template, tmp_path / "b"))

    assert len(first) == 25
    assert first == second
