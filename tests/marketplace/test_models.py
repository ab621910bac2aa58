"""The data model: constraints and round trips that services rely on (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from indexer.salary import Salary, SalaryUnit
from marketplace.database import get_database
from marketplace.errors import Conflict
from marketplace.jobs.models import Job, JobStatus, JobStatusEvent
from marketplace.jobs.services import change_status, set_pay
from marketplace.seekers.models import Application, SeekerProfile, TargetGroup
from tests.marketplace import factories

pytestmark = pytest.mark.postgres


def test_a_seeker_cannot_apply_twice_to_one_job(app: Flask) -> None:
    session = get_database(app).session()
    job = factories.job(session)
    seeker = SeekerProfile(name="王海燕", target_groups=[TargetGroup.GRADUATE])
    session.add(seeker)
    session.flush()
    session.add(Application(job_id=job.id, seeker_id=seeker.id))
    session.flush()
    session.add(Application(job_id=job.id, seeker_id=seeker.id))
    with pytest.raises(IntegrityError):
        session.flush()
    session.rollback()
    session.close()


def test_target_groups_round_trip_as_a_list(app: Flask) -> None:
    session = get_database(app).session()
    seeker = SeekerProfile(
        name="李强", target_groups=[TargetGroup.MIGRANT_WORKER, TargetGroup.YOUTH_16_24]
    )
    session.add(seeker)
    session.commit()
    seeker_id = seeker.id
    session.close()
    session = get_database(app).session()
    stored = session.get(SeekerProfile, seeker_id)
    assert stored is not None
    assert stored.target_groups == ["migrant_worker", "youth_16_24"]
    session.close()


def test_two_employers_cannot_share_a_credit_code(app: Flask) -> None:
    session = get_database(app).session()
    code = factories.credit_code()
    factories.employer(session, credit_code=code)
    with pytest.raises(IntegrityError):
        factories.employer(session, credit_code=code)
    session.rollback()
    session.close()


@pytest.mark.parametrize(
    ("salary", "monthly"),
    [
        (Salary(min=5000, max=8000, unit=SalaryUnit.MONTH, months=None), (5000, 8000)),
        (Salary(min=120000, max=240000, unit=SalaryUnit.YEAR, months=None), (10000, 20000)),
        (Salary(min=130000, max=260000, unit=SalaryUnit.YEAR, months=13), (10000, 20000)),
        (Salary(min=200, max=None, unit=SalaryUnit.DAY, months=None), (4350, None)),
        (Salary(min=25, max=30, unit=SalaryUnit.HOUR, months=None), (4350, 5220)),
        (Salary(min=5, max=8, unit=SalaryUnit.PIECE, months=None), (None, None)),
        (None, (None, None)),
    ],
)
def test_monthly_equivalent_is_stored_beside_the_stated_pay(
    app: Flask, salary: Salary | None, monthly: tuple[float | None, float | None]
) -> None:
    session = get_database(app).session()
    job = factories.job(session)
    set_pay(job, salary)
    session.commit()
    stored = session.get(Job, job.id)
    assert stored is not None
    got = (stored.salary_monthly_min, stored.salary_monthly_max)
    assert got == pytest.approx(monthly)
    session.close()


def test_publishing_a_platform_job_sets_its_expiry_and_records_the_history(app: Flask) -> None:
    session = get_database(app).session()
    job = factories.job(session)
    change_status(session, job, JobStatus.PENDING_REVIEW)
    change_status(session, job, JobStatus.PUBLISHED, ttl_days=30)
    session.commit()
    assert job.published_at is not None
    assert job.expires_at == job.published_at + timedelta(days=30)
    history = session.scalars(
        select(JobStatusEvent.to_status)
        .where(JobStatusEvent.job_id == job.id)
        .order_by(JobStatusEvent.id)
    ).all()
    assert history == ["pending_review", "published"]
    session.close()


def test_an_imported_job_never_expires(app: Flask) -> None:
    session = get_database(app).session()
    job = factories.job(
        session, source="BOSS", source_id="BOSS_x1", status=JobStatus.PENDING_REVIEW
    )
    change_status(session, job, JobStatus.PUBLISHED)
    assert job.expires_at is None
    session.rollback()
    session.close()


def test_a_draft_cannot_jump_to_published(app: Flask) -> None:
    session = get_database(app).session()
    job = factories.job(session)
    with pytest.raises(Conflict):
        change_status(session, job, JobStatus.PUBLISHED)
    assert job.status == JobStatus.DRAFT
    session.rollback()
    session.close()
