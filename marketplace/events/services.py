"""Business actions on campaigns, events and booths, with their permission checks.

Times are naive UTC (as stored); the calendar the plan counts in is Beijing time (UTC+8, no
daylight saving), converted here with LOCAL_OFFSET. Outcomes of an event are computed, not
recorded: applications to the jobs attached to its booths (confirmed or registered) made from
the event's start until OUTCOME_WINDOW_DAYS after its end; hires are those of them now hired.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from urllib.parse import urlparse

from sqlalchemy import Select, and_, func, select
from sqlalchemy.orm import Session, selectinload

from marketplace.accounts.models import Role, User
from marketplace.employers.models import Employer, Verification
from marketplace.errors import Forbidden, NotFound, ValidationError
from marketplace.events import targets
from marketplace.events.models import (
    Booth,
    BoothStatus,
    Campaign,
    CampaignKind,
    Event,
    EventFormat,
    EventKind,
    EventStatus,
    booth_jobs,
)
from marketplace.jobs.models import Job, JobStatus
from marketplace.localtime import LOCAL_OFFSET  # Asia/Shanghai
from marketplace.places.models import Place, PlaceLevel
from marketplace.places.weihai import CITY_CODE
from marketplace.seekers.models import Application, ApplicationStatus

OUTCOME_WINDOW_DAYS = 14


def to_local(moment: datetime) -> datetime:
    return moment + LOCAL_OFFSET


def to_utc(local: datetime) -> datetime:
    return local - LOCAL_OFFSET


def local_today(now: datetime) -> date:
    return to_local(now).date()


def local_day_start(day: date) -> datetime:
    """The UTC moment a local calendar day begins."""
    return to_utc(datetime.combine(day, time()))


# --- permissions --------------------------------------------------------------------------------


def require_staff(actor: User) -> None:
    if actor.role != Role.STAFF:
        raise Forbidden("只有就业服务工作人员可以进行此操作")


def can_manage_district(actor: User, district_code: str) -> bool:
    """City staff manage every district's events; county staff their own county's."""
    if actor.role != Role.STAFF:
        return False
    point = actor.service_point
    if point is None:
        return True
    return point.level == PlaceLevel.COUNTY and point.place_code == district_code


def require_event_manager(actor: User, event: Event) -> None:
    require_staff(actor)
    if not can_manage_district(actor, event.district_code):
        raise Forbidden("该活动由市级或所在区县工作人员管理")


def require_city_staff(actor: User) -> None:
    require_staff(actor)
    if actor.service_point is not None:
        raise Forbidden("专项活动由市级工作人员设置")


# --- campaigns ----------------------------------------------------------------------------------


@dataclass
class CampaignInput:
    name: str
    kind: str
    starts_on: date
    ends_on: date
    description: str = ""


def _check_campaign(data: CampaignInput) -> None:
    if not data.name.strip():
        raise ValidationError("请填写活动名称")
    if data.kind not in set(CampaignKind):
        raise ValidationError("请选择专项活动类别")
    if data.ends_on < data.starts_on:
        raise ValidationError("结束日期不能早于开始日期")


def save_campaign(
    session: Session, actor: User, data: CampaignInput, campaign: Campaign | None = None
) -> Campaign:
    """Create a campaign, or update `campaign`; its events must still fall in its period."""
    require_city_staff(actor)
    _check_campaign(data)
    if campaign is None:
        campaign = Campaign()
        session.add(campaign)
    else:
        outside = session.scalar(
            select(func.count())
            .select_from(Event)
            .where(
                Event.campaign_id == campaign.id,
                Event.status != EventStatus.CANCELLED,
                (Event.starts_at < local_day_start(data.starts_on))
                | (Event.starts_at >= local_day_start(data.ends_on + timedelta(days=1))),
            )
        )
        if outside:
            raise ValidationError(
                f"有 {outside} 场本专项的招聘活动不在新的起止日期内，请先调整活动"
            )
    campaign.name = data.name.strip()
    campaign.kind = data.kind
    campaign.starts_on = data.starts_on
    campaign.ends_on = data.ends_on
    campaign.description = data.description.strip()
    session.flush()
    return campaign


# --- events -------------------------------------------------------------------------------------


@dataclass
class EventInput:
    title: str
    format: str
    kind: str
    district_code: str
    starts_at: datetime  # naive UTC
    ends_at: datetime  # naive UTC
    campaign_id: int | None = None
    is_campus: bool = False
    school: str | None = None
    venue: str | None = None
    link: str | None = None
    notes: str = ""


def districts(session: Session) -> list[Place]:
    """Weihai's county-level places: the districts that hold events."""
    return list(
        session.scalars(
            select(Place)
            .where(Place.level == PlaceLevel.COUNTY, Place.parent_code == CITY_CODE)
            .order_by(Place.code)
        )
    )


def _is_web_link(link: str) -> bool:
    parsed = urlparse(link)
    return parsed.scheme in {"http", "https"} and bool(parsed.netloc)


def _check_event(session: Session, data: EventInput) -> Campaign | None:
    if not data.title.strip():
        raise ValidationError("请填写活动名称")
    if data.format not in set(EventFormat):
        raise ValidationError("请选择线上或线下")
    if data.kind not in set(EventKind):
        raise ValidationError("请选择专场或综合招聘会")
    district = session.get(Place, data.district_code)
    if district is None or district.level != PlaceLevel.COUNTY:
        raise ValidationError("请选择举办区市")
    if data.ends_at <= data.starts_at:
        raise ValidationError("结束时间必须晚于开始时间")
    if data.format == EventFormat.ONLINE:
        if not data.link or not _is_web_link(data.link):
            raise ValidationError("线上活动请填写以 http:// 或 https:// 开头的活动链接")
    elif not (data.venue or "").strip():
        raise ValidationError("线下活动请填写举办地点")
    if data.is_campus and not (data.school or "").strip():
        raise ValidationError("校园招聘请填写学校名称")
    if data.campaign_id is None:
        return None
    campaign = session.get(Campaign, data.campaign_id)
    if campaign is None:
        raise ValidationError("所选专项活动不存在")
    day = to_local(data.starts_at).date()
    if not campaign.starts_on <= day <= campaign.ends_on:
        raise ValidationError(
            f"活动日期不在「{campaign.name}」期间"
            f"（{campaign.starts_on:%Y-%m-%d} 至 {campaign.ends_on:%Y-%m-%d}）内"
        )
    return campaign


def save_event(
    session: Session, actor: User, data: EventInput, event: Event | None = None
) -> Event:
    """Create an event (planned), or update a planned one."""
    require_staff(actor)
    if not can_manage_district(actor, data.district_code):
        raise Forbidden("只能为本区县安排招聘活动")
    if event is not None:
        require_event_manager(actor, event)
        if event.status != EventStatus.PLANNED:
            raise ValidationError("已举办或已取消的活动不能再修改")
    campaign = _check_event(session, data)
    if event is None:
        event = Event(organiser_id=actor.id, status=EventStatus.PLANNED)
        session.add(event)
    event.title = data.title.strip()
    event.format = data.format
    event.kind = data.kind
    event.district_code = data.district_code
    event.starts_at = data.starts_at
    event.ends_at = data.ends_at
    event.campaign_id = campaign.id if campaign else None
    event.is_campus = data.is_campus
    event.school = (data.school or "").strip() or None if data.is_campus else None
    # keep only what the format uses, so a switched format leaves no stale venue or link
    online = data.format == EventFormat.ONLINE
    event.link = data.link if online else None
    event.venue = None if online else (data.venue or "").strip()
    event.notes = data.notes.strip()
    session.flush()
    return event


def cancel_event(session: Session, actor: User, event: Event, reason: str) -> None:
    require_event_manager(actor, event)
    if event.status != EventStatus.PLANNED:
        raise ValidationError("只有计划中的活动可以取消")
    if not reason.strip():
        raise ValidationError("请填写取消原因")
    event.status = EventStatus.CANCELLED
    event.cancel_reason = reason.strip()
    session.flush()


def mark_held(
    session: Session,
    actor: User,
    event: Event,
    visitors: int,
    seekers_registered: int,
    now: datetime,
) -> None:
    """Record that the event took place, with its attendance (again later to correct it)."""
    require_event_manager(actor, event)
    if event.status == EventStatus.CANCELLED:
        raise ValidationError("已取消的活动不能登记为已举办")
    if event.starts_at > now:
        raise ValidationError("活动尚未开始，不能登记为已举办")
    if visitors < 0 or seekers_registered < 0:
        raise ValidationError("人数不能为负数")
    if seekers_registered > visitors:
        raise ValidationError("现场登记求职人数不能多于到场人数")
    event.status = EventStatus.HELD
    event.visitors = visitors
    event.seekers_registered = seekers_registered
    event.held_recorded_at = now
    session.flush()


def get_event(session: Session, event_id: int) -> Event:
    event = session.get(Event, event_id)
    if event is None:
        raise NotFound("没有找到该招聘活动")
    return event


def events_query(
    campaign_id: int | None = None,
    district_code: str | None = None,
    month: date | None = None,
) -> Select[Event]:
    """Staff's event list, filtered by campaign, district and local calendar month."""
    query = select(Event).order_by(Event.starts_at.desc(), Event.id.desc())
    if campaign_id is not None:
        query = query.where(Event.campaign_id == campaign_id)
    if district_code:
        query = query.where(Event.district_code == district_code)
    if month is not None:
        first = month.replace(day=1)
        after = (first + timedelta(days=32)).replace(day=1)
        query = query.where(
            Event.starts_at >= local_day_start(first), Event.starts_at < local_day_start(after)
        )
    return query


def upcoming_events(
    session: Session,
    now: datetime,
    district_code: str | None = None,
    campus: bool | None = None,
    limit: int = 100,
) -> list[Event]:
    """Planned events that have not ended yet, soonest first (what seekers and employers see)."""
    query = (
        select(Event)
        .where(Event.status == EventStatus.PLANNED, Event.ends_at > now)
        .options(selectinload(Event.district), selectinload(Event.campaign))
        .order_by(Event.starts_at, Event.id)
        .limit(limit)
    )
    if district_code:
        query = query.where(Event.district_code == district_code)
    if campus is not None:
        query = query.where(Event.is_campus == campus)
    return list(session.scalars(query))


# --- booths -------------------------------------------------------------------------------------


def register_booth(session: Session, employer: Employer, event: Event, now: datetime) -> Booth:
    """An employer asks for a booth; asking again after cancelling re-opens the same booth."""
    if employer.verification != Verification.VERIFIED:
        raise Forbidden("单位通过核验后才能报名参加招聘活动")
    if event.status != EventStatus.PLANNED or event.ends_at <= now:
        raise ValidationError("该活动已结束或已取消，不能再报名")
    booth = session.scalar(
        select(Booth).where(Booth.event_id == event.id, Booth.employer_id == employer.id)
    )
    if booth is not None:
        if booth.status != BoothStatus.CANCELLED:
            raise ValidationError("本单位已报名该活动")
        booth.status = BoothStatus.REGISTERED
    else:
        booth = Booth(event_id=event.id, employer_id=employer.id, status=BoothStatus.REGISTERED)
        session.add(booth)
    session.flush()
    return booth


def employer_booth(session: Session, employer: Employer, booth_id: int) -> Booth:
    """One of the employer's own booths; another employer's is 'not found', not 'forbidden'."""
    booth = session.get(Booth, booth_id)
    if booth is None or booth.employer_id != employer.id:
        raise NotFound("没有找到该展位")
    return booth


def attachable_jobs(session: Session, employer: Employer) -> list[Job]:
    return list(
        session.scalars(
            select(Job)
            .where(Job.employer_id == employer.id, Job.status == JobStatus.PUBLISHED)
            .order_by(Job.id)
        )
    )


def attach_jobs(
    session: Session, employer: Employer, booth: Booth, job_ids: Sequence[int], now: datetime
) -> None:
    """Set the jobs shown at a booth: only the employer's own published jobs."""
    if booth.employer_id != employer.id:
        raise NotFound("没有找到该展位")
    if booth.status == BoothStatus.CANCELLED:
        raise ValidationError("展位已取消，不能添加职位")
    if booth.event.status != EventStatus.PLANNED or booth.event.ends_at <= now:
        raise ValidationError("活动已结束或已取消，不能再修改展位职位")
    wanted = set(job_ids)
    jobs = list(session.scalars(select(Job).where(Job.id.in_(wanted)))) if wanted else []
    if len(jobs) != len(wanted) or any(
        job.employer_id != employer.id or job.status != JobStatus.PUBLISHED for job in jobs
    ):
        raise ValidationError("只能添加本单位已发布的职位")
    booth.jobs = sorted(jobs, key=lambda job: job.id)
    session.flush()


def cancel_own_booth(session: Session, employer: Employer, booth: Booth) -> None:
    if booth.employer_id != employer.id:
        raise NotFound("没有找到该展位")
    if booth.event.status != EventStatus.PLANNED:
        raise ValidationError("活动已结束或已取消，展位不能再变更")
    booth.status = BoothStatus.CANCELLED
    session.flush()


def set_booth_status(session: Session, actor: User, booth: Booth, status: BoothStatus) -> None:
    """Staff confirm or cancel a booth at an event they manage."""
    require_event_manager(actor, booth.event)
    if booth.event.status == EventStatus.CANCELLED:
        raise ValidationError("活动已取消，展位不能再变更")
    if status == BoothStatus.CONFIRMED and booth.status == BoothStatus.CANCELLED:
        raise ValidationError("已取消的展位需由单位重新报名")
    booth.status = status
    session.flush()


def public_booths(session: Session, event: Event) -> list[tuple[Booth, list[Job]]]:
    """Confirmed booths with their jobs that are still published (what seekers see)."""
    booths = session.scalars(
        select(Booth)
        .where(Booth.event_id == event.id, Booth.status == BoothStatus.CONFIRMED)
        .options(selectinload(Booth.jobs), selectinload(Booth.employer))
        .order_by(Booth.id)
    )
    return [
        (booth, [job for job in booth.jobs if job.status == JobStatus.PUBLISHED])
        for booth in booths
    ]


# --- outcomes -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcomes:
    booths: int  # confirmed
    jobs: int  # attached to confirmed or registered booths
    applications: int
    hires: int
    window_ends: datetime


def event_outcomes(session: Session, event: Event) -> Outcomes:
    """Applications and hires attributed to the event (see the module docstring)."""
    window_ends = event.ends_at + timedelta(days=OUTCOME_WINDOW_DAYS)
    live = (Booth.event_id == event.id) & (Booth.status != BoothStatus.CANCELLED)
    job_ids = list(session.scalars(select(booth_jobs.c.job_id).join(Booth).where(live).distinct()))
    counts = session.execute(
        select(
            func.count(Application.id),
            func.count(Application.id).filter(Application.status == ApplicationStatus.HIRED),
        ).where(
            and_(
                Application.job_id.in_(job_ids),
                Application.created_at >= event.starts_at,
                Application.created_at <= window_ends,
            )
        )
    ).one()
    confirmed = session.scalar(
        select(func.count())
        .select_from(Booth)
        .where(Booth.event_id == event.id, Booth.status == BoothStatus.CONFIRMED)
    )
    return Outcomes(
        booths=confirmed or 0,
        jobs=len(job_ids),
        applications=counts[0] or 0,
        hires=counts[1] or 0,
        window_ends=window_ends,
    )


# --- targets ------------------------------------------------------------------------------------


def target_report(session: Session, on: date) -> targets.TargetReport:
    """Load the year's events (and the days of the first week before 1 January) and check them."""
    first = targets.week_of(date(on.year, 1, 1)).monday
    after = date(on.year + 1, 1, 1)
    rows = session.execute(
        select(Event.starts_at, Event.district_code, Event.kind, Event.is_campus, Event.status)
        .where(
            Event.starts_at >= local_day_start(first),
            Event.starts_at < local_day_start(after),
        )
        .order_by(Event.starts_at)
    ).all()
    facts = [
        targets.EventFact(to_local(starts).date(), district, kind, campus, status)
        for starts, district, kind, campus, status in rows
    ]
    return targets.check_targets(
        facts, [(place.code, place.name) for place in districts(session)], on
    )
