"""Test data for odd jobs: a town with villages at known distances, workers and requests.

Invented records (names, codes under a real Weihai town), never copies of ../shared.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any, TypeVar

import redis
from sqlalchemy import select
from sqlalchemy.orm import Session

from marketplace.accounts.models import Role, User
from marketplace.gigs import services
from marketplace.gigs.dispatch import DispatchPolicy
from marketplace.gigs.models import GigOffer, GigRequest, GigWorker, PayUnit
from marketplace.places.models import Datum, Place, PlaceLevel, Precision
from marketplace.places.weihai import offset_point
from marketplace.seekers.models import SeekerProfile

_counter = itertools.count(1)
Row = TypeVar("Row")

# 2026-05-04 00:00 UTC is Monday 08:00 in Weihai.
NOW = datetime(2026, 5, 4, 0, 0)
COUNTY = "371082"  # 荣成市
TOWN = "371082101"  # 俚岛镇
TOWN_POINT = (122.590, 37.250)  # (lng, lat)
# Invented villages of 俚岛镇 due west of the town seat (inland), by distance in km.
VILLAGES = {0.0: "371082101201", 3.0: "371082101202", 6.5: "371082101203", 10.0: "371082101204"}


def places(session: Session) -> None:
    """The county, the town and its villages (idempotent)."""
    if session.get(Place, TOWN) is not None:
        return
    lng, lat = TOWN_POINT
    session.add(
        Place(code=COUNTY, name="荣成市", level=PlaceLevel.COUNTY, precision=Precision.EXACT)
    )
    session.add(
        Place(
            code=TOWN,
            name="俚岛镇",
            level=PlaceLevel.TOWN,
            parent_code=COUNTY,
            lng=lng,
            lat=lat,
            datum=Datum.WGS84,
            precision=Precision.EXACT,
        )
    )
    for number, (km, code) in enumerate(VILLAGES.items(), 1):
        v_lng, v_lat = point_west(km)
        session.add(
            Place(
                code=code,
                name=f"测试{number}村",
                level=PlaceLevel.VILLAGE,
                parent_code=TOWN,
                kind="village",
                lng=v_lng,
                lat=v_lat,
                datum=Datum.WGS84,
                precision=Precision.EXACT,
            )
        )
    session.commit()


def point_west(km: float) -> tuple[float, float]:
    """(lng, lat) `km` due west of the town seat."""
    return offset_point(*TOWN_POINT, bearing=270, km=km)


def user(session: Session, role: Role = Role.EMPLOYER, **fields: Any) -> User:
    number = next(_counter)
    values: dict[str, Any] = {
        "username": f"gig-user-{number}",
        "password_hash": "not-a-hash",
        "role": role,
        "display_name": f"测试用户{number}",
    }
    values.update(fields)
    record = User(**values)
    session.add(record)
    session.commit()
    return record


def worker(
    session: Session,
    client: redis.Redis,
    *,
    km: float = 0.0,
    skills: Iterable[str] = ("搬运", "装卸"),
    now: datetime = NOW,
    **fields: Any,
) -> GigWorker:
    """A registered worker `km` west of the town seat."""
    places(session)
    number = next(_counter)
    seeker = SeekerProfile(name=f"零工{number}", phone=f"170{number:08d}", target_groups=[])
    session.add(seeker)
    session.commit()
    lng, lat = point_west(km)
    return services.register_worker(
        session, client, seeker.id, skills=skills, lng=lng, lat=lat, now=now, **fields
    )


def request(
    session: Session,
    client: redis.Redis,
    *,
    headcount: int = 1,
    starts_in: timedelta = timedelta(hours=2),
    hours: float = 4,
    km: float = 0.0,
    skills: Iterable[str] = ("搬运",),
    urgent: bool = False,
    now: datetime = NOW,
    requester: User | None = None,
    policy: DispatchPolicy | None = None,
    pay_amount: float = 200,
    pay_unit: str = PayUnit.DAY,
    **fields: Any,
) -> GigRequest:
    """A request `km` west of the town seat, starting `starts_in` after `now`."""
    places(session)
    requester = requester or user(session)
    lng, lat = point_west(km)
    starts_at = now + starts_in
    return services.post_request(
        session,
        client,
        title="码头卸货",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=hours),
        pay_amount=pay_amount,
        pay_unit=pay_unit,
        headcount=headcount,
        skills=skills,
        lng=lng,
        lat=lat,
        urgent=urgent,
        requester_user_id=requester.id,
        now=now,
        policy=policy,
        **fields,
    )


def offers_of(session: Session, request_id: int) -> dict[int, GigOffer]:
    """worker id → offer, freshly read."""
    session.expire_all()
    rows = session.scalars(select(GigOffer).where(GigOffer.request_id == request_id))
    return {offer.worker_id: offer for offer in rows}


def fresh(session: Session, model: type[Row], ident: int) -> Row:
    """A row read again from the database (the test's session may hold an old copy)."""
    session.expire_all()
    row = session.get(model, ident)
    assert row is not None
    return row
