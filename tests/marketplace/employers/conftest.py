"""Fixtures for the employer pages: a database session, employer accounts, a signed-in client."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from marketplace.accounts.models import Role, User
from marketplace.employers.models import Employer, Verification
from tests.marketplace import factories as shared
from tests.marketplace.accounts import factories
from tests.marketplace.accounts.helpers import log_in


@dataclass
class Account:
    user: User
    employer: Employer


def employer_account(session: Session, verification: str = Verification.VERIFIED) -> Account:
    employer = shared.employer(session, verification=verification)
    user = factories.user(session, Role.EMPLOYER, employer_id=employer.id, display_name="招聘专员")
    session.commit()
    return Account(user, employer)


def sign_in(client: FlaskClient, account: Account) -> None:
    response = log_in(client, account.user.username, factories.PASSWORD)
    assert response.status_code == 302


@pytest.fixture
def account(session: Session) -> Account:
    return employer_account(session)


@pytest.fixture
def signed_in(client: FlaskClient, account: Account) -> FlaskClient:
    sign_in(client, account)
    return client
