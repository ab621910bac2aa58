"""Fixtures the web-app tests share: a database session beside the app's, a signed-in staff
client. A folder's conftest adds its own people and data."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from marketplace.accounts.models import Role, User
from marketplace.database import get_database
from tests.marketplace.accounts import factories as accounts
from tests.marketplace.accounts.helpers import log_in


@pytest.fixture
def session(app: Flask) -> Iterator[Session]:
    session = get_database(app).session()
    yield session
    session.close()


@pytest.fixture
def staff(session: Session) -> User:
    user = accounts.user(session, role=Role.STAFF, display_name="审核员王")
    session.commit()
    return user


@pytest.fixture
def staff_client(client: FlaskClient, staff: User) -> FlaskClient:
    assert log_in(client, staff.username, accounts.PASSWORD).status_code == 302
    return client
