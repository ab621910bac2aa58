"""Odd jobs through the API on a real Redis: a worker answers offers, a requester watches."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
import redis
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from marketplace.accounts.models import Role, User
from marketplace.database import utcnow
from marketplace.extensions import get_redis
from marketplace.gigs import services
from marketplace.gigs.models import GigRequest, GigWorker
from marketplace.seekers.models import SeekerProfile
from tests.marketplace.accounts import factories as accounts
from tests.marketplace.api.contract import PREFIX, ApiClient
from tests.marketplace.gigs import factories as gigs

NewApi = Callable[[], ApiClient]


@pytest.fixture
def app_config(app_config: dict[str, Any], redis_url: str) -> dict[str, Any]:
    return {**app_config, "REDIS_URL": redis_url}


@pytest.fixture
def rds(app: Flask) -> Iterator[redis.Redis]:
    client = get_redis(app)
    yield client
    client.close()


def _worker(session: Session, rds: redis.Redis, *, km: float = 1.0) -> tuple[User, GigWorker]:
    """A seeker with an account, registered as a worker `km` west of the town seat."""
    gigs.places(session)
    user = accounts.user(session, Role.SEEKER, display_name="王海")
    seeker = SeekerProfile(user_id=user.id, name="王海", phone=user.phone, target_groups=[])
    session.add(seeker)
    session.commit()
    lng, lat = gigs.point_west(km)
    worker = services.register_worker(
        session, rds, seeker.id, skills=["搬运"], lng=lng, lat=lat, now=utcnow()
    )
    return user, worker


def _requester(session: Session) -> User:
    user = accounts.user(session, Role.EMPLOYER, display_name="张老板")
    session.commit()
    return user


def _signed_in(new_api: NewApi, user: User) -> ApiClient:
    api = new_api()
    assert user.phone is not None
    api.sign_in(user.phone, accounts.PASSWORD)
    return api


def _local(at: datetime) -> str:
    """Naive UTC → Weihai time with its offset, as a phone would send it."""
    return (at + timedelta(hours=8)).replace(microsecond=0).isoformat() + "+08:00"


def _new_request(headcount: Any = 2, **more: Any) -> dict[str, Any]:
    starts = utcnow() + timedelta(hours=2)
    lng, lat = gigs.point_west(0.0)
    return {
        "title": "码头卸货",
        "starts_at": _local(starts),
        "ends_at": _local(starts + timedelta(hours=4)),
        "pay_amount": 200,
        "pay_unit": "day",
        "headcount": headcount,
        "skills": ["搬运"],
        "lat": lat,
        "lng": lng,
        "address": "俚岛镇码头",
        "urgent": True,
        "contact_phone": "13700001111",
        **more,
    }


def test_a_worker_accepts_an_offer_and_the_requester_sees_one_of_two(
    session: Session, rds: redis.Redis, new_api: NewApi
) -> None:
    worker_user, _worker_row = _worker(session, rds)
    boss = _signed_in(new_api, _requester(session))

    posted = boss.post(f"{PREFIX}/gigs/requests", json=_new_request())
    assert posted.status_code == 201
    status = posted.get_json()
    assert posted.headers["Location"].endswith(f"/api/v1/gigs/requests/{status['id']}")
    assert (status["offered"], status["accepted"], status["summary"]) == (1, 0, "已接单 0/2")
    # one worker nearby for two places: dispatch widened the circle, and says so
    assert status["dispatch"]["widened"] is True
    assert status["dispatch"]["radius_km"] == 12.0
    assert (
        status["dispatch"]["note"] == "5 公里内可派的零工只有 1 位（本轮需 6 位），已扩大到 12 公里"
    )

    phone = _signed_in(new_api, worker_user)
    (offer,) = phone.get(f"{PREFIX}/gigs/offers").get_json()["offers"]
    assert offer["request"]["title"] == "码头卸货"
    assert offer["request"]["pay"]["text"] == "200 元/天"
    assert 0 < offer["seconds_left"] <= 120
    assert offer["contact"] is None

    accepted = phone.post(f"{PREFIX}/gigs/offers/{offer['id']}/accept")
    assert accepted.status_code == 200
    assert accepted.get_json()["status"] == "accepted"
    assert accepted.get_json()["contact"] == {"name": "张老板", "phone": "13700001111"}
    assert phone.get(f"{PREFIX}/gigs/offers").get_json()["offers"] == []

    seen = boss.get(f"{PREFIX}/gigs/requests/{status['id']}").get_json()
    assert (seen["offered"], seen["accepted"], seen["summary"]) == (0, 1, "已接单 1/2")
    assert seen["status"] == "open"
    assert seen["workers"][0]["name"] == "王海"
    assert "****" in seen["workers"][0]["phone"]


def test_an_expired_offer_is_refused_with_a_clear_message(
    session: Session, rds: redis.Redis, new_api: NewApi
) -> None:
    worker_user, _worker_row = _worker(session, rds)
    requester = _requester(session)
    # dispatched ten minutes ago: the two minutes to answer are over
    gig = gigs.request(
        session,
        rds,
        urgent=True,
        headcount=1,
        now=utcnow() - timedelta(minutes=10),
        starts_in=timedelta(hours=3),
        requester=requester,
    )
    (offer_id,) = [offer.id for offer in gigs.offers_of(session, gig.id).values()]

    phone = _signed_in(new_api, worker_user)
    assert phone.get(f"{PREFIX}/gigs/offers").get_json()["offers"] == []
    refused = phone.post(f"{PREFIX}/gigs/offers/{offer_id}/accept")
    assert refused.status_code == 409
    assert refused.get_json()["error"] == {"code": "hire_conflict", "message": "邀约已过期"}

    boss = _signed_in(new_api, requester)
    seen = boss.get(f"{PREFIX}/gigs/requests/{gig.id}").get_json()
    assert (seen["offered"], seen["expired"], seen["accepted"]) == (0, 1, 0)


def test_a_decline_counts_and_the_requester_can_cancel(
    session: Session, rds: redis.Redis, new_api: NewApi
) -> None:
    worker_user, _worker_row = _worker(session, rds)
    boss = _signed_in(new_api, _requester(session))
    request_id = boss.post(f"{PREFIX}/gigs/requests", json=_new_request()).get_json()["id"]
    phone = _signed_in(new_api, worker_user)
    (offer,) = phone.get(f"{PREFIX}/gigs/offers").get_json()["offers"]

    declined = phone.post(f"{PREFIX}/gigs/offers/{offer['id']}/decline")
    assert declined.get_json()["status"] == "declined"
    assert boss.get(f"{PREFIX}/gigs/requests/{request_id}").get_json()["declined"] == 1

    cancelled = boss.post(f"{PREFIX}/gigs/requests/{request_id}/cancel", json={"reason": "改期"})
    assert cancelled.status_code == 200
    assert cancelled.get_json()["status"] == "cancelled"
    assert cancelled.get_json()["closed_at"] is not None
    again = phone.post(f"{PREFIX}/gigs/offers/{offer['id']}/accept")
    assert again.status_code == 409


def test_dispatch_stays_in_the_5_km_circle_when_enough_workers_are_near(
    session: Session, rds: redis.Redis, new_api: NewApi
) -> None:
    for km in (1.0, 2.0, 3.0):
        _worker(session, rds, km=km)
    boss = _signed_in(new_api, _requester(session))
    status = boss.post(f"{PREFIX}/gigs/requests", json=_new_request(headcount=1)).get_json()
    assert status["offered"] == 3
    assert status["dispatch"] == {
        "waves": 1,
        "radius_km": 5.0,
        "base_radius_km": 5.0,
        "widened": False,
        "note": None,
    }


def test_anonymous_wrong_role_and_other_peoples_objects(
    session: Session, rds: redis.Redis, new_api: NewApi
) -> None:
    _worker(session, rds)
    other_worker, _other = _worker(session, rds, km=30.0)
    requester = _requester(session)
    boss = _signed_in(new_api, requester)
    request_id = boss.post(f"{PREFIX}/gigs/requests", json=_new_request()).get_json()["id"]
    (offer_id,) = [offer.id for offer in gigs.offers_of(session, request_id).values()]

    anonymous = new_api()
    for method, path in [
        ("GET", "/gigs/offers"),
        ("POST", f"/gigs/offers/{offer_id}/accept"),
        ("GET", f"/gigs/requests/{request_id}"),
        ("POST", "/gigs/requests"),
    ]:
        body: dict[str, str] | None = {} if method == "POST" else None
        response = anonymous.call(method, f"{PREFIX}{path}", json=body)
        assert response.status_code == 401, path
        assert response.get_json()["error"] == {"code": "unauthorized", "message": "请先登录"}

    wrong_role = boss.get(f"{PREFIX}/gigs/offers")
    assert wrong_role.status_code == 403
    assert wrong_role.get_json()["error"]["code"] == "forbidden"

    stranger = _signed_in(new_api, other_worker)
    assert stranger.post(f"{PREFIX}/gigs/offers/{offer_id}/accept").status_code == 404
    assert stranger.get(f"{PREFIX}/gigs/requests/{request_id}").status_code == 404
    assert stranger.post(f"{PREFIX}/gigs/requests/{request_id}/cancel").status_code == 404
    assert stranger.get(f"{PREFIX}/gigs/offers").get_json() == {"registered": True, "offers": []}
    # the refusals changed nothing
    assert boss.get(f"{PREFIX}/gigs/requests/{request_id}").get_json()["offered"] == 1


def test_bad_request_fields_are_refused_naming_the_field(
    session: Session, rds: redis.Redis, new_api: NewApi
) -> None:
    boss = _signed_in(new_api, _requester(session))
    gigs.places(session)
    naive = _new_request(starts_at="2030-05-04T08:00:00")
    response = boss.post(f"{PREFIX}/gigs/requests", json=naive)
    assert response.status_code == 422
    assert response.get_json()["error"]["message"].startswith("starts_at：须注明时区")

    response = boss.post(f"{PREFIX}/gigs/requests", json=_new_request(headcount="two"))
    assert response.status_code == 422
    assert response.get_json()["error"]["message"] == "headcount：须为整数"

    # the service's own rules come back as 400 with its message
    response = boss.post(f"{PREFIX}/gigs/requests", json=_new_request(headcount=0))
    assert response.status_code == 400
    assert response.get_json()["error"]["message"] == "招工人数须在 1 到 200 之间"


def test_a_person_not_registered_as_a_worker_has_no_offers(
    session: Session, new_api: NewApi
) -> None:
    seeker = accounts.user(session, Role.SEEKER)
    session.commit()
    api = _signed_in(new_api, seeker)
    assert api.get(f"{PREFIX}/gigs/offers").get_json() == {"registered": False, "offers": []}


def test_a_request_with_absurd_pay_or_a_far_off_date_is_refused_in_chinese(
    session: Session, rds: redis.Redis, new_api: NewApi
) -> None:
    boss = _signed_in(new_api, _requester(session))
    gigs.places(session)
    far_off = datetime(2099, 1, 1, 1, 0)
    refusals = {
        "按天计的工钱须在 50–2,000 元之间，请核实金额和单位": _new_request(pay_amount=99_999),
        "不得低于山东省最低工资标准": _new_request(pay_amount=15, pay_unit="hour"),
        "日期最多提前 60 天": _new_request(
            starts_at=_local(far_off), ends_at=_local(far_off + timedelta(hours=4))
        ),
    }
    for message, body in refusals.items():
        refused = boss.post(f"{PREFIX}/gigs/requests", json=body)
        assert refused.status_code == 400, refused.get_json()
        assert message in refused.get_json()["error"]["message"]
    assert session.scalar(select(func.count()).select_from(GigRequest)) == 0
