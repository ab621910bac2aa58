"""Odd jobs (即时快招) for kiosks and mini-programs: a worker answers offers; a requester posts
a request, watches its live status and cancels it. Bodies call gigs.services; reads are in
`gig_status.py`."""

from __future__ import annotations

import redis
from flask import Blueprint, Response, current_app, jsonify, url_for

from marketplace.accounts.models import Role, User
from marketplace.api.access import (
    flag,
    integer,
    json_body,
    number,
    required_user,
    text,
    text_list,
)
from marketplace.api.access import moment as body_moment
from marketplace.api.gig_status import (
    live_offers,
    may_see_request,
    offer_json,
    request_status,
    worker_of,
)
from marketplace.database import db_session, utcnow
from marketplace.errors import NotFound, ServiceUnavailable
from marketplace.extensions import RedisUnavailable, get_redis
from marketplace.gigs import records, services
from marketplace.gigs.dispatch import DispatchPolicy
from marketplace.gigs.models import GigOffer, GigRequest

bp = Blueprint("gigs", __name__, url_prefix="/gigs")

NO_OFFER = "没有这个邀约"
NO_REQUEST = "没有这个用工需求"


def _queue() -> redis.Redis:
    try:
        return get_redis()
    except RedisUnavailable as error:
        # a deployment without Redis still serves jobs; odd-job actions say why they cannot
        raise ServiceUnavailable(records.QUEUE_DOWN) from error


def _policy() -> DispatchPolicy:
    return DispatchPolicy.from_config(current_app.config)


def _own_offer(user: User, offer_id: int) -> GigOffer:
    """The worker's own offer; someone else's is as unknown as a missing one (404)."""
    session = db_session()
    offer = session.get(GigOffer, offer_id)
    worker = worker_of(session, user)
    if offer is None or worker is None or offer.worker_id != worker.id:
        raise NotFound(NO_OFFER)
    return offer


def _visible_request(user: User, request_id: int) -> GigRequest:
    session = db_session()
    gig = session.get(GigRequest, request_id)
    if gig is None or not may_see_request(session, user, gig):
        raise NotFound(NO_REQUEST)
    return gig


@bp.get("/offers")
def offers() -> Response:
    """The signed-in worker's live offers with the seconds left to answer."""
    user = required_user(Role.SEEKER)
    session = db_session()
    worker = worker_of(session, user)
    now = utcnow()
    found = [] if worker is None else live_offers(session, worker, now)
    return jsonify(
        registered=worker is not None, offers=[offer_json(offer, now) for offer in found]
    )


@bp.post("/offers/<int:offer_id>/accept")
def accept(offer_id: int) -> Response:
    """Claim a place (atomic); refused with 409 and the reason: expired, full, double-booked."""
    user = required_user(Role.SEEKER)
    _own_offer(user, offer_id)
    session = db_session()
    offer = services.accept_offer(session, _queue(), offer_id, actor=user, policy=_policy())
    return jsonify(offer_json(offer, utcnow()))


@bp.post("/offers/<int:offer_id>/decline")
def decline(offer_id: int) -> Response:
    user = required_user(Role.SEEKER)
    _own_offer(user, offer_id)
    session = db_session()
    offer = services.decline_offer(session, _queue(), offer_id, actor=user, policy=_policy())
    return jsonify(offer_json(offer, utcnow()))


@bp.post("/requests")
def post_request() -> tuple[Response, int, dict[str, str]]:
    """Publish a request (free); an urgent one (即时快招) is offered to nearby workers at once."""
    user = required_user()
    body = json_body()
    session = db_session()
    policy = _policy()
    gig = services.post_request(
        session,
        _queue(),
        title=text(body, "title", required=True, limit=120) or "",
        starts_at=body_moment(body, "starts_at"),
        ends_at=body_moment(body, "ends_at"),
        pay_amount=number(body, "pay_amount", required=True) or 0.0,
        pay_unit=text(body, "pay_unit", required=True, limit=8) or "",
        headcount=integer(body, "headcount", required=True) or 0,
        skills=text_list(body, "skills"),
        place_code=text(body, "place_code", limit=12),
        lat=number(body, "lat"),
        lng=number(body, "lng"),
        datum=text(body, "datum", limit=8),
        address=text(body, "address"),
        description=text(body, "description", limit=2000) or "",
        urgent=flag(body, "urgent"),
        service_point_id=integer(body, "service_point_id"),
        contact_name=text(body, "contact_name", limit=40) or user.display_name,
        contact_phone=text(body, "contact_phone", limit=20) or user.phone,
        actor=user,
        policy=policy,
    )
    location = url_for(".request_detail", request_id=gig.id)
    return jsonify(request_status(session, gig, utcnow(), policy)), 201, {"Location": location}


@bp.get("/requests/<int:request_id>")
def request_detail(request_id: int) -> Response:
    """Live status: offered n, accepted n of m, expired, and whether dispatch widened."""
    user = required_user()
    gig = _visible_request(user, request_id)
    return jsonify(request_status(db_session(), gig, utcnow(), _policy()))


@bp.post("/requests/<int:request_id>/cancel")
def cancel(request_id: int) -> Response:
    user = required_user()
    _visible_request(user, request_id)
    body = json_body()
    session = db_session()
    gig = services.cancel_request(
        session, _queue(), request_id, reason=text(body, "reason"), actor=user
    )
    return jsonify(request_status(session, gig, utcnow(), _policy()))
