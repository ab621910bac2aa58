"""注销账号: a seeker closes their account; what identified them goes, what others rely on
stays without them, and nothing is closed half-way."""

from __future__ import annotations

from typing import Any

import pytest
import redis
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from marketplace.accounts.models import User
from marketplace.database import utcnow
from marketplace.extensions import get_redis
from marketplace.gigs import keys
from marketplace.gigs import services as gigs
from marketplace.gigs.models import GigWorker
from marketplace.seekers import closing, services
from marketplace.seekers.models import ApplicationStatus, Invitation, SeekerProfile
from tests.marketplace.accounts import factories as accounts
from tests.marketplace.accounts.helpers import log_in
from tests.marketplace.gigs import factories as gig_factories
from tests.marketplace.seekers.helpers import profile_of, published_job, seeker, sign_in


@pytest.fixture
def app_config(app_config: dict[str, Any], redis_url: str) -> dict[str, Any]:
    return {**app_config, "REDIS_URL": redis_url}


@pytest.fixture
def rds(app: Flask) -> redis.Redis:
    return get_redis(app)


def _close(client: FlaskClient, password: str) -> str:
    response = client.post("/me/close", data={"password": password}, follow_redirects=True)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_closing_clears_the_person_withdraws_their_applications_and_frees_the_phone(
    app: Flask, client: FlaskClient, session: Session, rds: redis.Redis
) -> None:
    gig_factories.places(session)
    me = seeker(session, phone="13900003333", id_number="370102199001011234", skills="叉车")
    profile = profile_of(session, me)
    number = me.phone
    job = published_job(session, title="海参育苗工")
    services.apply(session, profile, job, user_id=me.id)
    session.add(Invitation(job_id=published_job(session).id, seeker_id=profile.id))
    session.commit()
    worker = gigs.register_worker(
        session, rds, profile.id, skills=["搬运"], place_code=gig_factories.VILLAGES[3.0]
    )
    sign_in(client, me)
    assert "注销账号" in client.get("/profile").get_data(as_text=True)

    wrong = _close(client, "not-my-password")
    assert "密码不正确，账号未注销" in wrong
    assert session.get(User, me.id).is_active  # type: ignore[union-attr]

    page = _close(client, accounts.PASSWORD)

    assert "账号已注销" in page
    session.expire_all()
    user = session.get(User, me.id)
    assert user is not None
    assert (user.is_active, user.phone, user.display_name) == (False, None, "已注销用户")
    cleared = session.get(SeekerProfile, profile.id)
    assert cleared is not None
    assert (cleared.name, cleared.phone, cleared.id_number, cleared.skills) == (
        "已注销用户",
        None,
        None,
        "",
    )
    assert not cleared.open_to_employers
    [application] = services.my_applications(session, cleared)
    assert application.application.status == ApplicationStatus.WITHDRAWN  # the employer sees why
    assert session.scalar(select(func.count()).select_from(Invitation)) == 0
    assert session.get(GigWorker, worker.id).paused  # type: ignore[union-attr]
    assert str(worker.id) not in rds.zrange(keys.WORKERS_GEO, 0, -1)
    # signed out, never back in; the number can open a new account
    assert client.get("/me/applications").status_code == 302
    assert log_in(app.test_client(), number or "", accounts.PASSWORD).status_code == 401
    accounts.user(session, phone=number)
    session.commit()


def test_an_odd_job_not_yet_over_must_be_finished_or_given_back_first(
    client: FlaskClient, session: Session, rds: redis.Redis
) -> None:
    hand = gig_factories.worker(session, rds)
    hand_user = accounts.user(session)
    hand.seeker.user_id = hand_user.id
    session.commit()
    now = utcnow()
    request = gig_factories.request(session, rds, urgent=True, now=now)  # in 2 hours
    offer = gig_factories.offers_of(session, request.id)[hand.id]
    gigs.accept_offer(session, rds, offer.id, now=now)
    sign_in(client, hand_user)

    page = _close(client, accounts.PASSWORD)

    assert "您还有已接、尚未结束的零工" in page
    session.expire_all()
    assert session.get(User, hand_user.id).is_active  # type: ignore[union-attr]
    assert session.get(SeekerProfile, hand.seeker_id).name != "已注销用户"  # type: ignore[union-attr]


def test_an_odd_job_one_posted_that_is_still_live_must_end_first(
    client: FlaskClient, session: Session, rds: redis.Redis
) -> None:
    me = seeker(session)
    session.commit()
    gig_factories.request(session, rds, requester=me, now=utcnow())  # in 2 hours
    sign_in(client, me)

    page = _close(client, accounts.PASSWORD)

    assert closing.GIG_POSTED in page
    session.expire_all()
    assert session.get(User, me.id).is_active  # type: ignore[union-attr]
