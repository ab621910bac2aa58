"""Demo recruitment events for Weihai: this year's campaigns, events in every district, booths.

Invented but plausible: one specialised event a week and one comprehensive event a month per
district since 1 January, with a few deliberate gaps so that the targets page has something to
show; past events are held with attendance, upcoming ones have confirmed booths and jobs.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from marketplace.accounts.models import Role, User
from marketplace.employers.models import Employer, Verification
from marketplace.events import services
from marketplace.events.models import (
    Booth,
    BoothStatus,
    Campaign,
    CampaignKind,
    Event,
    EventFormat,
    EventKind,
    EventStatus,
)
from marketplace.events.targets import week_of
from marketplace.jobs.models import Job, JobStatus

TOPICS = (
    "水产加工",
    "船舶制造",
    "医疗器械",
    "纺织服装",
    "轮胎橡胶",
    "文旅服务",
    "退役军人",
    "就业困难人员",
    "农民工返岗",
    "高校毕业生",
)
SCHOOLS = (
    "山东大学（威海）",
    "哈尔滨工业大学（威海）",
    "山东交通学院威海校区",
    "威海职业学院",
    "山东药品食品职业学院",
)
# (district code, ISO week number) pairs left without a specialised event, and districts with
# no comprehensive event this month: the targets page then has gaps to list
GAP_WEEKS = {("371083", 3), ("371073", 7), ("371071", 2)}
UNCOVERED_THIS_MONTH = {"371073"}
LINK = "https://jiuye.example.cn/live/"


def _campaigns(year: int) -> list[Campaign]:
    rows = [
        ("春风行动", CampaignKind.SPRING_BREEZE, date(year, 1, 15), date(year, 3, 31)),
        (
            "民营企业招聘月",
            CampaignKind.PRIVATE_ENTERPRISE_MONTH,
            date(year, 4, 1),
            date(year, 4, 30),
        ),
        (
            "百日千万网络招聘专项行动",
            CampaignKind.HUNDRED_DAYS_ONLINE,
            date(year, 5, 20),
            date(year, 8, 31),
        ),
        ("金秋招聘月", CampaignKind.GOLDEN_AUTUMN, date(year, 9, 1), date(year, 9, 30)),
        ("高校毕业生校园招聘季", CampaignKind.CAMPUS_SEASON, date(year, 10, 8), date(year, 12, 20)),
    ]
    return [
        Campaign(
            name=f"{year} 年{name}",
            kind=kind,
            starts_on=start,
            ends_on=end,
            description=f"威海市{name}（演示数据）",
        )
        for name, kind, start, end in rows
    ]


def _at(day: date, hour: int) -> datetime:
    return services.to_utc(datetime.combine(day, time(hour)))


def seed_events(session: Session, now: datetime) -> int:
    """Create the demo events in `session` (places, staff and jobs must be there); the count."""
    today = services.local_today(now)
    districts = services.districts(session)
    if not districts:
        return 0
    organiser = session.scalar(select(User).where(User.role == Role.STAFF).order_by(User.id))
    campaigns = _campaigns(today.year)
    session.add_all(campaigns)
    session.flush()

    def campaign_of(day: date, online: bool, campus: bool) -> int | None:
        for campaign in campaigns:
            if not campaign.starts_on <= day <= campaign.ends_on:
                continue
            if campaign.kind == CampaignKind.HUNDRED_DAYS_ONLINE and not online:
                continue
            if campaign.kind == CampaignKind.CAMPUS_SEASON and not campus:
                continue
            return campaign.id
        return None

    events: list[Event] = []

    def add(day: date, district: str, kind: str, title: str, **fields: object) -> None:
        online = fields.get("format") == EventFormat.ONLINE
        campus = bool(fields.get("is_campus"))
        event = Event(
            title=title,
            district_code=district,
            kind=kind,
            format=EventFormat.OFFLINE,
            starts_at=_at(day, 9),
            ends_at=_at(day, 12),
            organiser_id=organiser.id if organiser else None,
            campaign_id=campaign_of(day, online, campus),
            status=EventStatus.PLANNED,
            notes="",
        )
        for name, value in fields.items():
            setattr(event, name, value)
        events.append(event)

    horizon = today + timedelta(days=28)
    monday = week_of(date(today.year, 1, 1)).monday
    number = 0
    while monday <= horizon:
        for index, place in enumerate(districts):
            if (place.code, monday.isocalendar()[1]) in GAP_WEEKS:
                continue
            day = monday + timedelta(days=(index + number) % 5)  # a weekday
            topic = TOPICS[(index + number) % len(TOPICS)]
            add(
                day,
                place.code,
                EventKind.SPECIALISED,
                f"{place.name}{topic}专场招聘会",
                venue=f"{place.name}人力资源市场",
            )
        # a city-wide online event every week, counted for 环翠区 where the centre sits
        online_day = monday + timedelta(days=2)
        add(
            online_day,
            districts[0].code,
            EventKind.SPECIALISED,
            f"威海市{TOPICS[number % len(TOPICS)]}网络招聘会",
            format=EventFormat.ONLINE,
            link=f"{LINK}{number + 1}",
        )
        # campus events on Thursdays in the spring and autumn terms
        if monday.month in (3, 4, 5, 9, 10, 11, 12):
            school = SCHOOLS[number % len(SCHOOLS)]
            add(
                monday + timedelta(days=3),
                districts[number % len(districts)].code,
                EventKind.COMPREHENSIVE if number % 4 == 0 else EventKind.SPECIALISED,
                f"{school}毕业生双选会",
                is_campus=True,
                school=school,
                venue=f"{school}体育馆",
            )
        monday += timedelta(days=7)
        number += 1

    for month in range(1, horizon.month + 1 if horizon.year == today.year else 13):
        day = date(today.year, month, 15)
        while day.weekday() >= 5:  # a Saturday or Sunday moves to Monday
            day += timedelta(days=1)
        for place in districts:
            if month == today.month and place.code in UNCOVERED_THIS_MONTH:
                continue
            add(
                day,
                place.code,
                EventKind.COMPREHENSIVE,
                f"{place.name}{month}月综合招聘会",
                venue=f"{place.name}公共就业服务中心招聘大厅",
            )

    for number, event in enumerate(events):
        if event.ends_at <= now:
            if number % 23 == 0:
                event.status = EventStatus.CANCELLED
                event.cancel_reason = "天气原因取消（演示）"
                continue
            event.status = EventStatus.HELD
            event.visitors = 120 + (number * 37) % 400
            event.seekers_registered = event.visitors // 4
            event.held_recorded_at = event.ends_at + timedelta(hours=2)
    session.add_all(events)
    session.flush()
    _booths(session, [e for e in events if e.status == EventStatus.PLANNED and e.ends_at > now])
    return len(events)


def _booths(session: Session, upcoming: list[Event]) -> None:
    """Verified employers with published jobs take booths at the next events of their district."""
    jobs_by_employer: dict[int, list[Job]] = {}
    for job in session.scalars(
        select(Job)
        .join(Employer)
        .where(Job.status == JobStatus.PUBLISHED, Employer.verification == Verification.VERIFIED)
        .order_by(Job.id)
    ):
        jobs_by_employer.setdefault(job.employer_id, []).append(job)
    employers = [
        employer
        for employer in session.scalars(
            select(Employer).where(Employer.id.in_(jobs_by_employer)).order_by(Employer.id)
        )
    ]
    if not employers:
        return
    for number, event in enumerate(sorted(upcoming, key=lambda e: e.starts_at)[:20]):
        local = [e for e in employers if e.county_code == event.district_code] or employers
        taken: set[int] = set()
        for offset in range(min(4, len(local))):
            employer = local[(number + offset) % len(local)]
            if employer.id in taken:
                continue
            taken.add(employer.id)
            session.add(
                Booth(
                    event_id=event.id,
                    employer_id=employer.id,
                    # the last one waits for staff, so the booth queue is not empty
                    status=BoothStatus.REGISTERED if offset == 3 else BoothStatus.CONFIRMED,
                    jobs=jobs_by_employer[employer.id][:3],
                )
            )
        session.flush()
