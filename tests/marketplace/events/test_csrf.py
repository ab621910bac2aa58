"""CSRF on the event forms: with protection on (as in production) every POST needs the token."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from marketplace import create_app
from marketplace.accounts.models import Role, User
from marketplace.database import get_database, utcnow
from marketplace.events import services
from marketplace.events.models import Booth, Campaign
from tests.marketplace import factories
from tests.marketplace.accounts import factories as accounts
from tests.marketplace.accounts.helpers import csrf_token
from tests.marketplace.events.helpers import event

CAMPAIGN = {
    "name": "金秋招聘月",
    "kind": "golden_autumn",
    "starts_on": "2026-09-01",
    "ends_on": "2026-09-30",
}


@pytest.fixture
def protected_app(app_config: dict[str, Any]) -> Iterator[Flask]:
    app = create_app({**app_config, "WTF_CSRF_ENABLED": True})
    yield app
    app.extensions["jiuye.database"].dispose()


@pytest.fixture
def db(protected_app: Flask) -> Iterator[Session]:
    session = get_database(protected_app).session()
    accounts.weihai_places(session)
    session.commit()
    yield session
    session.close()


def signed_in(app: Flask, user: User) -> FlaskClient:
    client = app.test_client()
    token = csrf_token(client, "/login")
    response = client.post(
        "/login", data={"login": user.username, "password": accounts.PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302
    return client


def test_creating_a_campaign_needs_the_token(protected_app: Flask, db: Session) -> None:
    staff = accounts.user(db, role=Role.STAFF)
    db.commit()
    client = signed_in(protected_app, staff)
    response = client.post("/events/campaigns/new", data=CAMPAIGN)
    assert response.status_code == 400
    assert "请刷新页面后重新提交" in response.get_data(as_text=True)
    assert db.scalar(select(Campaign.id)) is None
    token = csrf_token(client, "/events/campaigns/new")
    response = client.post("/events/campaigns/new", data={**CAMPAIGN, "csrf_token": token})
    assert response.status_code == 303
    assert db.scalar(select(Campaign.name)) == "金秋招聘月"


def test_registering_a_booth_needs_the_token(protected_app: Flask, db: Session) -> None:
    staff = accounts.user(db, role=Role.STAFF)
    employer = factories.employer(db)
    user = accounts.user(db, role=Role.EMPLOYER, employer_id=employer.id)
    fair = event(db, staff)
    db.commit()
    client = signed_in(protected_app, user)
    assert client.post(f"/events/{fair.id}/booth").status_code == 400
    assert db.scalar(select(Booth.id)) is None
    token = csrf_token(client, f"/events/{fair.id}")
    response = client.post(f"/events/{fair.id}/booth", data={"csrf_token": token})
    assert response.status_code == 303
    assert db.scalar(select(Booth.employer_id)) == employer.id


@pytest.mark.parametrize("action", ["confirm", "cancel"])
def test_staff_booth_decisions_need_the_token(
    protected_app: Flask, db: Session, action: str
) -> None:
    staff = accounts.user(db, role=Role.STAFF)
    fair = event(db, staff)
    booth = services.register_booth(db, factories.employer(db), fair, utcnow())
    db.commit()
    client = signed_in(protected_app, staff)
    assert client.post(f"/events/staff/booths/{booth.id}/{action}").status_code == 400
    db.expire_all()
    assert db.get(Booth, booth.id).status == "registered"  # type: ignore[union-attr]
    token = csrf_token(client, f"/events/staff/{fair.id}")
    response = client.post(
        f"/events/staff/booths/{booth.id}/{action}", data={"booth-csrf_token": token}
    )
    assert response.status_code == 303
    db.expire_all()
    assert db.get(Booth, booth.id).status != "registered"  # type: ignore[union-attr]
