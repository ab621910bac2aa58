"""Steps every gig action shares: row locks, history rows, counts, and Redis failure handling.

Ordering rule of the actions (so that Redis is never looser than SQL): a claim goes to Redis
first (the arbiter) and is undone there if its SQL write fails; everything that frees a place
or ends an offer is committed to SQL first and then applied to Redis.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any, cast

import redis
from sqlalchemy import CursorResult, Select, func, select, update
from sqlalchemy.orm import Session

from marketplace.errors import NotFound, ServiceUnavailable
from marketplace.gigs import queue
from marketplace.gigs.models import GigEvent, GigOffer, GigRequest, OfferStatus

log = logging.getLogger(__name__)

QUEUE_DOWN = "即时快招队列暂时不可用，请稍后再试"

# the note on an offer declined for the worker because they accepted another at that time
CLASHING = "已接同一时段的其他零工，自动婉拒"


def lock_request(session: Session, request_id: int, now: datetime) -> GigRequest:
    """Take the request's row lock and return it freshly read.

    An UPDATE rather than SELECT ... FOR UPDATE: it locks the row on PostgreSQL and takes
    SQLite's write lock before anything is read, so that what follows reads current rows on
    both. Every transaction on a request starts here, then locks workers (in id order).
    """
    result = cast(
        CursorResult[Any],
        session.execute(
            update(GigRequest)
            .where(GigRequest.id == request_id)
            .values(updated_at=now)
            .execution_options(synchronize_session=False)
        ),
    )
    if result.rowcount == 0:
        raise NotFound("没有这个用工需求")
    request = session.get(GigRequest, request_id, populate_existing=True)
    assert request is not None  # noqa: S101 - the row was just updated in this transaction
    return request


def event(
    session: Session,
    subject: str,
    to_status: str,
    at: datetime,
    *,
    from_status: str | None = None,
    request_id: int | None = None,
    worker_id: int | None = None,
    offer_id: int | None = None,
    note: str | None = None,
    user_id: int | None = None,
) -> None:
    """Record one state change (subject: worker, request or offer)."""
    session.add(
        GigEvent(
            subject=subject,
            from_status=from_status,
            to_status=to_status,
            request_id=request_id,
            worker_id=worker_id,
            offer_id=offer_id,
            note=note,
            user_id=user_id,
            at=at,
        )
    )


def offer_event(
    session: Session,
    offer: GigOffer,
    to_status: str,
    at: datetime,
    *,
    note: str | None = None,
    user_id: int | None = None,
) -> None:
    """Move an offer to a status and record the change."""
    event(
        session,
        "offer",
        to_status,
        at,
        from_status=offer.status,
        request_id=offer.request_id,
        worker_id=offer.worker_id,
        offer_id=offer.id,
        note=note,
        user_id=user_id,
    )
    offer.status = to_status
    offer.updated_at = at


def count_offers(
    session: Session, request_id: int, status: OfferStatus, *, live_at: datetime | None = None
) -> int:
    """Offers of a request in a status (with `live_at`: only those not yet past their deadline)."""
    query = select(func.count()).where(GigOffer.request_id == request_id, GigOffer.status == status)
    if live_at is not None:
        query = query.where(GigOffer.expires_at > live_at)
    return int(session.scalar(query) or 0)


def overlapping(
    worker_id: int,
    status: OfferStatus,
    starts_at: datetime,
    ends_at: datetime | None = None,
    *,
    besides: int | None = None,
) -> Select[int, int]:
    """(request id, offer id) of the worker's offers in `status` whose window overlaps
    [starts_at, ends_at) (no end: any not over by starts_at), other than for the request
    `besides`."""
    query = (
        select(GigOffer.request_id, GigOffer.id)
        .join(GigRequest, GigRequest.id == GigOffer.request_id)
        .where(
            GigOffer.worker_id == worker_id,
            GigOffer.status == status,
            GigRequest.ends_at > starts_at,
        )
    )
    if ends_at is not None:
        query = query.where(GigRequest.starts_at < ends_at)
    if besides is not None:
        query = query.where(GigOffer.request_id != besides)
    return query


def booked_between(
    session: Session,
    worker_id: int,
    starts_at: datetime,
    ends_at: datetime | None = None,
    *,
    besides: int | None = None,
) -> int:
    """How many accepted offers of the worker overlap [starts_at, ends_at) (`overlapping`)."""
    booked = overlapping(worker_id, OfferStatus.ACCEPTED, starts_at, ends_at, besides=besides)
    return int(session.scalar(select(func.count()).select_from(booked.subquery())) or 0)


def declined_for_a_clash(session: Session, offers: list[GigOffer]) -> set[int]:
    """Which of these offers were declined for the worker because they took another job at
    that time (not by the worker)."""
    declined = [o.id for o in offers if o.status == OfferStatus.DECLINED]
    if not declined:
        return set()
    return set(
        session.scalars(
            select(GigEvent.offer_id).where(
                GigEvent.worker_id.in_({o.worker_id for o in offers}),
                GigEvent.offer_id.in_(declined),
                GigEvent.note == CLASHING,
            )
        )
    )


@contextlib.contextmanager
def queue_required() -> Iterator[None]:
    """Redis steps an action cannot do without: a Redis failure becomes a 503-style error."""
    try:
        yield
    except redis.RedisError as error:
        log.warning("gig queue unavailable: %s", error)
        raise ServiceUnavailable(QUEUE_DOWN) from error


def after_commit(client: redis.Redis, what: str, step: Callable[[], object]) -> None:
    """Apply a committed change to Redis; if Redis fails, SQL already holds the change, so
    mark the queue stale (the next dispatcher rebuilds it) instead of failing the action."""
    try:
        step()
    except redis.RedisError as error:
        log.warning("gig queue: %s not applied (%s); the queue will be rebuilt", what, error)
        with contextlib.suppress(redis.RedisError):
            queue.mark_stale(client)
