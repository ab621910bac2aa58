"""A worker's answers to an offer: accept (the atomic claim), decline, withdraw before the start.

Accepting claims in Redis first (the arbiter), then writes SQL, which checks the same rules
again under row locks; if SQL refuses or fails, the claim is undone in Redis. Declining and
withdrawing commit to SQL first and then update Redis (see `records.py`).
"""

from __future__ import annotations

import contextlib
import logging
from datetime import datetime

import redis
from sqlalchemy import update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from marketplace.accounts.models import User
from marketplace.database import utcnow
from marketplace.errors import Conflict, NotFound, ServiceUnavailable
from marketplace.gigs import permissions, queue, records
from marketplace.gigs.dispatch import DispatchPolicy, wave_after_commit
from marketplace.gigs.models import (
    LIVE_REQUEST_STATUSES,
    GigOffer,
    GigRequest,
    GigWorker,
    OfferStatus,
    RequestStatus,
)
from marketplace.gigs.queue import Claim, ClaimResult
from marketplace.gigs.recovery import ensure_queue

log = logging.getLogger(__name__)

REFUSALS: dict[ClaimResult, str] = {
    ClaimResult.EXPIRED: "邀约已过期",
    ClaimResult.FULL: "名额已满",
    ClaimResult.DOUBLE_BOOKED: "该时段您已接了其他零工",
    ClaimResult.NOT_OFFERED: "没有可接受的邀约",
    ClaimResult.CLOSED: "该用工需求已结束",
    ClaimResult.NO_QUEUE: records.QUEUE_DOWN,
}


# what the worker is told when the offer they try to accept was already answered
ANSWERED: dict[str, str] = {
    OfferStatus.ACCEPTED: "您已接受这个邀约",
    OfferStatus.DECLINED: "您已拒绝这个邀约",
    OfferStatus.WITHDRAWN: "您已退出这份零工",
    OfferStatus.CANCELLED: "用工方已取消这份零工",
}


class HireConflict(Conflict):
    """A claim refused: full, expired, double-booked, not offered or closed (HTTP 409)."""

    code = "hire_conflict"

    def __init__(
        self, result: ClaimResult, offer_state: str | None = None, message: str | None = None
    ) -> None:
        super().__init__(message or REFUSALS.get(result, "无法接单"))
        self.result = result
        # the offer's state in SQL when SQL refused, to put Redis back in step
        self.offer_state = offer_state


def _lock_offer(
    session: Session, request_id: int, offer_id: int, now: datetime
) -> tuple[GigRequest, GigOffer]:
    """Lock the request (the first statement of the transaction), then read the offer afresh."""
    request = records.lock_request(session, request_id, now)
    offer = session.get(GigOffer, offer_id, populate_existing=True)
    assert offer is not None  # noqa: S101 - offers are never deleted
    return request, offer


def _load_offer(session: Session, offer_id: int, actor: User | None) -> GigOffer:
    offer = session.get(GigOffer, offer_id)
    if offer is None:
        raise NotFound("没有这个邀约")
    permissions.check_worker(session, actor, offer.worker)
    return offer


def _claim(
    session: Session, client: redis.Redis, offer: GigOffer, request: GigRequest, now: datetime
) -> Claim:
    """The Lua claim; rebuilds the queue and retries once when Redis has lost it, or when
    Redis denies an offer that SQL says is live (a Redis write that failed earlier)."""
    now_ms = queue.epoch_ms(now)
    with records.queue_required():
        claim = queue.claim(client, offer.request_id, offer.worker_id, now_ms)
        lost = False
        if claim.result in (ClaimResult.NOT_OFFERED, ClaimResult.CLOSED):
            # read SQL again: a decline or cancellation may have been committed meanwhile
            session.refresh(offer)
            session.refresh(request)
            lost = (
                offer.status == OfferStatus.OFFERED
                and offer.expires_at > now
                and request.status in LIVE_REQUEST_STATUSES
            )
        if claim.result == ClaimResult.NO_QUEUE or lost:
            if lost:
                log.warning("offer %s live in SQL but not in Redis: rebuilding", offer.id)
                queue.mark_stale(client)
            session.rollback()
            ensure_queue(session, client)
            claim = queue.claim(client, offer.request_id, offer.worker_id, now_ms)
    return claim


def _sql_refusal(session: Session, request: GigRequest, offer: GigOffer, now: datetime) -> None:
    """Raise HireConflict if SQL, the record, does not allow this acceptance."""
    if request.status not in LIVE_REQUEST_STATUSES:
        raise HireConflict(ClaimResult.CLOSED, offer.status)
    if offer.status == OfferStatus.EXPIRED:
        raise HireConflict(ClaimResult.EXPIRED, OfferStatus.EXPIRED)
    if offer.status == OfferStatus.OFFERED and offer.expires_at <= now:
        raise HireConflict(ClaimResult.EXPIRED)  # still "offered" in SQL until the sweep
    if offer.status != OfferStatus.OFFERED:
        raise _not_offered(session, offer)
    if records.count_offers(session, request.id, OfferStatus.ACCEPTED) >= request.headcount:
        raise HireConflict(ClaimResult.FULL)
    if records.booked_between(
        session, offer.worker_id, request.starts_at, request.ends_at, besides=request.id
    ):
        raise HireConflict(ClaimResult.DOUBLE_BOOKED)


def _not_offered(session: Session, offer: GigOffer) -> HireConflict:
    """The refusal of an offer already answered, saying how: a worker tapping 接单 on an offer
    declined for them a moment before learns why, not just that there is none."""
    message = ANSWERED.get(offer.status)
    if records.declined_for_a_clash(session, [offer]):
        message = "这个邀约已自动婉拒：您已接了同一时段的其他零工"
    return HireConflict(ClaimResult.NOT_OFFERED, offer.status, message)


def _record_accept(
    session: Session, offer_id: int, request_id: int, now: datetime, actor: User | None
) -> GigOffer:
    try:
        request = records.lock_request(session, request_id, now)
        offer = session.get(GigOffer, offer_id, populate_existing=True)
        assert offer is not None  # noqa: S101 - offers are never deleted
        if offer.status == OfferStatus.ACCEPTED:
            session.commit()
            return offer
        # the worker's row lock (taken by this update) serialises their overlapping claims
        session.execute(
            update(GigWorker)
            .where(GigWorker.id == offer.worker_id)
            .values(accepts_count=GigWorker.accepts_count + 1, updated_at=now)
            .execution_options(synchronize_session=False)
        )
        _sql_refusal(session, request, offer, now)
        records.offer_event(
            session, offer, OfferStatus.ACCEPTED, now, user_id=actor.id if actor else None
        )
        offer.responded_at = now
        held = records.count_offers(session, request_id, OfferStatus.ACCEPTED)
        if held >= request.headcount and request.status == RequestStatus.OPEN:
            records.event(
                session,
                "request",
                RequestStatus.FILLED,
                now,
                from_status=request.status,
                request_id=request_id,
                note=f"已招满 {request.headcount} 人",
            )
            request.status = RequestStatus.FILLED
        session.commit()
        return offer
    except BaseException:
        session.rollback()
        raise


def accept_offer(
    session: Session,
    client: redis.Redis,
    offer_id: int,
    *,
    actor: User | None = None,
    now: datetime | None = None,
    policy: DispatchPolicy | None = None,
) -> GigOffer:
    """Accept an offer: never beyond headcount, never two overlapping bookings; accepting
    again is harmless. Raises HireConflict with the reason when refused. The worker's
    clashing offers are then declined for them; `policy` sizes those requests' next waves."""
    now = now or utcnow()
    offer = _load_offer(session, offer_id, actor)
    request = offer.request
    deadline = offer.expires_at
    claim = _claim(session, client, offer, request, now)
    if claim.result == ClaimResult.NOT_OFFERED and offer.status != OfferStatus.OFFERED:
        raise _not_offered(session, offer)
    if not claim.holds_place:
        raise HireConflict(claim.result)
    request_id, worker_id = offer.request_id, offer.worker_id
    session.rollback()
    try:
        accepted = _record_accept(session, offer_id, request_id, now, actor)
    except HireConflict as refusal:
        if claim.result == ClaimResult.ACCEPTED:
            state = refusal.offer_state or queue.offered_state(queue.epoch_ms(deadline))
            _undo_claim(client, request_id, worker_id, state)
            if refusal.result in (ClaimResult.FULL, ClaimResult.DOUBLE_BOOKED):
                # Redis let through what SQL refuses: Redis is behind; rebuild it
                log.warning("offer %s: Redis and SQL disagree (%s)", offer_id, refusal.result)
                with contextlib.suppress(redis.RedisError):
                    queue.mark_stale(client)
        raise
    except SQLAlchemyError as error:
        if claim.result == ClaimResult.ACCEPTED:
            _undo_claim(
                client, request_id, worker_id, queue.offered_state(queue.epoch_ms(deadline))
            )
        log.warning("offer %s: accepting not saved (%s)", offer_id, error)
        raise ServiceUnavailable("暂时无法保存，请重试") from error
    _decline_clashing(session, client, accepted, actor, now, policy)
    return accepted


def _decline_clashing(
    session: Session,
    client: redis.Redis,
    accepted: GigOffer,
    actor: User | None,
    now: datetime,
    policy: DispatchPolicy | None,
) -> None:
    """Decline, for the worker, their other open offers whose windows overlap the one just
    accepted: they can no longer take them (the claim refuses a double booking), and those
    requests move on to other workers now, not when the offers expire. Not counted as the
    worker's declines. The acceptance stands whatever happens here: what is not declined
    now expires as before."""
    try:
        request = accepted.request
        clashing = session.execute(
            records.overlapping(
                accepted.worker_id,
                OfferStatus.OFFERED,
                request.starts_at,
                request.ends_at,
                besides=request.id,
            ).where(GigOffer.expires_at > now)
        ).all()
    except SQLAlchemyError as error:
        session.rollback()
        log.warning("offer %s: clashing offers not looked up (%s)", accepted.id, error)
        return
    for request_id, offer_id in clashing:
        # each decline locks its request first: no read of the last wave may be open
        session.rollback()
        try:
            _decline(
                session,
                client,
                request_id,
                offer_id,
                actor=actor,
                now=now,
                policy=policy,
                clash=True,
            )
        except (Conflict, SQLAlchemyError) as error:
            # answered, cancelled or expired meanwhile; or not saved: the sweep expires it
            session.rollback()
            log.info("offer %s: not declined as clashing (%s)", offer_id, error)


def _undo_claim(client: redis.Redis, request_id: int, worker_id: int, state: str) -> None:
    """Give the place back in Redis after SQL refused or failed; if even that fails, Redis
    holds a place SQL does not (safe: stricter), and a rebuild puts it right."""
    records.after_commit(
        client,
        f"undo of claim {request_id}/{worker_id}",
        lambda: queue.release(client, request_id, worker_id, state),
    )


def decline_offer(
    session: Session,
    client: redis.Redis,
    offer_id: int,
    *,
    actor: User | None = None,
    now: datetime | None = None,
    policy: DispatchPolicy | None = None,
) -> GigOffer:
    """Decline an offer (declining again is harmless); an urgent request may get a new wave."""
    now = now or utcnow()
    request_id = _load_offer(session, offer_id, actor).request_id
    session.rollback()
    return _decline(session, client, request_id, offer_id, actor=actor, now=now, policy=policy)


def _decline(
    session: Session,
    client: redis.Redis,
    request_id: int,
    offer_id: int,
    *,
    actor: User | None,
    now: datetime,
    policy: DispatchPolicy | None,
    clash: bool = False,
) -> GigOffer:
    """Decline an offer whose worker the caller may act for; `clash`: for them, because they
    accepted another job at the same time (not counted as their decline)."""
    try:
        _request, offer = _lock_offer(session, request_id, offer_id, now)
        if offer.status == OfferStatus.DECLINED:
            session.commit()
            return offer
        if offer.status != OfferStatus.OFFERED:
            raise Conflict("该邀约已不能拒绝（已接受的请用“退出”）")
        records.offer_event(
            session,
            offer,
            OfferStatus.DECLINED,
            now,
            note=records.CLASHING if clash else None,
            user_id=actor.id if actor else None,
        )
        offer.responded_at = now
        if not clash:
            session.execute(
                update(GigWorker)
                .where(GigWorker.id == offer.worker_id)
                .values(declines_count=GigWorker.declines_count + 1, updated_at=now)
                .execution_options(synchronize_session=False)
            )
        session.commit()
    except BaseException:
        session.rollback()
        raise
    records.after_commit(
        client,
        f"decline of offer {offer_id}",
        lambda: queue.settle(client, request_id, offer.worker_id, OfferStatus.DECLINED),
    )
    wave_after_commit(session, client, request_id, now=now, policy=policy)
    return offer


def withdraw(
    session: Session,
    client: redis.Redis,
    offer_id: int,
    *,
    actor: User | None = None,
    now: datetime | None = None,
    policy: DispatchPolicy | None = None,
) -> GigOffer:
    """A worker gives back an accepted place before the start; the request reopens."""
    now = now or utcnow()
    request_id = _load_offer(session, offer_id, actor).request_id
    session.rollback()
    try:
        request, offer = _lock_offer(session, request_id, offer_id, now)
        if offer.status == OfferStatus.WITHDRAWN:
            session.commit()
            return offer
        if offer.status != OfferStatus.ACCEPTED:
            raise Conflict("只有已接单的零工才能退出")
        if now >= request.starts_at:
            raise Conflict("已到开工时间，不能退出")
        records.offer_event(
            session, offer, OfferStatus.WITHDRAWN, now, user_id=actor.id if actor else None
        )
        session.execute(
            update(GigWorker)
            .where(GigWorker.id == offer.worker_id)
            .values(withdrawals_count=GigWorker.withdrawals_count + 1, updated_at=now)
            .execution_options(synchronize_session=False)
        )
        if request.status == RequestStatus.FILLED:
            records.event(
                session,
                "request",
                RequestStatus.OPEN,
                now,
                from_status=request.status,
                request_id=request_id,
                note="有零工退出，重新招人",
            )
            request.status = RequestStatus.OPEN
        session.commit()
    except BaseException:
        session.rollback()
        raise
    now_ms = queue.epoch_ms(now)
    records.after_commit(
        client,
        f"withdrawal of offer {offer_id}",
        lambda: queue.release(
            client, request_id, offer.worker_id, OfferStatus.WITHDRAWN, before_ms=now_ms
        ),
    )
    wave_after_commit(session, client, request_id, now=now, policy=policy)
    return offer
