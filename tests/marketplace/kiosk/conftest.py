"""Fixtures for the kiosk tests: the app on a real Redis, a service point with a terminal."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from marketplace.accounts.models import Role, User
from marketplace.kiosk import services
from marketplace.places.models import Datum, ServicePoint
from tests.marketplace.accounts import factories as accounts
from tests.marketplace.gigs import factories as gig_factories


@pytest.fixture
def app_config(app_config: dict[str, Any], redis_url: str) -> dict[str, Any]:
    return {**app_config, "REDIS_URL": redis_url}


@pytest.fixture
def point(session: Session) -> ServicePoint:
    """俚岛镇就业服务站 at the town seat of the gig factories' town."""
    gig_factories.places(session)
    lng, lat = gig_factories.TOWN_POINT
    record = ServicePoint(
        name="俚岛镇就业服务站",
        level="town",
        place_code=gig_factories.TOWN,
        phone="12333",
        lng=lng,
        lat=lat,
        datum=Datum.WGS84,
    )
    session.add(record)
    session.commit()
    return record


@pytest.fixture
def station_staff(session: Session, point: ServicePoint) -> User:
    user = accounts.user(session, Role.STAFF, service_point_id=point.id, display_name="站员")
    session.commit()
    return user


@pytest.fixture
def token(session: Session, station_staff: User, point: ServicePoint) -> str:
    _device, token = services.create_device(session, station_staff, "大厅 1 号", point.id)
    return token


@pytest.fixture
def kiosk(app: Flask, token: str) -> FlaskClient:
    """A test client enrolled as the service point's terminal."""
    client = app.test_client()
    response = client.post("/kiosk/enroll", data={"token": token})
    assert response.status_code == 303, response.get_data(as_text=True)
    return client
