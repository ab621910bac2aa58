"""Fixtures for the event tests: a session beside the app's, Weihai's places, people."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from marketplace.accounts.models import Role, User
from marketplace.employers.models import Employer
from tests.marketplace import factories
from tests.marketplace.accounts import factories as accounts


@pytest.fixture
def places(session: Session) -> None:
    accounts.weihai_places(session)
    session.commit()


@pytest.fixture
def staff(session: Session, places: None) -> User:
    user = accounts.user(session, role=Role.STAFF, display_name="活动组织员刘")
    session.commit()
    return user


@pytest.fixture
def employer(session: Session, places: None) -> Employer:
    record = factories.employer(session, name="威海海洋水产食品有限公司", county_code="371082")
    session.commit()
    return record


@pytest.fixture
def employer_user(session: Session, employer: Employer) -> User:
    user = accounts.user(session, role=Role.EMPLOYER, employer_id=employer.id)
    session.commit()
    return user
