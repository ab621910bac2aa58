"""Odd-job business actions, one import for callers: workers and requests are here; answers to
offers (`offers.py`), ending requests (`closing.py`), dispatch, the sweep and the rebuild are
re-exported. Each action commits its own transaction (its Redis step follows the commit).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

import redis
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from marketplace.accounts.models import Role, User
from marketplace.database import utcnow
from marketplace.employers.models import Verification
from marketplace.errors import Forbidden, NotFound, ValidationError
from marketplace.gigs import permissions, queue, records
from marketplace.gigs.closing import cancel_request, complete, rate
from marketplace.gigs.dispatch import DispatchPolicy, DispatchReport, dispatch, wave_after_commit
from marketplace.gigs.models import (
    ALL_DAYS,
    SKILLS,
    GigRequest,
    GigWorker,
    PayUnit,
    RequestStatus,
)
from marketplace.gigs.offers import HireConflict, accept_offer, decline_offer, withdraw
from marketplace.gigs.records import declined_for_a_clash
from marketplace.gigs.recovery import RebuildReport, ensure_queue, rebuild_queue
from marketplace.gigs.sweep import SweepReport, expire_offers
from marketplace.jobs.checks import MINIMUM_WAGE_HOURLY, UNIT_NAMES
from marketplace.localtime import local_date
from marketplace.places.models import Datum, Place, PlaceLevel, ServicePoint
from marketplace.seekers.models import SeekerProfile

__all__ = [
    "DispatchPolicy",
    "DispatchReport",
    "HireConflict",
    "NameDiffers",
    "RebuildReport",
    "SweepReport",
    "accept_offer",
    "cancel_request",
    "complete",
    "day_problem",
    "decline_offer",
    "declined_for_a_clash",
    "dispatch",
    "ensure_queue",
    "expire_offers",
    "masked_phone",
    "pause_worker",
    "pay_problem",
    "post_request",
    "rate",
    "rebuild_queue",
    "register_worker",
    "withdraw",
]

log = logging.getLogger(__name__)

MAX_HEADCOUNT = 200
# What a request may offer per unit. A request is published at once (no staff review), so pay
# outside these is refused: by the hour not below Shandong's minimum for part-time work; by the
# day not below 50 元 (three hours at that minimum is 54 元, so less is a typo, not a wage). No
# odd job here pays above 2,000 元 a day (where the posting checks send a day rate to review),
# 300 元 an hour or 2,000 元 a piece; more is an extra zero or two.
PAY_BOUNDS: dict[PayUnit, tuple[float, float]] = {
    PayUnit.DAY: (50, 2_000),
    PayUnit.HOUR: (MINIMUM_WAGE_HOURLY, 300),
    PayUnit.PIECE: (0.1, 2_000),  # 剥虾、摘果 are paid a few jiao a jin
}
# How far ahead a request may be posted: as long as a job posting lives (JOB_TTL_DAYS); odd jobs
# are found days ahead, and a year typed wrong (2099) lands far beyond this.
MAX_DAYS_AHEAD = 60
# a request is one stretch of work (the forms keep it within one day)
MAX_HOURS = 24


def masked_phone(phone: str | None) -> str | None:
    """A phone number as others see it: 138****5678."""
    if not phone or len(phone) < 7:
        return phone
    return f"{phone[:3]}{'*' * (len(phone) - 7)}{phone[-4:]}"


def _skills(tags: Iterable[str], *, required: bool) -> str:
    chosen = {tag.strip() for tag in tags if tag.strip()}
    unknown = chosen - set(SKILLS)
    if unknown:
        raise ValidationError(f"未知技能：{'、'.join(sorted(unknown))}")
    if required and not chosen:
        raise ValidationError("请至少选择一项技能")
    return ",".join(tag for tag in SKILLS if tag in chosen)


def _point(
    session: Session,
    place_code: str | None,
    lat: float | None,
    lng: float | None,
    datum: str | None,
) -> tuple[float, float, str | None]:
    """(lat, lng, datum) given directly, else the place's point."""
    place = session.get(Place, place_code) if place_code else None
    if place_code and place is None:
        raise ValidationError("没有这个村居或镇街")
    if lat is not None and lng is not None:
        if not (-90 <= lat <= 90 and -180 <= lng <= 180):
            raise ValidationError("位置坐标无效")
        return lat, lng, datum or Datum.WGS84
    if place is not None and place.lat is not None and place.lng is not None:
        return place.lat, place.lng, place.datum
    raise ValidationError("请选择所在村居或填写位置")


def _pay(amount: float | None, unit: str | None, *, required: bool) -> None:
    if amount is None and unit is None and not required:
        return
    if unit not in set(PayUnit):
        raise ValidationError("报酬单位须为按天、按小时或按件")
    if amount is None or amount <= 0:
        raise ValidationError("报酬须大于零")
    problem = pay_problem(amount, unit)
    if problem is not None:
        raise ValidationError(problem)


def pay_problem(amount: float, unit: str) -> str | None:
    """Why a request's pay or a worker's expected rate is refused, in Chinese (None: within
    PAY_BOUNDS). `unit` is a PayUnit: the callers refuse any other first (`_pay`, the forms'
    unit fields)."""
    low, high = PAY_BOUNDS[PayUnit(unit)]
    name = UNIT_NAMES[unit]
    if unit == PayUnit.HOUR and amount < low:
        return f"按小时计的工钱不得低于山东省最低工资标准（非全日制每小时 {low:g} 元）"
    if not low <= amount <= high:
        return f"按{name}计的工钱须在 {low:g}–{high:,.0f} 元之间，请核实金额和单位"
    return None


def day_problem(day: date, today: date) -> str | None:
    """Why a request's (Weihai local) day is refused, in Chinese (None: today to MAX_DAYS_AHEAD)."""
    if day < today:
        return "日期不能早于今天"
    if day > today + timedelta(days=MAX_DAYS_AHEAD):
        return f"日期最多提前 {MAX_DAYS_AHEAD} 天，请核实日期（年份）"
    return None


def _with(on_behalf_note: str | None, note: str | None) -> str | None:
    """An event note with who acted for a walk-in person (代办), if anyone."""
    parts = [part for part in (note, on_behalf_note) if part]
    return "；".join(parts) or None


HAS_ACCOUNT = "这个手机号已注册了账号：请本人登录后在「零工」页登记（可请服务站工作人员帮忙操作）"
REGISTERED_ELSEWHERE = (
    "这个手机号已在其他服务站登记为另一个人：请核对手机号和姓名，或请工作人员协助"
)
REGISTERED_HERE = (
    "这个手机号已在本服务站登记为另一个人：请核对手机号；如需更正姓名，请到服务台找工作人员办理"
)


class NameDiffers(ValidationError):
    """A phone registered at this point under another name (REGISTERED_HERE); `former` is for
    staff, who may confirm a correction, never for a terminal."""

    def __init__(self, former: str) -> None:
        super().__init__(REGISTERED_HERE)
        self.former = former


def walk_in_profile(
    session: Session,
    point_id: int | None,
    name: str,
    phone: str,
    place_code: str,
    *,
    correct_name: bool = False,
    actor: User | None = None,
    now: datetime | None = None,
) -> SeekerProfile:
    """The profile of a person without an account, found again by phone (registered here
    first, else at another point under the same name: one person, one worker, whichever desk
    or kiosk they walk into), else made; flushed only, so a refused registration rolls it back.

    A phone that belongs to an account is refused: a shared terminal cannot tell its holder
    from anyone who types the number, and a second profile would let dispatch book one
    person twice at the same hours. Another name for a phone registered here is refused too,
    unless `correct_name`: staff at the desk, who see the person, may correct it (recorded in
    the worker's history as done by `actor`); a terminal may not rename anyone.
    """
    place = session.get(Place, place_code)
    if place is None:
        raise ValidationError("请选择家住的村居")
    seeker_account = select(User.id).where(
        User.phone == phone, User.role == Role.SEEKER, User.is_active.is_(True)
    )
    profile_of_one = select(SeekerProfile.id).where(
        SeekerProfile.user_id.is_not(None), SeekerProfile.phone == phone
    )
    if session.scalar(seeker_account.union(profile_of_one).limit(1)) is not None:
        raise ValidationError(HAS_ACCOUNT)
    profile = session.scalar(
        select(SeekerProfile)
        .where(SeekerProfile.user_id.is_(None), SeekerProfile.phone == phone)
        # registered here first; else the earliest registration elsewhere
        .order_by((SeekerProfile.registered_at_point_id == point_id).desc(), SeekerProfile.id)
        .limit(1)
    )
    former = None if profile is None else (profile.name or "").strip()
    if profile is not None and former != name.strip():
        # typing someone's number must not rename them (or merge a family's phone)
        if profile.registered_at_point_id != point_id:
            raise ValidationError(REGISTERED_ELSEWHERE)
        if not correct_name:
            raise NameDiffers(former or "")
        _name_corrected(session, profile, former or "", name.strip(), actor, now or utcnow())
    if profile is None:
        profile = SeekerProfile(
            user_id=None, phone=phone, target_groups=[], registered_at_point_id=point_id
        )
        session.add(profile)
    profile.name = name
    village = place.level == PlaceLevel.VILLAGE
    profile.home_village_code = place.code if village else None
    profile.home_town_code = place.parent_code if village else place.code
    session.flush()
    return profile


def _name_corrected(
    session: Session,
    profile: SeekerProfile,
    former: str,
    name: str,
    actor: User | None,
    now: datetime,
) -> None:
    """Record in the worker's history that staff corrected a walk-in's name."""
    worker = session.scalar(select(GigWorker).where(GigWorker.seeker_id == profile.id))
    if worker is None:  # no odd-job history to keep it in
        return
    status = "paused" if worker.paused else "available"
    records.event(
        session,
        "worker",
        status,
        now,
        from_status=status,
        worker_id=worker.id,
        note=f"更正姓名：{former} → {name}",
        user_id=actor.id if actor else None,
    )


def open_request(session: Session, request_id: int, now: datetime | None = None) -> GigRequest:
    """A request anyone may look at: open or filled and not yet over; else NotFound."""
    gig = session.get(GigRequest, request_id)
    if gig is None or not gig.not_over(now or utcnow()):
        raise NotFound("这个零工需求已结束或不存在")
    return gig


def requester_labels(session: Session, gigs: Iterable[GigRequest]) -> dict[int, str]:
    """Who is hiring, by request id, as anyone may read it: an employer's name once staff have
    verified it (a name typed at sign-up could be anyone's: 单位（未认证）until then); a private
    person (or a villager staff posted for) is 个人发布 — never their name or phone."""
    rows = list(gigs)
    user_ids = {g.requester_user_id for g in rows if g.requester_user_id}
    users = {
        u.id: u
        for u in session.scalars(
            select(User).where(User.id.in_(user_ids)).options(selectinload(User.employer))
        )
    }
    point_ids = {g.service_point_id for g in rows if g.service_point_id}
    points = {
        point_id: name
        for point_id, name in session.execute(
            select(ServicePoint.id, ServicePoint.name).where(ServicePoint.id.in_(point_ids))
        )
    }
    labels = {}
    for gig in rows:
        user = users.get(gig.requester_user_id) if gig.requester_user_id else None
        point = points.get(gig.service_point_id) if gig.service_point_id else None
        if user is not None and user.role == Role.EMPLOYER and user.employer is not None:
            verified = user.employer.verification == Verification.VERIFIED
            labels[gig.id] = user.employer.name if verified else "单位（未认证）"
        elif user is None and point is not None:
            labels[gig.id] = f"个人发布（{point}代发）"
        else:
            labels[gig.id] = "个人发布"
    return labels


def requester_label(session: Session, gig: GigRequest) -> str:
    """`requester_labels` of one request."""
    return requester_labels(session, [gig])[gig.id]


def requester_contact(session: Session, gig: GigRequest) -> tuple[str | None, str | None]:
    """(name, phone) the accepted worker calls: what the request records (staff posting for a
    villager), else the requester's account. For the accepted worker only, while not over."""
    user = session.get(User, gig.requester_user_id) if gig.requester_user_id else None
    name = gig.contact_name or (user.display_name if user else None)
    return name, gig.contact_phone or (user.phone if user else None)


def register_worker(
    session: Session,
    client: redis.Redis,
    seeker_id: int,
    *,
    skills: Iterable[str],
    place_code: str | None = None,
    lat: float | None = None,
    lng: float | None = None,
    datum: str | None = None,
    days: str = ALL_DAYS,
    available_from: time | None = None,
    available_until: time | None = None,
    rate_amount: float | None = None,
    rate_unit: str | None = None,
    keep_rate: bool = False,
    phone_verified: bool = False,
    registered_by_point_id: int | None = None,
    actor: User | None = None,
    on_behalf_note: str | None = None,
    now: datetime | None = None,
) -> GigWorker:
    """Register (or update) a person's odd-job availability; free, as the plan requires.
    `keep_rate`: the form does not ask the expected rate (the kiosk's): keep the one recorded."""
    now = now or utcnow()
    seeker = session.get(SeekerProfile, seeker_id)
    if seeker is None:
        raise NotFound("没有这个求职者")
    if registered_by_point_id is not None:
        permissions.check_service_point(session, actor, registered_by_point_id)
    elif actor is not None and seeker.user_id != actor.id:
        home = seeker.home_village_code or seeker.home_town_code or seeker.home_county_code
        if not permissions.staff_covers(session, actor, home):
            raise Forbidden("请由本人或服务站工作人员登记")
    tags = _skills(skills, required=True)
    if not days or not set(days) <= set(ALL_DAYS):
        raise ValidationError("请选择可工作的日子")
    if (available_from is None) != (available_until is None) or (
        available_from is not None
        and available_until is not None
        and available_from >= available_until
    ):
        raise ValidationError("可工作时段无效")
    _pay(rate_amount, rate_unit, required=False)
    point = _point(session, place_code, lat, lng, datum)
    worker = session.scalar(select(GigWorker).where(GigWorker.seeker_id == seeker_id))
    before = None if worker is None else ("paused" if worker.paused else "available")
    if worker is None:
        worker = GigWorker(seeker_id=seeker_id, paused=False, created_at=now)
        session.add(worker)
    worker.skills = tags
    worker.place_code = place_code
    worker.lat, worker.lng, worker.datum = point
    worker.days = "".join(sorted(set(days)))
    worker.available_from, worker.available_until = available_from, available_until
    if not keep_rate:
        worker.rate_amount, worker.rate_unit = rate_amount, rate_unit
    worker.phone_verified = phone_verified
    worker.registered_by_point_id = registered_by_point_id or worker.registered_by_point_id
    worker.updated_at = now
    session.flush()
    after = "paused" if worker.paused else "available"
    records.event(
        session,
        "worker",
        after,
        now,
        from_status=before,
        worker_id=worker.id,
        note=_with(on_behalf_note, "登记" if before is None else "更新登记"),
        user_id=actor.id if actor else None,
    )
    session.commit()
    if not worker.paused:
        records.after_commit(
            client,
            f"location of worker {worker.id}",
            lambda: queue.put_worker(client, worker.id, worker.lng, worker.lat),
        )
    return worker


def pause_worker(
    session: Session,
    client: redis.Redis,
    worker_id: int,
    *,
    paused: bool = True,
    actor: User | None = None,
    now: datetime | None = None,
) -> GigWorker:
    """Pause (or resume) a worker's availability: no new offers; places held stay held."""
    now = now or utcnow()
    worker = session.get(GigWorker, worker_id)
    if worker is None:
        raise NotFound("没有这个零工")
    permissions.check_worker(session, actor, worker)
    if worker.paused != paused:
        records.event(
            session,
            "worker",
            "paused" if paused else "available",
            now,
            from_status="paused" if worker.paused else "available",
            worker_id=worker.id,
            user_id=actor.id if actor else None,
        )
        worker.paused = paused
        worker.updated_at = now
    session.commit()

    def step() -> None:
        if paused:
            queue.remove_worker(client, worker_id)
        else:
            queue.put_worker(client, worker_id, worker.lng, worker.lat)

    records.after_commit(client, f"availability of worker {worker_id}", step)
    return worker


def post_request(
    session: Session,
    client: redis.Redis,
    *,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    pay_amount: float,
    pay_unit: str,
    headcount: int,
    skills: Iterable[str] = (),
    place_code: str | None = None,
    lat: float | None = None,
    lng: float | None = None,
    datum: str | None = None,
    address: str | None = None,
    description: str = "",
    urgent: bool = False,
    requester_user_id: int | None = None,
    service_point_id: int | None = None,
    contact_name: str | None = None,
    contact_phone: str | None = None,
    actor: User | None = None,
    on_behalf_note: str | None = None,
    now: datetime | None = None,
    policy: DispatchPolicy | None = None,
) -> GigRequest:
    """Publish an odd-job request (free); an urgent one (即时快招) is dispatched at once.

    The requester is the signed-in actor, or a service point whose staff post for a walk-in.
    """
    now = now or utcnow()
    if actor is not None:
        if requester_user_id not in (None, actor.id):
            raise ValidationError("只能以本人名义发布")
        requester_user_id = actor.id
    if service_point_id is not None:
        permissions.check_service_point(session, actor, service_point_id)
    if requester_user_id is None and service_point_id is None:
        raise ValidationError("请注明发布人或服务站")
    if not title.strip():
        raise ValidationError("请填写工作内容")
    if ends_at <= starts_at:
        raise ValidationError("结束时间须晚于开始时间")
    if ends_at - starts_at > timedelta(hours=MAX_HOURS):
        raise ValidationError(f"一次用工不超过 {MAX_HOURS} 小时，多天的活请分天发布")
    if starts_at <= now:
        raise ValidationError("开工时间须晚于现在")
    problem = day_problem(local_date(starts_at), local_date(now))
    if problem is not None:
        raise ValidationError(problem)
    if not 1 <= headcount <= MAX_HEADCOUNT:
        raise ValidationError(f"招工人数须在 1 到 {MAX_HEADCOUNT} 之间")
    _pay(pay_amount, pay_unit, required=True)
    tags = _skills(skills, required=False)
    point_lat, point_lng, point_datum = _point(session, place_code, lat, lng, datum)
    request = GigRequest(
        requester_user_id=requester_user_id,
        service_point_id=service_point_id,
        contact_name=contact_name,
        contact_phone=contact_phone,
        title=title.strip(),
        description=description,
        skills=tags,
        place_code=place_code,
        address=address,
        lat=point_lat,
        lng=point_lng,
        datum=point_datum,
        starts_at=starts_at,
        ends_at=ends_at,
        pay_amount=pay_amount,
        pay_unit=pay_unit,
        headcount=headcount,
        urgent=urgent,
        status=RequestStatus.OPEN,
        waves=0,
        created_at=now,
        updated_at=now,
    )
    session.add(request)
    session.flush()
    records.event(
        session,
        "request",
        RequestStatus.OPEN,
        now,
        request_id=request.id,
        note=_with(on_behalf_note, "即时快招" if urgent else None),
        user_id=actor.id if actor else None,
    )
    session.commit()
    records.after_commit(
        client,
        f"request {request.id}",
        lambda: queue.put_request(
            client,
            request.id,
            status=RequestStatus.OPEN,
            headcount=headcount,
            remaining=headcount,
            starts_ms=queue.epoch_ms(starts_at),
            ends_ms=queue.epoch_ms(ends_at),
        ),
    )
    if urgent:
        wave_after_commit(session, client, request.id, now=now, policy=policy, first=True)
        session.refresh(request)
    return request
