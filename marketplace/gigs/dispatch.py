"""即时快招 dispatch: offer a request to nearby workers in waves, widening the circle when needed.

Writes the wave to SQL first, then to Redis; the expiry sweep (`sweep.py`) sends later waves.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import redis
from sqlalchemy import or_, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from marketplace.database import utcnow
from marketplace.errors import ServiceUnavailable
from marketplace.gigs import queue, ranking, records
from marketplace.gigs.models import (
    GigOffer,
    GigRequest,
    GigWorker,
    OfferStatus,
    RequestStatus,
)
from marketplace.gigs.recovery import ensure_queue
from marketplace.seekers.models import SeekerProfile

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DispatchPolicy:
    """How dispatch behaves; `from_config` reads the app's settings."""

    offer_seconds: int = 120
    # the plan's 5 km service circle first, then wider steps when too few are found
    radii_km: tuple[float, ...] = (5.0, 8.0, 12.0)
    # offers per open place in a wave: many decline or do not answer in time
    wave_factor: int = 3

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> DispatchPolicy:
        return cls(offer_seconds=int(config.get("GIG_OFFER_SECONDS", cls.offer_seconds)))


@dataclass
class DispatchReport:
    request_id: int
    wave: int = 0  # the wave sent (0: none)
    radius_km: float | None = None
    offered: list[int] = field(default_factory=list)  # worker ids, best first
    note: str | None = None


def reach_words(policy: DispatchPolicy | None = None) -> str:
    """How far dispatch looks, for the pages that promise it: 先找 5 公里内，人不够再逐步扩大到
    12 公里 (the widening is no surprise on the request's page)."""
    radii = (policy or DispatchPolicy()).radii_km
    if len(radii) == 1:
        return f"{radii[0]:g} 公里内"
    return f"先找 {radii[0]:g} 公里内，人不够再逐步扩大到 {radii[-1]:g} 公里"


def widening_note(previous_km: float, radius_km: float, found: int, wanted: int) -> str:
    """Why the circle grew: how many free workers the first circle held against a wave's need."""
    if not found:
        return f"{previous_km:g} 公里内无人可派，已扩大到 {radius_km:g} 公里"
    return (
        f"{previous_km:g} 公里内可派的零工只有 {found} 位（本轮需 {wanted} 位），"
        f"已扩大到 {radius_km:g} 公里"
    )


def nobody_note(radius_km: float, widened_from: float | None = None) -> str:
    """Nobody free within the widest circle tried (and the circle it started from)."""
    if widened_from is not None and widened_from < radius_km:
        return f"{widened_from:g} 公里内无人可派，已扩大到 {radius_km:g} 公里，仍暂无可派单的零工"
    return f"{radius_km:g} 公里内暂无可派单的零工"


def _search(
    session: Session,
    client: redis.Redis,
    request: GigRequest,
    wanted: int,
    policy: DispatchPolicy,
    exclude: set[int],
) -> tuple[list[ranking.Candidate], float, float | None, int]:
    """The best `wanted` free candidates, widening the circle until found or none is left.

    Returns (candidates, radius used, radius started from when it widened, how many the
    first circle held).
    """
    start = request.radius_km or policy.radii_km[0]
    steps = [radius for radius in policy.radii_km if radius >= start] or [start]
    rows: dict[int, GigWorker | None] = {}
    chosen: list[ranking.Candidate] = []
    first: int | None = None
    for radius in steps:
        with records.queue_required():
            found = queue.candidates(client, request, radius)
        _load_workers(session, request, [wid for wid, _ in found if wid not in exclude], rows)
        pairs = [
            (worker, km)
            for wid, km in found
            if wid not in exclude and (worker := rows[wid]) is not None
        ]
        chosen = _drop_busy(client, request, ranking.rank(request, pairs, radius), wanted)
        first = len(chosen) if first is None else first
        if len(chosen) >= wanted:
            break
    used = radius
    return chosen, used, start if used > start else None, first or 0


def _load_workers(
    session: Session, request: GigRequest, ids: list[int], rows: dict[int, GigWorker | None]
) -> None:
    """Fill `rows` for these ids: the worker, or None when they lack every requested skill."""
    missing = [wid for wid in ids if wid not in rows]
    if not missing:
        return
    query = select(GigWorker).where(GigWorker.id.in_(missing))
    if request.skill_set:
        # tags are whole words of a fixed list, so a substring match is exact; ranking checks again
        query = query.where(or_(*(GigWorker.skills.contains(tag) for tag in request.skill_set)))
    loaded = {worker.id: worker for worker in session.scalars(query)}
    for wid in missing:
        rows[wid] = loaded.get(wid)


def _drop_busy(
    client: redis.Redis, request: GigRequest, ranked: list[ranking.Candidate], wanted: int
) -> list[ranking.Candidate]:
    """The first `wanted` candidates not booked at that time, checking them a batch at a time
    (most are free, so the whole circle seldom needs checking)."""
    starts_ms, ends_ms = queue.epoch_ms(request.starts_at), queue.epoch_ms(request.ends_at)
    free: list[ranking.Candidate] = []
    batch = max(2 * wanted, 32)
    for index in range(0, len(ranked), batch):
        chunk = ranked[index : index + batch]
        with records.queue_required():
            busy = queue.busy_workers(client, [c.worker_id for c in chunk], starts_ms, ends_ms)
        free.extend(candidate for candidate in chunk if candidate.worker_id not in busy)
        if len(free) >= wanted:
            break
    return free[:wanted]


def dispatch(
    session: Session,
    client: redis.Redis,
    request_id: int,
    *,
    now: datetime | None = None,
    policy: DispatchPolicy | None = None,
) -> DispatchReport:
    """Offer an open request to the best available workers nearby (one wave).

    A wave has `wave_factor` offers per open place, less the offers still live. The request
    records the radius used and, when the 5 km circle was widened, says so.
    """
    now = now or utcnow()
    policy = policy or DispatchPolicy()
    report = DispatchReport(request_id)
    ensure_queue(session, client)
    request = session.get(GigRequest, request_id, populate_existing=True)
    if request is None or request.status != RequestStatus.OPEN or request.starts_at <= now:
        return report
    remaining = request.headcount - records.count_offers(session, request_id, OfferStatus.ACCEPTED)
    live = records.count_offers(session, request_id, OfferStatus.OFFERED, live_at=now)
    wanted = remaining * policy.wave_factor - live
    if wanted <= 0:
        return report
    exclude = set(
        session.scalars(select(GigOffer.worker_id).where(GigOffer.request_id == request_id))
    )
    if request.requester_user_id is not None:
        # nobody is offered their own request
        exclude |= set(
            session.scalars(
                select(GigWorker.id)
                .join(SeekerProfile, SeekerProfile.id == GigWorker.seeker_id)
                .where(SeekerProfile.user_id == request.requester_user_id)
            )
        )
    chosen, radius, widened_from, first = _search(session, client, request, wanted, policy, exclude)
    session.rollback()  # end the reads; the write starts with the request's row lock
    if not chosen:
        note = nobody_note(radius, widened_from)
    elif widened_from is not None:
        note = widening_note(widened_from, radius, first, wanted)
    else:
        note = None
    return _record_wave(session, client, report, chosen, radius, note, now, policy)


def _record_wave(
    session: Session,
    client: redis.Redis,
    report: DispatchReport,
    chosen: list[ranking.Candidate],
    radius: float,
    note: str | None,
    now: datetime,
    policy: DispatchPolicy,
) -> DispatchReport:
    deadline = now + timedelta(seconds=policy.offer_seconds)
    try:
        request = records.lock_request(session, report.request_id, now)
        if request.status != RequestStatus.OPEN:
            session.rollback()
            return report
        # a concurrent wave may have offered some of them while this one was searching
        taken = set(
            session.scalars(select(GigOffer.worker_id).where(GigOffer.request_id == request.id))
        )
        chosen = [candidate for candidate in chosen if candidate.worker_id not in taken]
        wave = request.waves + 1
        offers = [
            GigOffer(
                request_id=request.id,
                worker_id=candidate.worker_id,
                wave=wave,
                rank=position,
                distance_km=candidate.distance_km,
                score=candidate.score,
                offered_at=now,
                expires_at=deadline,
                status=OfferStatus.OFFERED,
                updated_at=now,
            )
            for position, candidate in enumerate(chosen, 1)
        ]
        session.add_all(offers)
        session.flush()
        for offer in offers:
            records.event(
                session,
                "offer",
                OfferStatus.OFFERED,
                now,
                request_id=request.id,
                worker_id=offer.worker_id,
                offer_id=offer.id,
                note=f"第 {wave} 轮，{offer.distance_km:g} 公里",
            )
        if offers:
            request.waves = wave
            # workers in id order: concurrent waves lock shared workers in the same order
            session.execute(
                update(GigWorker)
                .where(GigWorker.id.in_(sorted(offer.worker_id for offer in offers)))
                .values(
                    last_offered_at=now, offers_count=GigWorker.offers_count + 1, updated_at=now
                )
                .execution_options(synchronize_session=False)
            )
        if radius > (request.radius_km or 0):
            request.radius_km = radius
        if note is not None and note != request.dispatch_note:
            records.event(
                session,
                "request",
                request.status,
                now,
                from_status=request.status,
                request_id=request.id,
                note=note,
            )
            request.dispatch_note = note
        session.commit()
    except BaseException:
        session.rollback()
        raise
    worker_ids = [offer.worker_id for offer in offers]
    records.after_commit(
        client,
        f"wave {wave} of request {request.id}",
        lambda: queue.offer(client, request.id, worker_ids, queue.epoch_ms(deadline)),
    )
    if offers:
        report.wave = wave
    report.offered = worker_ids
    report.radius_km = request.radius_km
    report.note = note
    log.info("request %s wave %s: %s offers within %g km", request.id, wave, len(offers), radius)
    return report


def top_up(
    session: Session,
    client: redis.Redis,
    request_id: int,
    *,
    now: datetime,
    policy: DispatchPolicy,
) -> DispatchReport | None:
    """Send the next wave of an urgent request once its live offers cannot fill it."""
    request = session.get(GigRequest, request_id, populate_existing=True)
    if request is None or not request.urgent or request.status != RequestStatus.OPEN:
        return None
    remaining = request.headcount - records.count_offers(session, request_id, OfferStatus.ACCEPTED)
    live = records.count_offers(session, request_id, OfferStatus.OFFERED, live_at=now)
    if remaining <= 0 or live >= remaining:
        return None
    return dispatch(session, client, request_id, now=now, policy=policy)


def wave_after_commit(
    session: Session,
    client: redis.Redis,
    request_id: int,
    *,
    now: datetime,
    policy: DispatchPolicy | None,
    first: bool = False,
) -> DispatchReport | None:
    """Dispatch following a committed action: the first wave, or a top-up. If that fails the
    action still stands and the expiry sweep sends the wave later."""
    try:
        if first:
            return dispatch(session, client, request_id, now=now, policy=policy)
        return top_up(session, client, request_id, now=now, policy=policy or DispatchPolicy())
    except (ServiceUnavailable, SQLAlchemyError) as error:
        # the action itself is committed; the expiry sweep sends the wave later
        session.rollback()
        log.warning("request %s: no wave sent now (%s)", request_id, error)
        return None
