"""Ending a request: the requester cancels it, or completes it (marking no-shows); ratings.

Like every action that frees places, these commit to SQL first and then update Redis.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

import redis
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from marketplace.accounts.models import User
from marketplace.database import utcnow
from marketplace.errors import Conflict, NotFound, ValidationError
from marketplace.gigs import permissions, queue, records
from marketplace.gigs.models import (
    LIVE_REQUEST_STATUSES,
    GigOffer,
    GigRating,
    GigRequest,
    GigWorker,
    OfferStatus,
    RatingDirection,
    RequestStatus,
)


def cancel_request(
    session: Session,
    client: redis.Redis,
    request_id: int,
    *,
    reason: str | None = None,
    actor: User | None = None,
    now: datetime | None = None,
) -> GigRequest:
    """The requester cancels: every offer and place ends and the workers' windows are freed."""
    now = now or utcnow()
    _check_request(session, request_id, actor)
    try:
        request = records.lock_request(session, request_id, now)
        if request.status == RequestStatus.CANCELLED:
            session.commit()
            return request
        if request.status not in LIVE_REQUEST_STATUSES:
            raise Conflict("该需求已结束，不能取消")
        user_id = actor.id if actor else None
        for offer in _offers(session, request_id, OfferStatus.OFFERED, OfferStatus.ACCEPTED):
            records.offer_event(session, offer, OfferStatus.CANCELLED, now, user_id=user_id)
        _close(session, request, RequestStatus.CANCELLED, now, reason or "发布人取消", user_id)
        session.commit()
    except BaseException:
        session.rollback()
        raise
    records.after_commit(
        client,
        f"cancellation of request {request_id}",
        lambda: queue.close_request(client, request_id, RequestStatus.CANCELLED),
    )
    return request


def complete(
    session: Session,
    client: redis.Redis,
    request_id: int,
    *,
    no_shows: Collection[int] = (),
    actor: User | None = None,
    now: datetime | None = None,
) -> GigRequest:
    """Close a request after the work: hired workers completed, or marked as no-shows."""
    now = now or utcnow()
    _check_request(session, request_id, actor)
    try:
        request = records.lock_request(session, request_id, now)
        if request.status == RequestStatus.COMPLETED:
            session.commit()
            return request
        if request.status not in LIVE_REQUEST_STATUSES:
            raise Conflict("该需求已结束")
        if now < request.starts_at:
            raise Conflict("开工后才能确认完工")
        hired = _offers(session, request_id, OfferStatus.ACCEPTED)
        if not hired:
            raise Conflict("没有已接单的零工")
        if set(no_shows) - {offer.worker_id for offer in hired}:
            raise ValidationError("未到岗的只能是已接单的零工")
        user_id = actor.id if actor else None
        for offer in sorted(hired, key=lambda o: o.worker_id):  # workers locked in id order
            missed = offer.worker_id in no_shows
            records.offer_event(
                session,
                offer,
                OfferStatus.NO_SHOW if missed else OfferStatus.COMPLETED,
                now,
                user_id=user_id,
            )
            counter = GigWorker.no_shows_count if missed else GigWorker.completions_count
            session.execute(
                update(GigWorker)
                .where(GigWorker.id == offer.worker_id)
                .values({counter: counter + 1, GigWorker.updated_at: now})
                .execution_options(synchronize_session=False)
            )
        for offer in _offers(session, request_id, OfferStatus.OFFERED):
            records.offer_event(session, offer, OfferStatus.CANCELLED, now, note="需求已完工")
        _close(session, request, RequestStatus.COMPLETED, now, None, user_id)
        session.commit()
    except BaseException:
        session.rollback()
        raise
    records.after_commit(
        client,
        f"completion of request {request_id}",
        lambda: queue.close_request(client, request_id, RequestStatus.COMPLETED),
    )
    return request


def rate(
    session: Session,
    request_id: int,
    worker_id: int,
    direction: RatingDirection,
    score: int,
    *,
    comment: str | None = None,
    actor: User | None = None,
    now: datetime | None = None,
) -> GigRating:
    """A 1–5 rating after completed work, by the requester of the worker or the other way."""
    now = now or utcnow()
    if not 1 <= score <= 5:
        raise ValidationError("评分须为 1 到 5 分")
    offer = session.scalar(
        select(GigOffer).where(GigOffer.request_id == request_id, GigOffer.worker_id == worker_id)
    )
    if offer is None or offer.status != OfferStatus.COMPLETED:
        raise Conflict("完工后才能评价")
    if direction == RatingDirection.REQUESTER_TO_WORKER:
        permissions.check_request(session, actor, offer.request)
    else:
        permissions.check_worker(session, actor, offer.worker)
    rating = GigRating(
        request_id=request_id,
        worker_id=worker_id,
        direction=direction,
        score=score,
        comment=comment,
        rater_user_id=actor.id if actor else None,
        created_at=now,
    )
    try:
        session.add(rating)
        session.flush()  # a second rating of the same work fails here
        if direction == RatingDirection.REQUESTER_TO_WORKER:
            session.execute(
                update(GigWorker)
                .where(GigWorker.id == worker_id)
                .values(
                    rating_sum=GigWorker.rating_sum + score,
                    rating_count=GigWorker.rating_count + 1,
                    updated_at=now,
                )
                .execution_options(synchronize_session=False)
            )
        session.commit()
    except IntegrityError as error:
        session.rollback()
        raise Conflict("已经评价过了") from error
    return rating


def _check_request(session: Session, request_id: int, actor: User | None) -> None:
    request = session.get(GigRequest, request_id)
    if request is None:
        raise NotFound("没有这个用工需求")
    permissions.check_request(session, actor, request)
    session.rollback()


def _offers(session: Session, request_id: int, *statuses: OfferStatus) -> list[GigOffer]:
    return list(
        session.scalars(
            select(GigOffer)
            .where(GigOffer.request_id == request_id, GigOffer.status.in_(list(statuses)))
            .order_by(GigOffer.id)
        )
    )


def _close(
    session: Session,
    request: GigRequest,
    status: RequestStatus,
    now: datetime,
    note: str | None,
    user_id: int | None,
) -> None:
    records.event(
        session,
        "request",
        status,
        now,
        from_status=request.status,
        request_id=request.id,
        note=note,
        user_id=user_id,
    )
    request.status = status
    request.closed_at = now
