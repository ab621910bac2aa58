"""Events services: validation of campaigns and events, booth rules, outcomes, the target report."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from marketplace.accounts.models import Role, User
from marketplace.database import utcnow
from marketplace.employers.models import Employer, Verification
from marketplace.errors import Forbidden, NotFound, ValidationError
from marketplace.events import services
from marketplace.events.models import BoothStatus, EventStatus
from marketplace.jobs.models import JobStatus
from marketplace.places.models import ServicePoint
from marketplace.seekers.models import Application, ApplicationStatus, SeekerProfile
from tests.marketplace import factories
from tests.marketplace.accounts import factories as accounts
from tests.marketplace.events.helpers import (
    HUANCUI,
    RONGCHENG,
    campaign,
    event,
    local,
    published_job,
)

# --- campaigns ----------------------------------------------------------------------------------


def test_a_campaign_cannot_end_before_it_starts(session: Session, staff: User) -> None:
    with pytest.raises(ValidationError, match="结束日期不能早于开始日期"):
        campaign(session, staff, starts_on=date(2026, 3, 1), ends_on=date(2026, 2, 28))


def test_a_campaign_needs_a_known_kind(session: Session, staff: User) -> None:
    with pytest.raises(ValidationError, match="类别"):
        campaign(session, staff, kind="mystery")


def test_only_city_staff_set_campaigns(session: Session, staff: User) -> None:
    county = county_staff(session, RONGCHENG)
    with pytest.raises(Forbidden):
        campaign(session, county)


def test_a_campaign_cannot_shrink_away_from_its_events(session: Session, staff: User) -> None:
    spring = campaign(session, staff)
    event(session, staff, campaign_id=spring.id)
    data = services.CampaignInput(
        spring.name, spring.kind, spring.starts_on, services.local_today(utcnow())
    )
    with pytest.raises(ValidationError, match="不在新的起止日期内"):
        services.save_campaign(session, staff, data, spring)


# --- events -------------------------------------------------------------------------------------


def county_staff(session: Session, county: str) -> User:
    point = ServicePoint(name="荣成市公共就业服务中心", level="county", place_code=county)
    session.add(point)
    session.flush()
    return accounts.user(session, role=Role.STAFF, service_point_id=point.id)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"ends_at": utcnow() + timedelta(days=2)}, "结束时间必须晚于开始时间"),
        ({"format": "online", "venue": None, "link": None}, "线上活动请填写"),
        ({"format": "online", "link": "javascript:alert(1)"}, "线上活动请填写"),
        ({"venue": "  "}, "线下活动请填写举办地点"),
        ({"is_campus": True, "school": ""}, "校园招聘请填写学校名称"),
        ({"district_code": "371082001"}, "请选择举办区市"),  # a town, not a district
        ({"title": " "}, "请填写活动名称"),
        ({"campaign_id": 999}, "所选专项活动不存在"),
    ],
)
def test_bad_events_are_refused_in_chinese(
    session: Session, staff: User, fields: dict[str, object], message: str
) -> None:
    start = utcnow() + timedelta(days=3)
    with pytest.raises(ValidationError, match=message):
        event(session, staff, starts_at=start, **fields)


def test_an_event_in_a_campaign_must_fall_in_its_period(session: Session, staff: User) -> None:
    spring = campaign(session, staff)
    with pytest.raises(ValidationError, match="不在「春风行动」期间"):
        event(session, staff, starts_at=utcnow() + timedelta(days=40), campaign_id=spring.id)


def test_an_online_event_keeps_its_link_and_drops_a_venue(session: Session, staff: User) -> None:
    saved = event(
        session,
        staff,
        format="online",
        link="https://zp.example.cn/live/1",
        venue="不该保留",
        is_campus=True,
        school="哈尔滨工业大学（威海）",
    )
    assert (saved.link, saved.venue) == ("https://zp.example.cn/live/1", None)
    assert saved.school == "哈尔滨工业大学（威海）"
    assert saved.status == EventStatus.PLANNED
    assert saved.organiser_id == staff.id


def test_county_staff_manage_only_their_own_district(session: Session, staff: User) -> None:
    county = county_staff(session, RONGCHENG)
    mine = event(session, county)
    assert mine.district_code == RONGCHENG
    with pytest.raises(Forbidden):
        event(session, county, district_code=HUANCUI)
    other = event(session, staff, district_code=HUANCUI)
    with pytest.raises(Forbidden):
        services.cancel_event(session, county, other, "天气原因")


def test_other_roles_cannot_create_events(session: Session, employer_user: User) -> None:
    with pytest.raises(Forbidden):
        event(session, employer_user)


def test_cancel_needs_a_reason_and_a_planned_event(session: Session, staff: User) -> None:
    planned = event(session, staff)
    with pytest.raises(ValidationError, match="取消原因"):
        services.cancel_event(session, staff, planned, " ")
    services.cancel_event(session, staff, planned, "场地检修")
    assert planned.status == EventStatus.CANCELLED
    with pytest.raises(ValidationError, match="只有计划中的活动可以取消"):
        services.cancel_event(session, staff, planned, "再次取消")
    with pytest.raises(ValidationError, match="不能再修改"):
        services.save_event(
            session,
            staff,
            services.EventInput(
                "改名",
                "offline",
                "specialised",
                RONGCHENG,
                planned.starts_at,
                planned.ends_at,
                venue="某地",
            ),
            planned,
        )


def test_marking_held_records_attendance(session: Session, staff: User) -> None:
    now = utcnow()
    past = event(session, staff, starts_at=now - timedelta(hours=5))
    services.mark_held(session, staff, past, 320, 85, now)
    assert (past.status, past.visitors, past.seekers_registered) == ("held", 320, 85)
    services.mark_held(session, staff, past, 330, 90, now)  # a correction
    assert past.visitors == 330


@pytest.mark.parametrize(
    ("visitors", "registered", "message"),
    [(-1, 0, "不能为负数"), (10, 11, "不能多于到场人数")],
)
def test_marking_held_refuses_bad_numbers(
    session: Session, staff: User, visitors: int, registered: int, message: str
) -> None:
    now = utcnow()
    past = event(session, staff, starts_at=now - timedelta(hours=5))
    with pytest.raises(ValidationError, match=message):
        services.mark_held(session, staff, past, visitors, registered, now)


def test_future_and_cancelled_events_cannot_be_marked_held(session: Session, staff: User) -> None:
    future = event(session, staff)
    with pytest.raises(ValidationError, match="尚未开始"):
        services.mark_held(session, staff, future, 10, 5, utcnow())
    services.cancel_event(session, staff, future, "报名单位不足")
    with pytest.raises(ValidationError, match="已取消"):
        services.mark_held(session, staff, future, 10, 5, utcnow() + timedelta(days=5))


def test_upcoming_events_leave_out_cancelled_and_ended_ones(session: Session, staff: User) -> None:
    now = utcnow()
    soon = event(session, staff, title="近期")
    campus = event(
        session,
        staff,
        title="校园",
        is_campus=True,
        school="山东大学（威海）",
        district_code=HUANCUI,
        starts_at=now + timedelta(days=1),
    )
    event(session, staff, title="已结束", starts_at=now - timedelta(days=2))
    cancelled = event(session, staff, title="已取消")
    services.cancel_event(session, staff, cancelled, "取消")
    assert [e.title for e in services.upcoming_events(session, now)] == ["校园", "近期"]
    assert services.upcoming_events(session, now, district_code=RONGCHENG) == [soon]
    assert services.upcoming_events(session, now, campus=True) == [campus]


def test_the_staff_list_filters_by_local_month(session: Session, staff: User) -> None:
    # 23:30 UTC on 31 January is 07:30 on 1 February in Weihai
    late = event(session, staff, starts_at=datetime(2026, 1, 31, 23, 30))
    event(session, staff, starts_at=datetime(2026, 1, 31, 15, 0))
    found = list(session.scalars(services.events_query(month=date(2026, 2, 1))))
    assert found == [late]


# --- booths -------------------------------------------------------------------------------------


def test_a_verified_employer_registers_one_booth_per_event(
    session: Session, staff: User, employer: Employer
) -> None:
    fair = event(session, staff)
    booth = services.register_booth(session, employer, fair, utcnow())
    assert booth.status == BoothStatus.REGISTERED
    with pytest.raises(ValidationError, match="已报名"):
        services.register_booth(session, employer, fair, utcnow())
    services.cancel_own_booth(session, employer, booth)
    again = services.register_booth(session, employer, fair, utcnow())
    assert again.id == booth.id
    assert again.status == BoothStatus.REGISTERED


def test_an_unverified_employer_cannot_register(session: Session, staff: User) -> None:
    pending = factories.employer(session, verification=Verification.PENDING)
    with pytest.raises(Forbidden, match="核验"):
        services.register_booth(session, pending, event(session, staff), utcnow())


def test_no_booths_at_ended_or_cancelled_events(
    session: Session, staff: User, employer: Employer
) -> None:
    ended = event(session, staff, starts_at=utcnow() - timedelta(days=1))
    with pytest.raises(ValidationError, match="已结束或已取消"):
        services.register_booth(session, employer, ended, utcnow())
    cancelled = event(session, staff)
    services.cancel_event(session, staff, cancelled, "取消")
    with pytest.raises(ValidationError, match="已结束或已取消"):
        services.register_booth(session, employer, cancelled, utcnow())


def test_only_own_published_jobs_can_be_attached(
    session: Session, staff: User, employer: Employer
) -> None:
    booth = services.register_booth(session, employer, event(session, staff), utcnow())
    mine = published_job(session, employer=employer, title="海参加工工")
    draft = factories.job(session, employer=employer, status=JobStatus.DRAFT)
    theirs = published_job(session, title="船舶焊工")
    services.attach_jobs(session, employer, booth, [mine.id], utcnow())
    assert booth.jobs == [mine]
    for bad in ([mine.id, draft.id], [theirs.id], [987654]):
        with pytest.raises(ValidationError, match="只能添加本单位已发布的职位"):
            services.attach_jobs(session, employer, booth, bad, utcnow())
    services.attach_jobs(session, employer, booth, [], utcnow())
    assert booth.jobs == []


def test_another_employers_booth_is_not_found(
    session: Session, staff: User, employer: Employer
) -> None:
    booth = services.register_booth(session, employer, event(session, staff), utcnow())
    other = factories.employer(session)
    with pytest.raises(NotFound):
        services.employer_booth(session, other, booth.id)
    with pytest.raises(NotFound):
        services.attach_jobs(session, other, booth, [], utcnow())
    with pytest.raises(NotFound):
        services.cancel_own_booth(session, other, booth)


def test_staff_confirm_and_cancel_booths(session: Session, staff: User, employer: Employer) -> None:
    booth = services.register_booth(session, employer, event(session, staff), utcnow())
    services.set_booth_status(session, staff, booth, BoothStatus.CONFIRMED)
    assert booth.status == BoothStatus.CONFIRMED
    services.set_booth_status(session, staff, booth, BoothStatus.CANCELLED)
    with pytest.raises(ValidationError, match="重新报名"):
        services.set_booth_status(session, staff, booth, BoothStatus.CONFIRMED)
    with pytest.raises(ValidationError, match="已取消"):
        services.attach_jobs(session, employer, booth, [], utcnow())


def test_seekers_see_only_confirmed_booths_and_published_jobs(
    session: Session, staff: User, employer: Employer
) -> None:
    fair = event(session, staff)
    booth = services.register_booth(session, employer, fair, utcnow())
    open_job = published_job(session, employer=employer, title="扇贝分拣工")
    later_closed = published_job(session, employer=employer, title="冷库搬运工")
    services.attach_jobs(session, employer, booth, [open_job.id, later_closed.id], utcnow())
    assert services.public_booths(session, fair) == []
    services.set_booth_status(session, staff, booth, BoothStatus.CONFIRMED)
    later_closed.status = JobStatus.CLOSED
    assert services.public_booths(session, fair) == [(booth, [open_job])]


# --- outcomes -----------------------------------------------------------------------------------


def _apply(session: Session, job_id: int, at: datetime, status: str = "applied") -> None:
    profile = SeekerProfile(name="求职者")
    session.add(profile)
    session.flush()
    session.add(Application(job_id=job_id, seeker_id=profile.id, status=status, created_at=at))
    session.flush()


def test_outcomes_count_applications_to_booth_jobs_in_the_window(
    session: Session, staff: User, employer: Employer
) -> None:
    now = utcnow()
    fair = event(session, staff, starts_at=now + timedelta(hours=1))
    booth = services.register_booth(session, employer, fair, now)
    job = published_job(session, employer=employer)
    elsewhere = published_job(session, employer=employer, title="不在展位的职位")
    services.attach_jobs(session, employer, booth, [job.id], now)
    services.set_booth_status(session, staff, booth, BoothStatus.CONFIRMED)
    start, end = fair.starts_at, fair.ends_at
    _apply(session, job.id, start - timedelta(minutes=1))  # before: not counted
    _apply(session, job.id, start + timedelta(minutes=30), ApplicationStatus.HIRED)
    _apply(session, job.id, end + timedelta(days=services.OUTCOME_WINDOW_DAYS))
    _apply(session, job.id, end + timedelta(days=services.OUTCOME_WINDOW_DAYS, seconds=1))
    _apply(session, elsewhere.id, start + timedelta(minutes=5))  # not at the booth
    outcomes = services.event_outcomes(session, fair)
    assert (outcomes.booths, outcomes.jobs) == (1, 1)
    assert (outcomes.applications, outcomes.hires) == (2, 1)


def test_a_cancelled_booth_brings_no_outcomes(
    session: Session, staff: User, employer: Employer
) -> None:
    now = utcnow()
    fair = event(session, staff, starts_at=now + timedelta(hours=1))
    booth = services.register_booth(session, employer, fair, now)
    job = published_job(session, employer=employer)
    services.attach_jobs(session, employer, booth, [job.id], now)
    services.cancel_own_booth(session, employer, booth)
    _apply(session, job.id, fair.starts_at + timedelta(hours=1))
    assert services.event_outcomes(session, fair).applications == 0


# --- target report ------------------------------------------------------------------------------


def test_the_target_report_counts_in_beijing_time(session: Session, staff: User) -> None:
    # Sunday 11 January 2026, 23:30 UTC is Monday 12 January 07:30 in Weihai
    event(session, staff, starts_at=datetime(2026, 1, 11, 23, 30))
    event(session, staff, starts_at=local(date(2026, 1, 2)))
    event(session, staff, starts_at=local(date(2026, 1, 8)), kind="comprehensive")
    cancelled = event(session, staff, starts_at=local(date(2026, 1, 7)))
    services.cancel_event(session, staff, cancelled, "取消")
    report = services.target_report(session, date(2026, 1, 14))
    rongcheng = next(d for d in report.districts if d.code == RONGCHENG)
    assert [w.monday for w in rongcheng.missed_weeks] == [date(2026, 1, 5)]
    assert rongcheng.current_week_uncovered is False
    assert rongcheng.missed_months == []
    assert len(report.districts) == 7
    huancui = next(d for d in report.districts if d.code == HUANCUI)
    assert len(huancui.missed_weeks) == 2
    assert report.events.count == 3
