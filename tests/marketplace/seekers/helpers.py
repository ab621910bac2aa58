"""Test data and sign-in for the seeker pages (invented people, employers and postings)."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from marketplace.accounts.models import Role, User
from marketplace.jobs.models import Job, JobStatus
from marketplace.jobs.services import change_status
from marketplace.seekers.models import SeekerProfile
from tests.marketplace import factories
from tests.marketplace.accounts import factories as account_factories
from tests.marketplace.accounts.helpers import log_in


def published_job(session: Session, **fields: Any) -> Job:
    job = factories.job(session, **fields)
    change_status(session, job, JobStatus.PENDING_REVIEW)
    change_status(session, job, JobStatus.PUBLISHED)
    session.flush()
    return job


def seeker(session: Session, *, with_profile: bool = True, **profile: Any) -> User:
    user = account_factories.user(session, role=Role.SEEKER, display_name="王海燕")
    if with_profile:
        values: dict[str, Any] = {"name": "王海燕", "desired_job": "水产加工"}
        values.update(profile)
        session.add(SeekerProfile(user_id=user.id, **values))
        session.flush()
    return user


def profile_of(session: Session, user: User) -> SeekerProfile:
    from sqlalchemy import select

    found = session.scalar(select(SeekerProfile).where(SeekerProfile.user_id == user.id))
    assert found is not None
    return found


def employer_account(session: Session, employer_id: int) -> User:
    return account_factories.user(session, role=Role.EMPLOYER, employer_id=employer_id)


def staff_account(session: Session) -> User:
    return account_factories.user(session, role=Role.STAFF, display_name="人社工作人员")


def sign_in(client: FlaskClient, user: User) -> None:
    response = log_in(client, user.username, account_factories.PASSWORD)
    assert response.status_code == 302, response.get_data(as_text=True)
