"""Kiosk business actions: registering and enrolling terminals, the work near a service point,
and walk-in people's records made at a terminal.

A kiosk is not a person: it acts for walk-in people at its own service point only. The gig
services are called as a trusted caller (actor None) once the view has checked the device;
the service point they record is always the device's own.
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from indexer.engines.base import SearchUnavailable
from indexer.geo import distance_km
from indexer.queries import GeoPoint, Sort
from marketplace.accounts.models import KioskDevice, Role, User
from marketplace.database import utcnow
from marketplace.errors import Forbidden, NotFound, ValidationError
from marketplace.gigs import permissions
from marketplace.gigs.forms import PAY_UNIT_LABELS
from marketplace.gigs.models import GigRequest, RequestStatus
from marketplace.gigs.services import requester_labels
from marketplace.jobs.display import pay_in_words
from marketplace.localtime import day_and_time
from marketplace.places.models import Place, PlaceLevel, ServicePoint
from marketplace.search.engine import SearchHolder
from marketplace.search.services import search_jobs

log = logging.getLogger(__name__)

# 16 characters from 30 letters and digits nobody misreads (about 78 bits): short enough to
# type on a touch screen, far too many to guess
TOKEN_ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789"  # noqa: S105  # an alphabet, not a secret
TOKEN_LENGTH = 16
# "附近": postings and odd jobs within this distance of the service point
NEARBY_KM = 30.0
NEARBY_LIMIT = 20
# last_seen_at is written at most this often (a kiosk page view is not worth a write each)
SEEN_EVERY = timedelta(minutes=5)


# ---- devices ---------------------------------------------------------------------------------


def normalize_token(raw: str) -> str:
    """What staff typed → the token: upper case, without spaces and dashes."""
    return re.sub(r"[\s-]+", "", raw or "").upper()


def hash_token(token: str) -> str:
    return hashlib.sha256(normalize_token(token).encode()).hexdigest()


def grouped(token: str) -> str:
    """ABCD-EFGH-JKMN-PQRS: easier to read out and type."""
    return "-".join(token[i : i + 4] for i in range(0, len(token), 4))


def points_for(session: Session, actor: User) -> list[ServicePoint]:
    """The service points a staff member may register terminals for (theirs and below)."""
    if actor.role != Role.STAFF:
        return []
    points = session.scalars(select(ServicePoint).order_by(ServicePoint.level, ServicePoint.name))
    return [p for p in points if permissions.staff_covers(session, actor, p.place_code)]


def create_device(
    session: Session, actor: User, name: str, service_point_id: int
) -> tuple[KioskDevice, str]:
    """Register a terminal for a service point; returns it and its token (shown once, never
    stored: only its SHA-256 is kept)."""
    if actor.role != Role.STAFF:
        raise Forbidden("仅工作人员可以登记自助终端")
    permissions.check_service_point(session, actor, service_point_id)
    if not name.strip():
        raise ValidationError("请填写终端名称")
    token = "".join(secrets.choice(TOKEN_ALPHABET) for _ in range(TOKEN_LENGTH))
    device = KioskDevice(
        name=name.strip()[:80],
        service_point_id=service_point_id,
        token_hash=hash_token(token),
        is_active=True,
        created_by_id=actor.id,
    )
    session.add(device)
    session.commit()
    log.info(
        "kiosk device %s registered for point %s by user %s", device.id, service_point_id, actor.id
    )
    return device, token


def devices_for(session: Session, actor: User) -> list[KioskDevice]:
    covered = {p.id for p in points_for(session, actor)}
    rows = session.scalars(select(KioskDevice).order_by(KioskDevice.id.desc()))
    return [d for d in rows if d.service_point_id in covered]


def deactivate_device(session: Session, actor: User, device_id: int) -> KioskDevice:
    """Switch a terminal off: its cookie stops working on its next request."""
    device = session.get(KioskDevice, device_id)
    if device is None:
        raise NotFound("没有这个终端")
    permissions.check_service_point(session, actor, device.service_point_id)
    if actor.role != Role.STAFF:
        raise Forbidden("仅工作人员可以停用自助终端")
    device.is_active = False
    session.commit()
    log.info("kiosk device %s deactivated by user %s", device.id, actor.id)
    return device


def enroll(session: Session, token: str) -> KioskDevice:
    """The active device this token belongs to; ValidationError for anything else."""
    if not normalize_token(token):
        raise ValidationError("请输入终端口令")
    device = session.scalar(select(KioskDevice).where(KioskDevice.token_hash == hash_token(token)))
    if device is None:
        raise ValidationError("口令不正确，请向服务站工作人员核对")
    if not device.is_active:
        raise ValidationError("这台终端已停用，请联系服务站工作人员")
    device.last_seen_at = utcnow()
    session.commit()
    return device


def active_device(session: Session, device_id: int, token_hash: str) -> KioskDevice | None:
    """The device a cookie names, if it is still active and its token unchanged."""
    device = session.get(KioskDevice, device_id)
    if device is None or not device.is_active or device.token_hash != token_hash:
        return None
    now = utcnow()
    if device.last_seen_at is None or now - device.last_seen_at > SEEN_EVERY:
        device.last_seen_at = now
        session.commit()
    return device


# ---- work near a service point ---------------------------------------------------------------


@dataclass(frozen=True)
class NearbyWork:
    """One line of "附近的工作": a job posting or an open odd-job request."""

    kind: str  # "job" or "gig"
    id: int
    title: str
    who: str
    pay: str
    distance_km: float | None
    when: str = ""

    @property
    def distance_words(self) -> str:
        return distance_words(self.distance_km) or "距离未知"


def distance_words(km: float | None) -> str | None:
    """约 800 米, 约 3.2 公里; None when the distance is unknown."""
    if km is None:
        return None
    if km < 1:
        return f"约 {max(100, round(km * 1000, -2)):.0f} 米"
    return f"约 {km:.1f} 公里"


def point_of(point: ServicePoint) -> GeoPoint | None:
    if point.lat is not None and point.lng is not None:
        return GeoPoint(lat=point.lat, lng=point.lng)
    place = point.place
    if place is not None and place.lat is not None and place.lng is not None:
        return GeoPoint(lat=place.lat, lng=place.lng)
    return None


def gig_pay_words(gig: GigRequest) -> str:
    return f"{gig.pay_amount:g} {PAY_UNIT_LABELS.get(gig.pay_unit, gig.pay_unit)}"


def nearby_gigs(
    session: Session, point: GeoPoint | None, now: datetime | None = None
) -> list[NearbyWork]:
    """Open odd-job requests that have not started, within NEARBY_KM, nearest first."""
    now = now or utcnow()
    rows = list(
        session.scalars(
            select(GigRequest)
            .where(GigRequest.status == RequestStatus.OPEN, GigRequest.starts_at > now)
            .order_by(GigRequest.starts_at)
            .limit(500)
        )
    )
    found = []
    who = requester_labels(session, rows)
    for gig in rows:
        km = distance_km(point.lat, point.lng, gig.lat, gig.lng) if point else None
        if km is not None and km > NEARBY_KM:
            continue
        found.append(
            NearbyWork(
                kind="gig",
                id=gig.id,
                title=gig.title,
                who=who[gig.id] + ("（急招）" if gig.urgent else ""),
                pay=gig_pay_words(gig),
                distance_km=km,
                when=day_and_time(gig.starts_at, now, " %H:%M 开工"),
            )
        )
    return found


def nearby_jobs(holder: SearchHolder, session: Session, point: GeoPoint | None) -> list[NearbyWork]:
    """Published postings within NEARBY_KM of the point, nearest first (the search engine's)."""
    if point is None:
        return []
    page = search_jobs(
        holder,
        session,
        "",
        ranker=None,
        near=point,
        radius_km=NEARBY_KM,
        sort=Sort.DISTANCE,
        limit=NEARBY_LIMIT,
    )
    return [
        NearbyWork(
            kind="job",
            id=hit.job.id,
            title=hit.job.title,
            who=hit.job.employer.name if hit.job.employer else "",
            pay=pay_in_words(hit.job),
            distance_km=hit.distance_km,
        )
        for hit in page.hits
    ]


def nearby_work(
    holder: SearchHolder, session: Session, point: ServicePoint, now: datetime | None = None
) -> tuple[list[NearbyWork], bool]:
    """Jobs and odd jobs near the point, nearest first (unknown distances last); the flag says
    whether the search engine answered (odd jobs come from SQL and are shown either way)."""
    where = point_of(point)
    gigs = nearby_gigs(session, where, now)
    try:
        jobs = nearby_jobs(holder, session, where)
        searched = True
    except SearchUnavailable as error:
        log.warning("kiosk nearby jobs: search unavailable: %s", error)
        jobs, searched = [], False
    items = sorted(
        jobs + gigs,
        key=lambda w: (w.distance_km is None, w.distance_km or 0.0),
    )
    return items[: NEARBY_LIMIT * 2], searched


# ---- walk-in people --------------------------------------------------------------------------


def places_here(session: Session, point: ServicePoint) -> list[Place]:
    """The point's own place, then the villages under it: where a walk-in person may live."""
    rows = session.scalars(
        select(Place)
        .where(
            Place.code.startswith(point.place_code),
            Place.level.in_((PlaceLevel.TOWN, PlaceLevel.VILLAGE)),
        )
        .order_by(Place.code)
        .limit(200)
    )
    return list(rows)


# The hours a walk-in person picks with one touch: (label, from, until); None = any time.
SHIFTS: dict[str, tuple[str, time | None, time | None]] = {
    "all": ("全天都行", None, None),
    "morning": ("上午（6–12 点）", time(6), time(12)),
    "afternoon": ("下午（12–18 点）", time(12), time(18)),
    "day": ("白天（8–17 点）", time(8), time(17)),
}
