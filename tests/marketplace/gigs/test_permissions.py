"""Who may act on a gig: the person themself, or staff whose service point covers the place."""

from __future__ import annotations

from datetime import timedelta

import pytest
import redis
from sqlalchemy.orm import Session

from marketplace.accounts.models import Role
from marketplace.errors import Forbidden
from marketplace.gigs import services
from marketplace.places.models import Place, PlaceLevel, ServicePoint
from tests.marketplace.gigs import factories
from tests.marketplace.gigs.factories import NOW


def point(session: Session, place_code: str) -> ServicePoint:
    record = ServicePoint(name="测试服务站", level="town", place_code=place_code)
    session.add(record)
    session.commit()
    return record


def test_a_worker_answers_their_own_offers_and_nobody_else_can(
    session: Session, rds: redis.Redis
) -> None:
    owner = factories.user(session, role=Role.SEEKER)
    worker = factories.worker(session, rds, place_code=factories.VILLAGES[3.0])
    worker.seeker.user_id = owner.id
    session.commit()
    request = factories.request(session, rds, urgent=True)
    offer = factories.offers_of(session, request.id)[worker.id]
    stranger = factories.user(session, role=Role.SEEKER)
    with pytest.raises(Forbidden):
        services.accept_offer(session, rds, offer.id, actor=stranger, now=NOW)
    services.accept_offer(session, rds, offer.id, actor=owner, now=NOW)


def test_staff_act_for_walk_ins_under_their_service_point_only(
    session: Session, rds: redis.Redis
) -> None:
    factories.places(session)
    session.add(Place(code="371083", name="乳山市", level=PlaceLevel.COUNTY))
    town_staff = factories.user(
        session, role=Role.STAFF, service_point_id=point(session, factories.TOWN).id
    )
    other_staff = factories.user(
        session, role=Role.STAFF, service_point_id=point(session, "371082").id
    )
    elsewhere = factories.user(
        session,
        role=Role.STAFF,
        service_point_id=point(session, "371083").id,  # 乳山市
    )
    worker = factories.worker(session, rds, place_code=factories.VILLAGES[3.0])
    services.pause_worker(session, rds, worker.id, actor=town_staff, now=NOW)
    services.pause_worker(session, rds, worker.id, paused=False, actor=other_staff, now=NOW)
    with pytest.raises(Forbidden):
        services.pause_worker(session, rds, worker.id, actor=elsewhere, now=NOW)


def test_a_requester_or_covering_staff_may_cancel_a_request(
    session: Session, rds: redis.Redis
) -> None:
    factories.places(session)
    requester = factories.user(session)
    request = factories.request(
        session, rds, requester=requester, place_code=factories.VILLAGES[0.0]
    )
    with pytest.raises(Forbidden):
        services.cancel_request(session, rds, request.id, actor=factories.user(session), now=NOW)
    later = NOW + timedelta(minutes=1)
    services.cancel_request(session, rds, request.id, actor=requester, now=later)
