"""The offer lifecycle through the services: SQL is the record, Redis follows it."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
import redis
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from marketplace.errors import Conflict, ServiceUnavailable, ValidationError
from marketplace.gigs import keys, queue, records, services, state
from marketplace.gigs.dispatch import DispatchPolicy
from marketplace.gigs.models import (
    GigEvent,
    GigRating,
    GigRequest,
    GigWorker,
    OfferStatus,
    PayUnit,
    RatingDirection,
    RequestStatus,
)
from marketplace.gigs.queue import ClaimResult
from marketplace.gigs.recovery import expected_state
from tests.marketplace.gigs import factories
from tests.marketplace.gigs.factories import NOW

pytestmark = pytest.mark.postgres

SOON = NOW + timedelta(seconds=10)


def assert_redis_matches_sql(session: Session, rds: redis.Redis) -> None:
    session.expire_all()
    assert queue.is_ready(rds)
    assert state.snapshot(rds) == expected_state(session)
    session.rollback()


def test_registering_a_worker_makes_them_available_and_records_it(
    session: Session, rds: redis.Redis
) -> None:
    worker = factories.worker(session, rds, km=3.0, skills=["装卸", "搬运"])
    assert worker.skills == "搬运,装卸"  # in the fixed list's order
    assert str(worker.id) in rds.zrange(keys.WORKERS_GEO, 0, -1)
    events = session.scalars(select(GigEvent).where(GigEvent.worker_id == worker.id)).all()
    assert [(e.from_status, e.to_status, e.note) for e in events] == [(None, "available", "登记")]


def test_a_worker_registers_from_their_home_village(session: Session, rds: redis.Redis) -> None:
    factories.places(session)
    worker = factories.worker(session, rds)
    village = factories.VILLAGES[3.0]
    updated = services.register_worker(
        session, rds, worker.seeker_id, skills=["保洁"], place_code=village, now=NOW
    )
    assert updated.id == worker.id
    assert (updated.lng, updated.lat) == pytest.approx(factories.point_west(3.0))


def test_unknown_skills_are_refused(session: Session, rds: redis.Redis) -> None:
    with pytest.raises(ValidationError, match="未知技能"):
        factories.worker(session, rds, skills=["炒股"])


def test_a_paused_worker_is_not_offered_work(session: Session, rds: redis.Redis) -> None:
    paused = factories.worker(session, rds)
    services.pause_worker(session, rds, paused.id, now=NOW)
    active = factories.worker(session, rds)
    request = factories.request(session, rds, urgent=True)
    assert set(factories.offers_of(session, request.id)) == {active.id}
    services.pause_worker(session, rds, paused.id, paused=False, now=NOW)
    assert str(paused.id) in rds.zrange(keys.WORKERS_GEO, 0, -1)


def test_phone_numbers_are_masked_for_others() -> None:
    assert services.masked_phone("17012345678") == "170****5678"


def test_an_urgent_request_is_offered_at_once_and_accepting_fills_it(
    session: Session, rds: redis.Redis
) -> None:
    workers = [factories.worker(session, rds, km=km) for km in (0.5, 1.0, 1.5, 2.0)]
    request = factories.request(session, rds, headcount=1, urgent=True)
    assert request.radius_km == 5
    offers = factories.offers_of(session, request.id)
    assert set(offers) == {w.id for w in workers[:3]}  # a wave of 3 per place, nearest first
    offer = offers[workers[0].id]
    assert offer.expires_at == NOW + timedelta(seconds=120)
    accepted = services.accept_offer(session, rds, offer.id, now=SOON)
    assert accepted.status == OfferStatus.ACCEPTED
    session.expire_all()
    assert factories.fresh(session, GigRequest, request.id).status == RequestStatus.FILLED
    assert_redis_matches_sql(session, rds)
    with pytest.raises(services.HireConflict) as refused:
        services.accept_offer(session, rds, offers[workers[1].id].id, now=SOON)
    assert refused.value.result == ClaimResult.FULL
    assert_redis_matches_sql(session, rds)


def test_accepting_twice_is_harmless(session: Session, rds: redis.Redis) -> None:
    worker = factories.worker(session, rds)
    factories.worker(session, rds)
    request = factories.request(session, rds, headcount=2, urgent=True)
    offer = factories.offers_of(session, request.id)[worker.id]
    services.accept_offer(session, rds, offer.id, now=SOON)
    again = services.accept_offer(session, rds, offer.id, now=SOON + timedelta(seconds=1))
    assert again.status == OfferStatus.ACCEPTED
    session.expire_all()
    assert factories.fresh(session, GigWorker, worker.id).accepts_count == 1
    assert rds.hget(keys.request(request.id), "remaining") == "1"
    assert_redis_matches_sql(session, rds)


def test_declining_records_it_and_the_offer_cannot_be_accepted_after(
    session: Session, rds: redis.Redis
) -> None:
    worker = factories.worker(session, rds)
    request = factories.request(session, rds, urgent=True)
    offer = factories.offers_of(session, request.id)[worker.id]
    services.decline_offer(session, rds, offer.id, now=SOON)
    services.decline_offer(session, rds, offer.id, now=SOON)  # again: harmless
    with pytest.raises(services.HireConflict) as refused:
        services.accept_offer(session, rds, offer.id, now=SOON)
    assert refused.value.result == ClaimResult.NOT_OFFERED
    session.expire_all()
    assert factories.fresh(session, GigWorker, worker.id).declines_count == 1
    assert_redis_matches_sql(session, rds)


def test_accepting_declines_the_workers_other_offers_at_that_time_for_them(
    session: Session, rds: redis.Redis
) -> None:
    worker = factories.worker(session, rds)
    other = factories.worker(session, rds, km=1.0)
    single = DispatchPolicy(wave_factor=1, offer_seconds=300)  # waves of the nearest one
    taken = factories.request(session, rds, urgent=True, policy=single)  # in 2 hours, for 4
    clashing, later = (
        factories.request(session, rds, urgent=True, starts_in=timedelta(hours=h), policy=single)
        for h in (3, 6)
    )
    offered = {r.id: factories.offers_of(session, r.id) for r in (taken, clashing, later)}
    assert all(set(offers) == {worker.id} for offers in offered.values())

    services.accept_offer(session, rds, offered[taken.id][worker.id].id, now=SOON, policy=single)

    now_offered = factories.offers_of(session, clashing.id)
    assert now_offered[worker.id].status == OfferStatus.DECLINED  # they could not take it
    assert factories.offers_of(session, later.id)[worker.id].status == OfferStatus.OFFERED
    # not held against them: their record shows no decline
    assert factories.fresh(session, GigWorker, worker.id).declines_count == 0
    note = session.scalar(
        select(GigEvent.note).where(
            GigEvent.offer_id == now_offered[worker.id].id,
            GigEvent.to_status == OfferStatus.DECLINED,
        )
    )
    assert note == records.CLASHING
    # the clashing request moved on at once: its next wave reached the other worker, on the
    # policy's terms (the later one still waits for the first worker's answer)
    assert now_offered[other.id].expires_at == SOON + timedelta(seconds=300)
    assert set(factories.offers_of(session, later.id)) == {worker.id}
    assert_redis_matches_sql(session, rds)
    # the clashing request is still open to the other worker
    services.accept_offer(session, rds, now_offered[other.id].id, now=SOON)
    assert factories.fresh(session, GigRequest, clashing.id).status == RequestStatus.FILLED
    assert_redis_matches_sql(session, rds)


def test_a_withdrawal_before_the_start_reopens_the_place(
    session: Session, rds: redis.Redis
) -> None:
    first, second = factories.worker(session, rds), factories.worker(session, rds)
    request = factories.request(session, rds, headcount=1, urgent=True)
    offers = factories.offers_of(session, request.id)
    services.accept_offer(session, rds, offers[first.id].id, now=SOON)
    services.withdraw(session, rds, offers[first.id].id, now=SOON)
    session.expire_all()
    assert factories.fresh(session, GigRequest, request.id).status == RequestStatus.OPEN
    assert_redis_matches_sql(session, rds)
    services.accept_offer(session, rds, offers[second.id].id, now=SOON)
    assert_redis_matches_sql(session, rds)


def test_no_withdrawal_once_the_work_has_started(session: Session, rds: redis.Redis) -> None:
    worker = factories.worker(session, rds)
    request = factories.request(session, rds, urgent=True, starts_in=timedelta(minutes=1))
    offer = factories.offers_of(session, request.id)[worker.id]
    services.accept_offer(session, rds, offer.id, now=SOON)
    with pytest.raises(Conflict, match="开工"):
        services.withdraw(session, rds, offer.id, now=NOW + timedelta(minutes=1))
    assert_redis_matches_sql(session, rds)


def test_cancelling_a_request_frees_every_booked_window(session: Session, rds: redis.Redis) -> None:
    workers = [factories.worker(session, rds) for _ in range(3)]
    request = factories.request(session, rds, headcount=2, urgent=True)
    offers = factories.offers_of(session, request.id)
    for worker in workers[:2]:
        services.accept_offer(session, rds, offers[worker.id].id, now=SOON)
    services.cancel_request(session, rds, request.id, reason="天气原因", now=SOON)
    services.cancel_request(session, rds, request.id, now=SOON)  # again: harmless
    assert {o.status for o in factories.offers_of(session, request.id).values()} == {
        OfferStatus.CANCELLED
    }
    assert not rds.exists(*keys.request_keys(request.id))
    assert not any(rds.exists(keys.worker_bookings(w.id)) for w in workers)
    assert_redis_matches_sql(session, rds)


def test_completion_and_two_sided_ratings_close_a_request(
    session: Session, rds: redis.Redis
) -> None:
    came, missed = factories.worker(session, rds), factories.worker(session, rds)
    request = factories.request(session, rds, headcount=2, urgent=True)
    offers = factories.offers_of(session, request.id)
    for worker in (came, missed):
        services.accept_offer(session, rds, offers[worker.id].id, now=SOON)
    with pytest.raises(Conflict, match="开工后"):
        services.complete(session, rds, request.id, now=SOON)
    after = request.ends_at + timedelta(minutes=5)
    services.complete(session, rds, request.id, no_shows=[missed.id], now=after)
    statuses = {w: o.status for w, o in factories.offers_of(session, request.id).items()}
    assert statuses == {came.id: OfferStatus.COMPLETED, missed.id: OfferStatus.NO_SHOW}
    services.rate(session, request.id, came.id, RatingDirection.REQUESTER_TO_WORKER, 5, now=after)
    services.rate(session, request.id, came.id, RatingDirection.WORKER_TO_REQUESTER, 4, now=after)
    with pytest.raises(Conflict, match="评价过"):
        services.rate(session, request.id, came.id, RatingDirection.REQUESTER_TO_WORKER, 1)
    with pytest.raises(Conflict, match="完工后"):
        services.rate(session, request.id, missed.id, RatingDirection.REQUESTER_TO_WORKER, 1)
    stats = factories.fresh(session, GigWorker, came.id)
    assert (stats.completions_count, stats.rating_sum, stats.rating_count) == (1, 5, 1)
    assert factories.fresh(session, GigWorker, missed.id).no_shows_count == 1
    assert len(session.scalars(select(GigRating)).all()) == 2
    assert_redis_matches_sql(session, rds)


def test_every_state_change_is_in_the_history(session: Session, rds: redis.Redis) -> None:
    worker = factories.worker(session, rds)
    request = factories.request(session, rds, urgent=True)
    offer = factories.offers_of(session, request.id)[worker.id]
    services.accept_offer(session, rds, offer.id, now=SOON)
    services.withdraw(session, rds, offer.id, now=SOON)
    services.cancel_request(session, rds, request.id, now=SOON)
    history = session.execute(
        select(GigEvent.subject, GigEvent.from_status, GigEvent.to_status)
        .where(GigEvent.request_id == request.id)
        .order_by(GigEvent.id)
    ).all()
    # dispatch notes (same status, with a note) aside
    changes = [tuple(row) for row in history if row.from_status != row.to_status]
    assert changes == [
        ("request", None, "open"),
        ("offer", None, "offered"),
        ("offer", "offered", "accepted"),
        ("request", "open", "filled"),
        ("offer", "accepted", "withdrawn"),
        ("request", "filled", "open"),
        ("request", "open", "cancelled"),
    ]


def test_a_failed_sql_write_undoes_the_claim_in_redis(
    session: Session, rds: redis.Redis, monkeypatch: pytest.MonkeyPatch
) -> None:
    worker = factories.worker(session, rds)
    request = factories.request(session, rds, urgent=True)
    offer = factories.offers_of(session, request.id)[worker.id]

    def broken(*_args: object, **_kwargs: object) -> None:
        raise OperationalError("UPDATE gig_requests", {}, Exception("disk I/O error"))

    monkeypatch.setattr(records, "lock_request", broken)
    with pytest.raises(ServiceUnavailable):
        services.accept_offer(session, rds, offer.id, now=SOON)
    monkeypatch.undo()
    assert rds.hget(keys.request(request.id), "remaining") == "1"
    assert_redis_matches_sql(session, rds)
    services.accept_offer(session, rds, offer.id, now=SOON)  # the worker can try again
    assert_redis_matches_sql(session, rds)


def test_a_request_must_start_in_the_future_and_end_after_it_starts(
    session: Session, rds: redis.Redis
) -> None:
    with pytest.raises(ValidationError, match="开工时间"):
        factories.request(session, rds, starts_in=timedelta(minutes=-5))
    with pytest.raises(ValidationError, match="结束时间"):
        factories.request(session, rds, hours=0)


@pytest.mark.parametrize(
    ("amount", "unit", "message"),
    [
        (99_999, PayUnit.DAY, "按天计的工钱须在 50–2,000 元之间"),
        (1, PayUnit.DAY, "按天计的工钱须在 50–2,000 元之间"),
        (15, PayUnit.HOUR, "不得低于山东省最低工资标准（非全日制每小时 18 元）"),
        (500, PayUnit.HOUR, "按小时计的工钱须在 18–300 元之间"),
        (5000, PayUnit.PIECE, "按件计的工钱须在 0.1–2,000 元之间"),
    ],
)
def test_a_request_paying_outside_the_bounds_of_its_unit_is_refused(
    session: Session, rds: redis.Redis, amount: float, unit: PayUnit, message: str
) -> None:
    with pytest.raises(ValidationError, match=re.escape(message)):
        factories.request(session, rds, pay_amount=amount, pay_unit=unit)
    session.rollback()
    assert session.scalar(select(func.count()).select_from(GigRequest)) == 0


def test_a_worker_rate_outside_the_bounds_of_its_unit_is_refused(
    session: Session, rds: redis.Redis
) -> None:
    with pytest.raises(ValidationError, match="按天计的工钱须在"):
        factories.worker(session, rds, rate_amount=30_000, rate_unit=PayUnit.DAY)
    worker = factories.worker(session, rds, rate_amount=25, rate_unit=PayUnit.HOUR)
    assert (worker.rate_amount, worker.rate_unit) == (25, PayUnit.HOUR)


def test_ordinary_day_hour_and_piece_pay_is_accepted(session: Session, rds: redis.Redis) -> None:
    for amount, unit in ((50, PayUnit.DAY), (18, PayUnit.HOUR), (0.5, PayUnit.PIECE)):
        assert factories.request(session, rds, pay_amount=amount, pay_unit=unit).id


def test_a_request_may_start_up_to_sixty_days_ahead_and_last_a_day_at_most(
    session: Session, rds: redis.Redis
) -> None:
    assert factories.request(session, rds, starts_in=timedelta(days=59)).id
    with pytest.raises(ValidationError, match="日期最多提前 60 天"):
        factories.request(session, rds, starts_in=timedelta(days=62))
    with pytest.raises(ValidationError, match="日期最多提前 60 天"):
        factories.request(session, rds, starts_in=datetime(2099, 1, 1) - NOW)
    with pytest.raises(ValidationError, match="一次用工不超过 24 小时"):
        factories.request(session, rds, hours=30)


def test_policy_reads_the_offer_time_limit_from_settings() -> None:
    assert DispatchPolicy.from_config({"GIG_OFFER_SECONDS": 45}).offer_seconds == 45
