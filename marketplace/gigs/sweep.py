"""The expiry sweep (`flask gigs expire`): ends overdue offers and requests, sends next waves."""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import redis
from sqlalchemy import select
from sqlalchemy.orm import Session

from marketplace.database import utcnow
from marketplace.gigs import queue, records
from marketplace.gigs.dispatch import DispatchPolicy, DispatchReport, top_up
from marketplace.gigs.models import GigOffer, GigRequest, OfferStatus, RequestStatus
from marketplace.gigs.recovery import ensure_queue

log = logging.getLogger(__name__)

# A claim accepted in Redis writes its SQL row within milliseconds; one still unwritten this
# long after the offer's deadline was lost (its SQL write and its undo both failed).
STALE_CLAIM = timedelta(minutes=1)


@dataclass
class SweepReport:
    expired_offers: int = 0
    expired_requests: int = 0
    waves: list[DispatchReport] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.expired_offers or self.expired_requests or any(w.wave for w in self.waves))

    def lines(self) -> list[str]:
        offered = sum(len(wave.offered) for wave in self.waves)
        return [
            f"offers expired: {self.expired_offers}",
            f"requests expired (started with nobody hired): {self.expired_requests}",
            f"new waves: {sum(1 for wave in self.waves if wave.wave)} ({offered} offers)",
        ]


def _expire_due_offers(
    session: Session, client: redis.Redis, now: datetime, report: SweepReport
) -> None:
    now_ms = queue.epoch_ms(now)
    due = session.execute(
        select(GigOffer.id, GigOffer.request_id, GigOffer.worker_id, GigOffer.expires_at)
        .where(GigOffer.status == OfferStatus.OFFERED, GigOffer.expires_at <= now)
        .order_by(GigOffer.request_id, GigOffer.id)
    ).all()
    session.rollback()
    by_request: dict[int, list[tuple[int, int, datetime]]] = {}
    for offer_id, request_id, worker_id, expires_at in due:
        by_request.setdefault(request_id, []).append((offer_id, worker_id, expires_at))
    for request_id, pairs in by_request.items():
        # Redis first: once it says "expired" no claim can win; a claim that already won
        # ("accepted") is writing its own SQL row and is left alone
        ended = []
        for offer_id, worker_id, expires_at in pairs:
            with records.queue_required():
                outcome = queue.settle(
                    client, request_id, worker_id, OfferStatus.EXPIRED, expired_by_ms=now_ms
                )
                if outcome == "no_queue":
                    ensure_queue(session, client)
                    outcome = queue.settle(
                        client, request_id, worker_id, OfferStatus.EXPIRED, expired_by_ms=now_ms
                    )
            if outcome in ("settled", OfferStatus.EXPIRED, "not_offered"):
                ended.append(offer_id)
            elif outcome == OfferStatus.ACCEPTED and now - expires_at > STALE_CLAIM:
                # a claim whose SQL write and undo both failed: Redis is wrong, rebuild it
                records.after_commit(client, "stale claim", lambda: queue.mark_stale(client))
        if not ended:
            continue
        try:
            records.lock_request(session, request_id, now)
            for offer in session.scalars(
                select(GigOffer).where(
                    GigOffer.id.in_(ended), GigOffer.status == OfferStatus.OFFERED
                )
            ):
                records.offer_event(session, offer, OfferStatus.EXPIRED, now, note="未在时限内答复")
                report.expired_offers += 1
            session.commit()
        except BaseException:
            session.rollback()
            raise


def _expire_started_requests(
    session: Session, client: redis.Redis, now: datetime, report: SweepReport
) -> None:
    started = session.scalars(
        select(GigRequest.id).where(
            GigRequest.status == RequestStatus.OPEN, GigRequest.starts_at <= now
        )
    ).all()
    session.rollback()
    for request_id in started:
        try:
            request = records.lock_request(session, request_id, now)
            hired = records.count_offers(session, request_id, OfferStatus.ACCEPTED)
            if request.status != RequestStatus.OPEN or hired:
                # with somebody hired the work goes ahead; the requester completes it
                session.rollback()
                continue
            for offer in session.scalars(
                select(GigOffer).where(
                    GigOffer.request_id == request_id, GigOffer.status == OfferStatus.OFFERED
                )
            ):
                records.offer_event(
                    session, offer, OfferStatus.EXPIRED, now, note="需求已过开工时间"
                )
            records.event(
                session,
                "request",
                RequestStatus.EXPIRED,
                now,
                from_status=request.status,
                request_id=request_id,
                note="到开工时间仍无人接单",
            )
            request.status = RequestStatus.EXPIRED
            request.closed_at = now
            session.commit()
        except BaseException:
            session.rollback()
            raise
        report.expired_requests += 1
        records.after_commit(
            client,
            f"expiry of request {request_id}",
            functools.partial(queue.close_request, client, request_id, RequestStatus.EXPIRED),
        )


def expire_offers(
    session: Session,
    client: redis.Redis,
    *,
    now: datetime | None = None,
    policy: DispatchPolicy | None = None,
) -> SweepReport:
    """One sweep: end overdue offers, expire requests that started with nobody hired, and send
    the next wave of urgent requests whose live offers can no longer fill them."""
    now = now or utcnow()
    policy = policy or DispatchPolicy()
    report = SweepReport()
    ensure_queue(session, client)
    _expire_due_offers(session, client, now, report)
    _expire_started_requests(session, client, now, report)
    urgent = session.scalars(
        select(GigRequest.id).where(
            GigRequest.status == RequestStatus.OPEN,
            GigRequest.urgent.is_(True),
            GigRequest.starts_at > now,
        )
    ).all()
    for request_id in urgent:
        wave = top_up(session, client, request_id, now=now, policy=policy)
        session.rollback()
        if wave is not None:
            report.waves.append(wave)
    return report
