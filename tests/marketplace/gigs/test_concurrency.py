"""Many workers accepting at once, through the services: never over headcount, never
double-booked, on SQLite and PostgreSQL, from threads and from processes."""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

import pytest
import redis
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from marketplace.database import get_database
from marketplace.gigs import services, state
from marketplace.gigs.dispatch import DispatchPolicy
from marketplace.gigs.models import GigOffer, GigRequest, OfferStatus, RequestStatus
from marketplace.gigs.recovery import expected_state
from tests.marketplace.gigs import claimers, factories
from tests.marketplace.gigs.factories import NOW

pytestmark = pytest.mark.postgres

SOON = NOW + timedelta(seconds=5)
# offer everybody found in one wave
WIDE = DispatchPolicy(wave_factor=100)


def accept_all(app: Flask, rds: redis.Redis, offer_ids: list[int], threads: int) -> Counter[str]:
    """Accept each offer from its own thread, all released together."""
    start = threading.Barrier(min(threads, len(offer_ids)))

    def accept(offer_id: int) -> str:
        session = get_database(app).session()
        try:
            if offer_id in offer_ids[:threads]:
                start.wait()
            services.accept_offer(session, rds, offer_id, now=SOON)
            return "accepted"
        except services.HireConflict as refused:
            return str(refused.result)
        finally:
            session.close()

    with ThreadPoolExecutor(max_workers=threads) as pool:
        return Counter(pool.map(accept, offer_ids))


def assert_no_overbooking_or_double_booking(session: Session, rds: redis.Redis) -> None:
    session.expire_all()
    for request in session.scalars(select(GigRequest)):
        held = session.scalar(
            select(func.count()).where(
                GigOffer.request_id == request.id, GigOffer.status == OfferStatus.ACCEPTED
            )
        )
        assert held is not None
        assert held <= request.headcount
        assert (request.status == RequestStatus.FILLED) == (held == request.headcount)
    accepted = session.execute(
        select(GigOffer.worker_id, GigRequest.starts_at, GigRequest.ends_at)
        .join(GigRequest, GigRequest.id == GigOffer.request_id)
        .where(GigOffer.status == OfferStatus.ACCEPTED)
    ).all()
    by_worker: dict[int, list[tuple[datetime, datetime]]] = {}
    for worker_id, starts_at, ends_at in accepted:
        for other_start, other_end in by_worker.get(worker_id, []):
            assert ends_at <= other_start or starts_at >= other_end, f"worker {worker_id}"
        by_worker.setdefault(worker_id, []).append((starts_at, ends_at))
    assert state.snapshot(rds) == expected_state(session)
    session.rollback()


def test_threads_racing_for_one_request_never_exceed_its_headcount(
    app: Flask, session: Session, rds: redis.Redis
) -> None:
    workers = [factories.worker(session, rds, km=0.02 * n) for n in range(40)]
    request = factories.request(session, rds, headcount=7, urgent=True, policy=WIDE)
    offers = factories.offers_of(session, request.id)
    assert len(offers) == len(workers)
    results = accept_all(app, rds, [offer.id for offer in offers.values()], threads=40)
    assert results == {"accepted": 7, "full": 33}
    assert_no_overbooking_or_double_booking(session, rds)


def test_threads_accepting_overlapping_requests_never_double_book_a_worker(
    app: Flask, session: Session, rds: redis.Redis
) -> None:
    workers = [factories.worker(session, rds) for _ in range(8)]
    # three requests at overlapping times, and one later the same day
    overlapping = [
        factories.request(
            session, rds, headcount=8, urgent=True, policy=WIDE, starts_in=timedelta(hours=h)
        )
        for h in (2, 3, 4)
    ]
    later = factories.request(
        session, rds, headcount=8, urgent=True, policy=WIDE, starts_in=timedelta(hours=9)
    )
    offer_ids = [
        offer.id
        for request in [*overlapping, later]
        for offer in factories.offers_of(session, request.id).values()
    ]
    results = accept_all(app, rds, offer_ids, threads=32)
    # every worker gets exactly one of the overlapping requests, and the later one; the other
    # two are refused as a double booking, or were already declined for them (not offered)
    assert results["accepted"] == 16
    assert results["double_booked"] + results["not_offered"] == 16
    assert set(results) <= {"accepted", "double_booked", "not_offered"}
    left = session.scalar(
        select(func.count()).where(
            GigOffer.request_id.in_([r.id for r in overlapping]),
            GigOffer.status == OfferStatus.OFFERED,
        )
    )
    assert left == 0  # no overlapping offer is left waiting for an answer that cannot come
    assert factories.fresh(session, GigRequest, later.id).status == RequestStatus.FILLED
    assert_no_overbooking_or_double_booking(session, rds)
    assert len(workers) == 8


def test_processes_racing_for_one_request_never_exceed_its_headcount(
    app: Flask, session: Session, rds: redis.Redis, database_url: str, redis_url: str
) -> None:
    for n in range(24):
        factories.worker(session, rds, km=0.05 * n)
    request = factories.request(session, rds, headcount=5, urgent=True, policy=WIDE)
    offer_ids = [offer.id for offer in factories.offers_of(session, request.id).values()]
    batches = [offer_ids[index::4] for index in range(4)]
    # each child makes its own engine and Redis client: none of the parent's connections
    outcomes = claimers.run_in_processes(
        claimers.accept_through_services,
        [(database_url, redis_url, batch, SOON) for batch in batches],
    )
    results = Counter(result for outcome in outcomes for _, result in outcome)
    assert results == {"accepted": 5, "full": 19}
    assert_no_overbooking_or_double_booking(session, rds)
