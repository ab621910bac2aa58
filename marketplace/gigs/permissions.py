"""Who may act on a gig worker or request: the person themself, or staff whose area covers it.

Staff bound to a service point see what lies under its place (village codes start with their
town's code, town codes with their county's); city-level staff have no point and see all.
An actor of None is a trusted caller (the CLI, the expiry sweep, tests).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from marketplace.accounts.models import Role, User
from marketplace.errors import Forbidden
from marketplace.gigs.models import GigRequest, GigWorker
from marketplace.places.models import ServicePoint


def staff_covers(session: Session, actor: User, place_code: str | None) -> bool:
    """Staff whose service point's area contains the place (city-level staff: everywhere)."""
    if actor.role != Role.STAFF or not actor.is_active:
        return False
    if actor.service_point_id is None:
        return True
    point = session.get(ServicePoint, actor.service_point_id)
    return point is not None and place_code is not None and place_code.startswith(point.place_code)


def check_worker(session: Session, actor: User | None, worker: GigWorker) -> None:
    if actor is None or worker.seeker.user_id == actor.id:
        return
    if not staff_covers(session, actor, worker.place_code):
        raise Forbidden("无权代该零工操作")


def check_request(session: Session, actor: User | None, request: GigRequest) -> None:
    if actor is None or (actor.is_active and request.requester_user_id == actor.id):
        return
    if not staff_covers(session, actor, request.place_code):
        raise Forbidden("无权操作该用工需求")


def check_service_point(session: Session, actor: User | None, point_id: int) -> None:
    """Only staff of that point (or above it) act for walk-in people there."""
    if actor is None:
        return
    point = session.get(ServicePoint, point_id)
    if point is None or not staff_covers(session, actor, point.place_code):
        raise Forbidden("无权代该服务站操作")
