"""Only staff verify employers and flag key enterprises; the search index follows."""

from __future__ import annotations

import pytest
from flask import Flask

from marketplace.accounts.models import Role, User
from marketplace.database import get_database
from marketplace.employers.models import KeyCategory, Verification
from marketplace.employers.services import set_key_enterprise, verify_employer
from marketplace.errors import Forbidden, ValidationError
from marketplace.search import outbox
from tests.marketplace import factories

pytestmark = pytest.mark.postgres


def user(role: Role, active: bool = True) -> User:
    return User(
        username=f"u-{role}", password_hash="x", role=role, display_name="测试", is_active=active
    )


def test_staff_flag_a_key_enterprise_and_its_jobs_are_requeued(app: Flask) -> None:
    session = get_database(app).session()
    employer = factories.employer(session, verification=Verification.PENDING)
    factories.job(session, employer=employer)
    session.commit()
    outbox.clear_through(session, outbox.last_id(session))  # as if the drainer had run
    staff = user(Role.STAFF)
    verify_employer(session, staff, employer, approve=True)
    set_key_enterprise(session, staff, employer, KeyCategory.ABOVE_SCALE_INDUSTRIAL)
    session.commit()
    assert (employer.verification, employer.is_key_enterprise) == ("verified", True)
    assert employer.key_category == "above_scale_industrial"
    assert employer.verified_at is not None
    assert outbox.pending_count(session) == 1  # the employer's job is queued again
    set_key_enterprise(session, staff, employer, None)
    assert (employer.is_key_enterprise, employer.key_category) == (False, None)
    session.close()


@pytest.mark.parametrize("role", [Role.EMPLOYER, Role.SEEKER])
def test_nobody_but_staff_may_flag_or_verify(app: Flask, role: Role) -> None:
    session = get_database(app).session()
    employer = factories.employer(session, verification=Verification.PENDING)
    with pytest.raises(Forbidden):
        set_key_enterprise(session, user(role), employer, KeyCategory.OTHER)
    with pytest.raises(Forbidden):
        verify_employer(session, user(role), employer, approve=True)
    with pytest.raises(Forbidden):
        verify_employer(session, user(Role.STAFF, active=False), employer, approve=True)
    assert employer.is_key_enterprise is False
    assert employer.verification == "pending"
    session.rollback()
    session.close()


def test_an_unknown_category_is_refused(app: Flask) -> None:
    session = get_database(app).session()
    employer = factories.employer(session)
    with pytest.raises(ValidationError, match="未知的重点企业类别"):
        set_key_enterprise(session, user(Role.STAFF), employer, "biggest")
    assert employer.is_key_enterprise is False
    session.rollback()
    session.close()
