"""Rebuilding the Redis queue from SQL, the record: after a restart, a flush or a failed write.

`expected_state` is what Redis should hold; `rebuild_queue` wipes the queue's keys and writes
it; `ensure_queue` does that only when the queue's readiness key is missing.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

import redis
from sqlalchemy import select
from sqlalchemy.orm import Session

from marketplace.errors import ServiceUnavailable
from marketplace.gigs import queue, state
from marketplace.gigs.models import (
    LIVE_REQUEST_STATUSES,
    GigOffer,
    GigRequest,
    GigWorker,
    OfferStatus,
)
from marketplace.gigs.records import QUEUE_DOWN, queue_required

log = logging.getLogger(__name__)

# A rebuild holds its lock at most this long (a crashed rebuilder's lock lapses by itself).
LOCK_SECONDS = 120
# How long a dispatcher waits for another process's rebuild before giving up.
WAIT_SECONDS = 30.0


@dataclass(frozen=True)
class RebuildReport:
    workers: int
    requests: int
    offers: int
    bookings: int
    deleted_keys: int
    seconds: float

    def lines(self) -> list[str]:
        return [
            f"available workers: {self.workers}",
            f"live requests: {self.requests}",
            f"offers: {self.offers}",
            f"booked windows: {self.bookings}",
            f"stale keys deleted: {self.deleted_keys}",
            f"took {self.seconds:.2f} s",
        ]


def expected_state(session: Session) -> state.QueueState:
    """What the live queue must hold according to SQL."""
    expected = state.QueueState()
    for worker_id, lng, lat in session.execute(
        select(GigWorker.id, GigWorker.lng, GigWorker.lat).where(GigWorker.paused.is_(False))
    ):
        expected.workers.add(worker_id)
        expected.points[worker_id] = (lng, lat)
    live = session.scalars(
        select(GigRequest).where(GigRequest.status.in_([str(s) for s in LIVE_REQUEST_STATUSES]))
    ).all()
    windows = {}
    for request in live:
        windows[request.id] = (queue.epoch_ms(request.starts_at), queue.epoch_ms(request.ends_at))
    held: dict[int, set[int]] = {request.id: set() for request in live}
    if live:
        offers = session.execute(
            select(
                GigOffer.request_id, GigOffer.worker_id, GigOffer.status, GigOffer.expires_at
            ).where(GigOffer.request_id.in_(list(windows)))
        ).all()
    else:
        offers = []
    for request_id, worker_id, status, expires_at in offers:
        if status == OfferStatus.OFFERED:
            offer_state = queue.offered_state(queue.epoch_ms(expires_at))
        else:
            offer_state = str(status)
        expected.offers[(request_id, worker_id)] = offer_state
        if status == OfferStatus.ACCEPTED:
            held[request_id].add(worker_id)
            starts_ms, ends_ms = windows[request_id]
            expected.bookings.setdefault(worker_id, set()).add((request_id, starts_ms, ends_ms))
    for request in live:
        starts_ms, ends_ms = windows[request.id]
        expected.requests[request.id] = state.RequestState(
            status=request.status,
            headcount=request.headcount,
            remaining=request.headcount - len(held[request.id]),
            starts_ms=starts_ms,
            ends_ms=ends_ms,
        )
        if held[request.id]:
            expected.accepted[request.id] = held[request.id]
    return expected


def rebuild_queue(
    session: Session, client: redis.Redis, *, progress: Callable[[str], None] | None = None
) -> RebuildReport:
    """Rebuild all live Redis state from SQL (idempotent). Claims meanwhile get "no_queue".

    If another process is already rebuilding, waits for it instead.
    """
    say = progress or (lambda _message: None)
    started = time.perf_counter()
    with state.rebuild_lock(client, LOCK_SECONDS) as acquired:
        if not acquired:
            say("another process is rebuilding the queue; waiting")
            _wait_until_ready(client)
            return RebuildReport(0, 0, 0, 0, 0, time.perf_counter() - started)
        say("clearing the old queue")
        # wipe first (it drops the readiness key): claims stop before SQL is read
        deleted = state.wipe(client)
        say("reading workers, requests and offers from the database")
        expected = expected_state(session)
        say(
            f"writing {len(expected.workers)} workers, {len(expected.requests)} requests, "
            f"{len(expected.offers)} offers"
        )
        state.load(client, expected)
        queue.mark_ready(client)
    report = RebuildReport(
        workers=len(expected.workers),
        requests=len(expected.requests),
        offers=len(expected.offers),
        bookings=expected.booking_count(),
        deleted_keys=deleted,
        seconds=time.perf_counter() - started,
    )
    log.info("gig queue rebuilt: %s", "; ".join(report.lines()))
    return report


def _wait_until_ready(client: redis.Redis) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        if queue.is_ready(client):
            return
        time.sleep(0.05)
    raise ServiceUnavailable(QUEUE_DOWN)


def ensure_queue(session: Session, client: redis.Redis) -> bool:
    """Rebuild the queue if it is missing (Redis restarted or flushed); True if it was."""
    with queue_required():
        if queue.is_ready(client):
            return False
        log.warning("gig queue missing in Redis: rebuilding it from the database")
        rebuild_queue(session, client)
    return True
