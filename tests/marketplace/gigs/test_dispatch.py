"""Dispatch: the 5 km circle and its recorded widening, ranking, fair rotation, waves, expiry."""

from __future__ import annotations

import time as clock
from datetime import time, timedelta

import pytest
import redis
from sqlalchemy import select
from sqlalchemy.orm import Session

from marketplace.database import utcnow
from marketplace.gigs import services
from marketplace.gigs.dispatch import DispatchPolicy, nobody_note, widening_note
from marketplace.gigs.models import GigEvent, GigRequest, OfferStatus, RequestStatus
from marketplace.gigs.queue import ClaimResult
from marketplace.seekers.models import SeekerProfile
from tests.marketplace.gigs import factories
from tests.marketplace.gigs.factories import NOW

pytestmark = pytest.mark.postgres


def test_enough_workers_within_5_km_keeps_the_circle_at_5_km(
    session: Session, rds: redis.Redis
) -> None:
    near = [factories.worker(session, rds, km=km) for km in (0.5, 1.0, 4.5)]
    factories.worker(session, rds, km=6.5)
    request = factories.request(session, rds, headcount=1, urgent=True)
    assert (request.radius_km, request.dispatch_note) == (5, None)
    assert set(factories.offers_of(session, request.id)) == {w.id for w in near}


def test_too_few_within_5_km_widens_step_by_step_and_says_so(
    session: Session, rds: redis.Redis
) -> None:
    factories.worker(session, rds, km=3.0)
    factories.worker(session, rds, km=6.5)
    factories.worker(session, rds, km=10.0)
    far = factories.worker(session, rds, km=15.0)
    request = factories.request(session, rds, headcount=1, urgent=True)
    assert request.radius_km == 12
    # one worker within 5 km, a wave of three wanted for one place
    assert request.dispatch_note == widening_note(5, 12, 1, 3)
    assert request.dispatch_note == "5 公里内可派的零工只有 1 位（本轮需 3 位），已扩大到 12 公里"
    offers = factories.offers_of(session, request.id)
    assert far.id not in offers
    assert len(offers) == 3
    notes = session.scalars(
        select(GigEvent.note).where(
            GigEvent.request_id == request.id, GigEvent.subject == "request"
        )
    ).all()
    assert widening_note(5, 12, 1, 3) in notes


def test_widening_stops_at_the_first_step_that_has_enough(
    session: Session, rds: redis.Redis
) -> None:
    for km in (1.0, 6.5, 6.5):
        factories.worker(session, rds, km=km)
    factories.worker(session, rds, km=10.0)
    request = factories.request(session, rds, headcount=1, urgent=True)
    assert request.radius_km == 8
    assert request.dispatch_note == "5 公里内可派的零工只有 1 位（本轮需 3 位），已扩大到 8 公里"


def test_nobody_within_the_widest_circle_is_recorded(session: Session, rds: redis.Redis) -> None:
    factories.worker(session, rds, km=15.0)
    request = factories.request(session, rds, urgent=True)
    assert (request.radius_km, request.dispatch_note) == (12, nobody_note(12, 5))
    assert request.dispatch_note == "5 公里内无人可派，已扩大到 12 公里，仍暂无可派单的零工"
    assert factories.offers_of(session, request.id) == {}


def test_workers_are_ranked_by_distance_skill_fit_and_reliability(
    session: Session, rds: redis.Redis
) -> None:
    far_fit = factories.worker(session, rds, km=4.0, skills=["装卸", "搬运"])
    near_half = factories.worker(session, rds, km=0.2, skills=["搬运"])
    unskilled = factories.worker(session, rds, km=0.1, skills=["保洁"])
    request = factories.request(
        session,
        rds,
        headcount=1,
        urgent=True,
        skills=["搬运", "装卸"],
        policy=DispatchPolicy(wave_factor=2),
    )
    offers = factories.offers_of(session, request.id)
    assert unskilled.id not in offers  # cannot do any of the work asked for
    ranks = {worker_id: offer.rank for worker_id, offer in offers.items()}
    assert ranks == {near_half.id: 1, far_fit.id: 2}


def test_workers_are_offered_only_on_their_days_and_hours(
    session: Session, rds: redis.Redis
) -> None:
    weekdays = factories.worker(session, rds, days="12345")
    weekends = factories.worker(session, rds, days="67")
    mornings = factories.worker(session, rds, available_from=time(6), available_until=time(12))
    # Monday 10:00–14:00 local
    request = factories.request(session, rds, urgent=True, headcount=3)
    offered = set(factories.offers_of(session, request.id))
    assert offered == {weekdays.id}
    assert not offered & {weekends.id, mornings.id}


def test_a_worker_booked_at_that_time_or_the_requester_is_not_offered(
    session: Session, rds: redis.Redis
) -> None:
    busy, free = factories.worker(session, rds), factories.worker(session, rds)
    first = factories.request(session, rds, urgent=True, policy=DispatchPolicy(wave_factor=1))
    offer = factories.offers_of(session, first.id)[busy.id]
    services.accept_offer(session, rds, offer.id, now=NOW)
    owner = factories.user(session)
    factories.fresh(session, SeekerProfile, free.seeker_id).user_id = owner.id
    session.commit()
    second = factories.request(
        session, rds, urgent=True, requester=owner, starts_in=timedelta(hours=3)
    )
    assert factories.offers_of(session, second.id) == {}


def test_offers_rotate_fairly_among_similar_workers(session: Session, rds: redis.Redis) -> None:
    workers = [factories.worker(session, rds, km=1.0) for _ in range(6)]
    one_each = DispatchPolicy(wave_factor=3)
    offered = []
    for hours in (2, 10, 18):
        request = factories.request(
            session,
            rds,
            urgent=True,
            policy=one_each,
            starts_in=timedelta(hours=hours),
            now=NOW + timedelta(minutes=hours),
        )
        offered.append(set(factories.offers_of(session, request.id)))
    ids = [w.id for w in workers]
    assert offered == [set(ids[:3]), set(ids[3:]), set(ids[:3])]


def test_offers_expire_at_their_deadline_and_the_sweep_sends_the_next_wave(
    session: Session, rds: redis.Redis
) -> None:
    workers = [factories.worker(session, rds, km=0.1 * n) for n in range(6)]
    request = factories.request(session, rds, headcount=1, urgent=True)
    first_wave = factories.offers_of(session, request.id)
    assert set(first_wave) == {w.id for w in workers[:3]}
    deadline = NOW + timedelta(seconds=120)
    just_before = deadline - timedelta(milliseconds=1)
    early = services.expire_offers(session, rds, now=just_before)
    assert early.expired_offers == 0
    assert early.waves == []
    with pytest.raises(services.HireConflict) as refused:
        services.accept_offer(session, rds, first_wave[workers[0].id].id, now=deadline)
    assert refused.value.result == ClaimResult.EXPIRED
    sweep = services.expire_offers(session, rds, now=deadline)
    assert sweep.expired_offers == 3
    assert [set(wave.offered) for wave in sweep.waves] == [{w.id for w in workers[3:]}]
    offers = factories.offers_of(session, request.id)
    assert {offers[w.id].status for w in workers[:3]} == {OfferStatus.EXPIRED}
    assert {offers[w.id].wave for w in workers[3:]} == {2}
    services.accept_offer(session, rds, offers[workers[4].id].id, now=deadline)


def test_a_decline_that_leaves_too_few_live_offers_sends_the_next_wave(
    session: Session, rds: redis.Redis
) -> None:
    workers = [factories.worker(session, rds, km=0.1 * n) for n in range(3)]
    request = factories.request(
        session, rds, headcount=2, urgent=True, policy=DispatchPolicy(wave_factor=1)
    )
    offers = factories.offers_of(session, request.id)
    assert set(offers) == {w.id for w in workers[:2]}
    services.decline_offer(
        session, rds, offers[workers[0].id].id, now=NOW, policy=DispatchPolicy(wave_factor=1)
    )
    offers = factories.offers_of(session, request.id)
    assert offers[workers[2].id].status == OfferStatus.OFFERED


def test_a_request_that_starts_with_nobody_hired_expires(
    session: Session, rds: redis.Redis
) -> None:
    factories.worker(session, rds)
    request = factories.request(session, rds, urgent=True, starts_in=timedelta(minutes=30))
    sweep = services.expire_offers(session, rds, now=request.starts_at)
    assert sweep.expired_requests == 1
    session.expire_all()
    assert factories.fresh(session, GigRequest, request.id).status == RequestStatus.EXPIRED


def test_offers_expire_in_real_time(session: Session, rds: redis.Redis) -> None:
    quick = DispatchPolicy(offer_seconds=2)
    first, second = factories.worker(session, rds), factories.worker(session, rds)
    request = factories.request(session, rds, headcount=2, urgent=True, now=utcnow(), policy=quick)
    offers = factories.offers_of(session, request.id)
    services.accept_offer(session, rds, offers[first.id].id)  # in time, on the real clock
    left = (offers[second.id].expires_at - utcnow()).total_seconds()
    clock.sleep(max(0.0, left) + 0.05)
    with pytest.raises(services.HireConflict) as refused:
        services.accept_offer(session, rds, offers[second.id].id)
    assert refused.value.result == ClaimResult.EXPIRED
    assert services.expire_offers(session, rds, policy=quick).expired_offers == 1
