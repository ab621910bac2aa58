"""What the odd-job API shows: a worker's offers and a request's live status, read from SQL
(the record; Redis only arbitrates claims). Reads only: every change goes through gigs.services.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from marketplace.accounts.models import User
from marketplace.api.access import utc_text
from marketplace.gigs import permissions
from marketplace.gigs.dispatch import DispatchPolicy
from marketplace.gigs.models import GigOffer, GigRequest, GigWorker, OfferStatus
from marketplace.gigs.services import masked_phone
from marketplace.seekers.models import SeekerProfile

_PAY_UNITS = {"day": "元/天", "hour": "元/小时", "piece": "元/件"}


def worker_of(session: Session, user: User) -> GigWorker | None:
    """The odd-job registration of a signed-in person, if they have one."""
    return session.scalar(
        select(GigWorker)
        .join(SeekerProfile, SeekerProfile.id == GigWorker.seeker_id)
        .where(SeekerProfile.user_id == user.id)
    )


def may_see_request(session: Session, user: User, request: GigRequest) -> bool:
    """The requester, or staff whose area covers the request."""
    if request.requester_user_id == user.id:
        return True
    return permissions.staff_covers(session, user, request.place_code)


def pay_json(amount: float, unit: str) -> dict[str, Any]:
    shown = f"{amount:.0f}" if amount == int(amount) else f"{amount:.1f}"
    return {"amount": amount, "unit": unit, "text": f"{shown} {_PAY_UNITS.get(unit, '元')}"}


def live_offers(session: Session, worker: GigWorker, now: datetime) -> list[GigOffer]:
    """Offers the worker can still answer, the soonest deadline first."""
    return list(
        session.scalars(
            select(GigOffer)
            .options(joinedload(GigOffer.request))
            .where(
                GigOffer.worker_id == worker.id,
                GigOffer.status == OfferStatus.OFFERED,
                GigOffer.expires_at > now,
            )
            .order_by(GigOffer.expires_at, GigOffer.id)
        )
    )


def offer_json(offer: GigOffer, now: datetime) -> dict[str, Any]:
    request = offer.request
    live = offer.status == OfferStatus.OFFERED and offer.expires_at > now
    answer: dict[str, Any] = {
        "id": offer.id,
        "status": offer.status,
        "wave": offer.wave,
        "distance_km": round(offer.distance_km, 2),
        "offered_at": utc_text(offer.offered_at),
        "expires_at": utc_text(offer.expires_at),
        "seconds_left": int((offer.expires_at - now).total_seconds()) if live else 0,
        "request": {
            "id": request.id,
            "title": request.title,
            "description": request.description,
            "skills": sorted(request.skill_set),
            "address": request.address,
            "starts_at": utc_text(request.starts_at),
            "ends_at": utc_text(request.ends_at),
            "pay": pay_json(request.pay_amount, request.pay_unit),
            "headcount": request.headcount,
            "urgent": request.urgent,
        },
        "contact": None,
    }
    if offer.status == OfferStatus.ACCEPTED:
        # the hired worker needs to reach the requester; nobody else sees the number
        answer["contact"] = {"name": request.contact_name, "phone": request.contact_phone}
    return answer


def request_status(
    session: Session, request: GigRequest, now: datetime, policy: DispatchPolicy
) -> dict[str, Any]:
    """The requester's live view: offered n, accepted n of m, expired, and the dispatch radius."""
    counts: dict[str, int] = {
        status: int(count)
        for status, count in session.execute(
            select(GigOffer.status, func.count())
            .where(GigOffer.request_id == request.id)
            .group_by(GigOffer.status)
        )
    }
    # an offer past its deadline stays "offered" in SQL until the sweep: count it as expired
    overdue = int(
        session.scalar(
            select(func.count()).where(
                GigOffer.request_id == request.id,
                GigOffer.status == OfferStatus.OFFERED,
                GigOffer.expires_at <= now,
            )
        )
        or 0
    )
    accepted = counts.get(OfferStatus.ACCEPTED, 0)
    hired = session.execute(
        select(SeekerProfile.name, SeekerProfile.phone)
        .join(GigWorker, GigWorker.seeker_id == SeekerProfile.id)
        .join(GigOffer, GigOffer.worker_id == GigWorker.id)
        .where(GigOffer.request_id == request.id, GigOffer.status == OfferStatus.ACCEPTED)
        .order_by(GigOffer.responded_at, GigOffer.id)
    ).all()
    base = policy.radii_km[0]
    return {
        "id": request.id,
        "title": request.title,
        "status": request.status,
        "urgent": request.urgent,
        "headcount": request.headcount,
        "offered": counts.get(OfferStatus.OFFERED, 0) - overdue,
        "accepted": accepted,
        "declined": counts.get(OfferStatus.DECLINED, 0),
        "expired": counts.get(OfferStatus.EXPIRED, 0) + overdue,
        "summary": f"已接单 {accepted}/{request.headcount}",
        "starts_at": utc_text(request.starts_at),
        "ends_at": utc_text(request.ends_at),
        "pay": pay_json(request.pay_amount, request.pay_unit),
        "address": request.address,
        "dispatch": {
            "waves": request.waves,
            "radius_km": request.radius_km,
            "base_radius_km": base,
            "widened": request.radius_km is not None and request.radius_km > base,
            "note": request.dispatch_note,
        },
        "workers": [{"name": name, "phone": masked_phone(phone)} for name, phone in hired],
        "created_at": utc_text(request.created_at),
        "closed_at": utc_text(request.closed_at),
    }
