"""The event pages as staff, employers and seekers use them, and who may see what."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from marketplace.accounts.models import Role, User
from marketplace.database import get_database, utcnow
from marketplace.employers.models import Employer
from marketplace.events import services
from marketplace.events.models import Booth, BoothStatus, Campaign, Event, EventStatus
from marketplace.seekers.models import Application, ApplicationStatus, SeekerProfile
from tests.marketplace import factories
from tests.marketplace.accounts import factories as accounts
from tests.marketplace.accounts.helpers import log_in
from tests.marketplace.events.helpers import RONGCHENG, event, local, published_job


def sign_in(client: FlaskClient, user: User) -> FlaskClient:
    assert log_in(client, user.username, accounts.PASSWORD).status_code == 302
    return client


def fresh(app: Flask, model: type, ident: int) -> object:
    session = get_database(app).session()
    try:
        return session.get(model, ident)
    finally:
        session.close()


def local_input(days: int, hour: int) -> str:
    moment = services.to_local(utcnow()) + timedelta(days=days)
    return moment.replace(hour=hour, minute=0).strftime("%Y-%m-%dT%H:%M")


# --- who gets in --------------------------------------------------------------------------------

STAFF_PAGES = [
    "/events/staff",
    "/events/staff/new",
    "/events/campaigns",
    "/events/campaigns/new",
    "/events/targets",
]


@pytest.mark.parametrize("path", STAFF_PAGES)
def test_staff_pages_send_anonymous_visitors_to_log_in(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


@pytest.mark.parametrize("path", STAFF_PAGES)
def test_staff_pages_refuse_employers(client: FlaskClient, employer_user: User, path: str) -> None:
    sign_in(client, employer_user)
    assert client.get(path).status_code == 403


@pytest.mark.parametrize("path", ["/events/booths"])
def test_employer_pages_refuse_staff_and_seekers(
    client: FlaskClient, session: Session, staff: User, path: str
) -> None:
    sign_in(client, staff)
    assert client.get(path).status_code == 403
    seeker = accounts.user(session, role=Role.SEEKER)
    session.commit()
    other = client.application.test_client()
    sign_in(other, seeker)
    assert other.get(path).status_code == 403


def test_staff_actions_refuse_employers(
    client: FlaskClient, session: Session, staff: User, employer_user: User
) -> None:
    fair = event(session, staff, starts_at=utcnow() - timedelta(hours=4))
    session.commit()
    sign_in(client, employer_user)
    assert client.get(f"/events/staff/{fair.id}").status_code == 403
    response = client.post(
        f"/events/staff/{fair.id}/held", data={"held-visitors": 1, "held-seekers_registered": 1}
    )
    assert response.status_code == 403
    assert fresh(client.application, Event, fair.id).status == EventStatus.PLANNED  # type: ignore[attr-defined]


def test_an_employer_cannot_reach_another_employers_booth(
    client: FlaskClient, session: Session, staff: User, employer_user: User
) -> None:
    other = factories.employer(session)
    booth = services.register_booth(session, other, event(session, staff), utcnow())
    theirs = published_job(session, employer=other)
    session.commit()
    sign_in(client, employer_user)
    assert client.get(f"/events/booths/{booth.id}").status_code == 404
    assert client.post(f"/events/booths/{booth.id}", data={"jobs": [theirs.id]}).status_code == 404
    assert client.post(f"/events/booths/{booth.id}/cancel").status_code == 404
    assert fresh(client.application, Booth, booth.id).status == BoothStatus.REGISTERED  # type: ignore[attr-defined]


def test_unknown_events_are_404(client: FlaskClient, places: None) -> None:
    assert client.get("/events/424242").status_code == 404


# --- a campaign month end to end ----------------------------------------------------------------


def test_a_campaign_month_end_to_end(
    client: FlaskClient,
    app: Flask,
    session: Session,
    staff: User,
    employer_user: User,
    employer: Employer,
) -> None:
    job = published_job(session, employer=employer, title="海带养殖工")
    session.commit()
    staff_client = sign_in(app.test_client(), staff)

    # staff create the campaign and an event in it
    today = services.local_today(utcnow())
    response = staff_client.post(
        "/events/campaigns/new",
        data={
            "name": "2026 年民营企业招聘月",
            "kind": "private_month",
            "starts_on": today.isoformat(),
            "ends_on": (today + timedelta(days=30)).isoformat(),
            "description": "面向民营企业的系列招聘活动",
        },
    )
    assert response.status_code == 303, response.get_data(as_text=True)
    campaign_id = session.scalar(
        select(Campaign.id).where(Campaign.name == "2026 年民营企业招聘月")
    )
    assert campaign_id is not None
    assert "2026 年民营企业招聘月" in staff_client.get("/events/campaigns").get_data(as_text=True)
    form_page = staff_client.get(f"/events/staff/new?campaign={campaign_id}").get_data(as_text=True)
    assert "荣成市" in form_page

    response = staff_client.post(
        "/events/staff/new",
        data={
            "title": "荣成市民营企业专场招聘会",
            "campaign_id": campaign_id,
            "format": "offline",
            "kind": "specialised",
            "district_code": RONGCHENG,
            "starts_at": local_input(2, 9),
            "ends_at": local_input(2, 12),
            "venue": "荣成市人力资源市场",
        },
    )
    assert response.status_code == 303, response.get_data(as_text=True)
    event_id = session.scalar(select(Event.id).where(Event.title == "荣成市民营企业专场招聘会"))
    assert event_id is not None

    # the employer registers a booth and attaches its job
    employer_client = sign_in(client, employer_user)
    assert "荣成市民营企业专场招聘会" in employer_client.get("/events/booths").get_data(
        as_text=True
    )
    assert "报名参会（申请展位）" in employer_client.get(f"/events/{event_id}").get_data(
        as_text=True
    )
    response = employer_client.post(f"/events/{event_id}/booth")
    assert response.status_code == 303
    booth_id = session.scalar(select(Booth.id).where(Booth.event_id == event_id))
    assert booth_id is not None
    assert "海带养殖工" in employer_client.get(f"/events/booths/{booth_id}").get_data(as_text=True)
    response = employer_client.post(f"/events/booths/{booth_id}", data={"jobs": [job.id]})
    assert response.status_code == 303, response.get_data(as_text=True)

    # staff confirm the booth; the public then sees the event with the job
    response = staff_client.post(f"/events/staff/booths/{booth_id}/confirm")
    assert response.status_code == 303
    public = app.test_client()
    listing = public.get("/events/").get_data(as_text=True)
    assert "荣成市民营企业专场招聘会" in listing
    page = public.get(f"/events/{event_id}").get_data(as_text=True)
    assert employer.name in page
    assert f'href="/jobs/{job.id}"' in page
    assert "荣成市民营企业专场招聘会" in public.get("/events/?district=371082").get_data(
        as_text=True
    )
    assert "荣成市民营企业专场招聘会" not in public.get("/events/?district=371002").get_data(
        as_text=True
    )
    assert "荣成市民营企业专场招聘会" not in public.get("/events/?campus=1").get_data(as_text=True)

    # the event takes place: a seeker applies and is hired
    row = session.get(Event, event_id)
    assert row is not None
    row.starts_at = utcnow() - timedelta(hours=3)
    row.ends_at = utcnow() - timedelta(hours=1)
    profile = SeekerProfile(name="张晓")
    session.add(profile)
    session.flush()
    session.add(
        Application(
            job_id=job.id,
            seeker_id=profile.id,
            status=ApplicationStatus.HIRED,
            created_at=utcnow() - timedelta(hours=2),
        )
    )
    session.commit()

    response = staff_client.post(
        f"/events/staff/{event_id}/held",
        data={"held-visitors": "260", "held-seekers_registered": "48"},
    )
    assert response.status_code == 303, response.get_data(as_text=True)
    page = staff_client.get(f"/events/staff/{event_id}").get_data(as_text=True)
    assert "已举办" in page
    assert "<dt>到场人数</dt><dd>260</dd>" in page
    assert "<dt>职位申请</dt><dd>1</dd>" in page
    assert "<dt>录用</dt><dd>1</dd>" in page
    summary = staff_client.get(f"/events/campaigns/{campaign_id}").get_data(as_text=True)
    assert "<dt>到场人数</dt><dd>260</dd>" in summary
    assert "<dt>录用</dt><dd>1</dd>" in summary
    listed = staff_client.get(f"/events/staff?campaign={campaign_id}&district={RONGCHENG}")
    assert "荣成市民营企业专场招聘会" in listed.get_data(as_text=True)
    assert "共 1 场" in listed.get_data(as_text=True)


# --- bad input ----------------------------------------------------------------------------------


def _event_form(**changes: str) -> dict[str, str]:
    data = {
        "title": "文登区综合招聘会",
        "campaign_id": "0",
        "format": "offline",
        "kind": "comprehensive",
        "district_code": "371003",
        "starts_at": local_input(3, 9),
        "ends_at": local_input(3, 12),
        "venue": "文登区人力资源市场",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"ends_at": local_input(3, 8)}, "结束时间必须晚于开始时间"),
        ({"format": "online", "venue": ""}, "线上活动请填写活动链接"),
        ({"format": "online", "link": "zp.example.cn"}, "链接应以 http:// 或 https:// 开头"),
        ({"venue": ""}, "线下活动请填写举办地点"),
        ({"is_campus": "y"}, "校园招聘请填写学校名称"),
        ({"starts_at": "明天上午"}, "请输入正确的日期和时间"),
        ({"district_code": "371082001"}, "请从列表中选择"),  # a town
        ({"kind": "fair"}, "请从列表中选择"),
        # typed-year slips (the browser's picker lets one through)
        (
            {"starts_at": "9999-01-01T09:00", "ends_at": "9999-01-01T12:00"},
            "开始时间应在今天前后 1 年以内",
        ),
        ({"starts_at": "0001-01-01T09:00"}, "开始时间应在今天前后 1 年以内"),
        ({"ends_at": local_input(40, 12)}, "一场活动最长 31 天"),
    ],
)
def test_bad_event_input_is_explained_and_nothing_is_saved(
    client: FlaskClient, session: Session, staff: User, changes: dict[str, str], message: str
) -> None:
    sign_in(client, staff)
    response = client.post("/events/staff/new", data=_event_form(**changes))
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert session.scalar(select(Event.id)) is None


def test_an_event_outside_its_campaign_is_refused_on_the_page(
    client: FlaskClient, session: Session, staff: User
) -> None:
    today = services.local_today(utcnow())
    spring = services.save_campaign(
        session,
        staff,
        services.CampaignInput("春风行动", "spring_breeze", today, today + timedelta(days=1)),
    )
    session.commit()
    sign_in(client, staff)
    response = client.post("/events/staff/new", data=_event_form(campaign_id=str(spring.id)))
    assert response.status_code == 400
    assert "不在「春风行动」期间" in response.get_data(as_text=True)
    assert session.scalar(select(Event.id)) is None


@pytest.mark.parametrize(
    ("starts_on", "ends_on", "message"),
    [
        ("2026-10-31", "2026-10-01", "结束日期不能早于开始日期"),
        ("9999-12-01", "9999-12-31", "开始日期应在今天前后 3 年以内"),  # a typed-year slip
    ],
)
def test_bad_campaign_dates_are_refused(
    client: FlaskClient, session: Session, staff: User, starts_on: str, ends_on: str, message: str
) -> None:
    sign_in(client, staff)
    response = client.post(
        "/events/campaigns/new",
        data={
            "name": "金秋招聘月",
            "kind": "golden_autumn",
            "starts_on": starts_on,
            "ends_on": ends_on,
        },
    )
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert session.scalar(select(Campaign.id)) is None


def test_attaching_a_job_that_is_not_ours_is_explained(
    client: FlaskClient, session: Session, staff: User, employer_user: User, employer: Employer
) -> None:
    booth = services.register_booth(session, employer, event(session, staff), utcnow())
    mine = published_job(session, employer=employer)
    theirs = published_job(session, title="轮胎成型工")
    services.attach_jobs(session, employer, booth, [mine.id], utcnow())
    session.commit()
    sign_in(client, employer_user)
    response = client.post(f"/events/booths/{booth.id}", data={"jobs": [mine.id, theirs.id]})
    assert response.status_code == 400
    assert "只能添加本单位已发布的职位" in response.get_data(as_text=True)
    session.expire_all()
    assert [job.id for job in session.get(Booth, booth.id).jobs] == [mine.id]  # type: ignore[union-attr]


def test_held_before_the_start_is_refused_on_the_page(
    client: FlaskClient, session: Session, staff: User
) -> None:
    fair = event(session, staff)
    past = event(session, staff, starts_at=utcnow() - timedelta(hours=4))
    session.commit()
    sign_in(client, staff)
    response = client.post(
        f"/events/staff/{past.id}/held", data={"held-visitors": "5", "held-seekers_registered": "x"}
    )
    assert response.status_code == 400
    assert "请输入整数" in response.get_data(as_text=True)
    response = client.post(
        f"/events/staff/{past.id}/held", data={"held-visitors": "5", "held-seekers_registered": "9"}
    )
    assert response.status_code == 400
    assert "不能多于到场人数" in response.get_data(as_text=True)
    response = client.post(
        f"/events/staff/{past.id}/held",
        data={"held-visitors": "99999999999999999999", "held-seekers_registered": "1"},
    )
    assert response.status_code == 400
    assert "人数过大，请核对" in response.get_data(as_text=True)
    assert fresh(client.application, Event, past.id).status == EventStatus.PLANNED  # type: ignore[attr-defined]
    response = client.post(
        f"/events/staff/{fair.id}/held", data={"held-visitors": "5", "held-seekers_registered": "1"}
    )
    assert response.status_code == 400
    assert "活动尚未开始" in response.get_data(as_text=True)


def test_staff_cancel_an_event_with_a_reason(
    client: FlaskClient, session: Session, staff: User
) -> None:
    fair = event(session, staff)
    session.commit()
    sign_in(client, staff)
    response = client.post(f"/events/staff/{fair.id}/cancel", data={"cancel-reason": ""})
    assert response.status_code == 400
    assert "请填写取消原因" in response.get_data(as_text=True)
    response = client.post(f"/events/staff/{fair.id}/cancel", data={"cancel-reason": "台风预警"})
    assert response.status_code == 303
    assert fresh(client.application, Event, fair.id).status == EventStatus.CANCELLED  # type: ignore[attr-defined]
    assert "台风预警" in client.get(f"/events/staff/{fair.id}").get_data(as_text=True)
    assert "荣成市水产加工专场招聘会" not in client.get("/events/").get_data(as_text=True)


def test_the_targets_page_lists_what_is_behind(
    client: FlaskClient, session: Session, staff: User
) -> None:
    sign_in(client, staff)
    page = client.get("/events/targets?date=2026-02-10").get_data(as_text=True)
    assert "全市招聘活动" in page
    assert "2026 年 1 月" in page  # no district held a comprehensive event in January
    assert "环翠区" in page
    page = client.get("/events/targets?date=not-a-date").get_data(as_text=True)
    assert "日期格式应为 YYYY-MM-DD" in page
    for slip in ("9999-12-31", "0001-01-01"):
        response = client.get(f"/events/targets?date={slip}")
        assert response.status_code == 200
        assert "请选择 2000–2100 年的日期，已显示今天的情况" in response.get_data(as_text=True)


def test_a_typed_month_out_of_range_lists_every_month(
    client: FlaskClient, session: Session, staff: User
) -> None:
    event(session, staff)
    session.commit()
    sign_in(client, staff)
    for slip in ("9999-12", "0001-01"):
        response = client.get(f"/events/staff?month={slip}")
        assert response.status_code == 200
        assert "荣成市水产加工专场招聘会" in response.get_data(as_text=True)


def test_an_event_over_several_days_shows_its_end_date(
    client: FlaskClient, session: Session, staff: User
) -> None:
    start = local(date(2026, 12, 30), 9)
    fair = event(session, staff, starts_at=start, ends_at=start + timedelta(days=2, hours=3))
    session.commit()
    sign_in(client, staff)
    page = client.get(f"/events/staff/{fair.id}").get_data(as_text=True)
    assert "2026-12-30 09:00 至 2027-01-01 12:00（北京时间）" in page
    same_day = event(session, staff, starts_at=start, ends_at=start + timedelta(hours=3))
    session.commit()
    page = client.get(f"/events/staff/{same_day.id}").get_data(as_text=True)
    assert "2026-12-30 09:00 至 12:00（北京时间）" in page


def test_staff_edit_an_event_and_a_campaign(
    client: FlaskClient, session: Session, staff: User
) -> None:
    fair = event(session, staff)
    spring = services.save_campaign(
        session,
        staff,
        services.CampaignInput(
            "春风行动",
            "spring_breeze",
            services.local_today(utcnow()),
            services.local_today(utcnow()),
        ),
    )
    session.commit()
    sign_in(client, staff)
    page = client.get(f"/events/staff/{fair.id}/edit").get_data(as_text=True)
    starts = services.to_local(fair.starts_at).strftime("%Y-%m-%dT%H:%M")
    assert f'value="{starts}"' in page  # Beijing time in the form
    assert "荣成市人力资源市场一楼大厅" in page
    form = _event_form(
        title="荣成市船舶制造专场招聘会", district_code=RONGCHENG, kind="specialised"
    )
    response = client.post(f"/events/staff/{fair.id}/edit", data=form)
    assert response.status_code == 303
    session.expire_all()
    assert session.get(Event, fair.id).title == "荣成市船舶制造专场招聘会"  # type: ignore[union-attr]

    page = client.get(f"/events/campaigns/{spring.id}/edit").get_data(as_text=True)
    assert 'value="春风行动"' in page
    response = client.post(
        f"/events/campaigns/{spring.id}/edit",
        data={
            "name": "2026 年春风行动",
            "kind": "spring_breeze",
            "starts_on": "2026-01-15",
            "ends_on": "2026-03-31",
        },
    )
    assert response.status_code == 303
    session.expire_all()
    assert session.get(Campaign, spring.id).name == "2026 年春风行动"  # type: ignore[union-attr]


def test_county_staff_cannot_edit_another_districts_event(
    client: FlaskClient, session: Session, staff: User
) -> None:
    from marketplace.places.models import ServicePoint

    fair = event(session, staff)  # 荣成市
    point = ServicePoint(name="文登区公共就业服务中心", level="county", place_code="371003")
    session.add(point)
    session.flush()
    wendeng = accounts.user(session, role=Role.STAFF, service_point_id=point.id)
    session.commit()
    sign_in(client, wendeng)
    assert client.get(f"/events/staff/{fair.id}/edit").status_code == 403
    assert (
        client.post(f"/events/staff/{fair.id}/cancel", data={"cancel-reason": "x"}).status_code
        == 403
    )
    page = client.get("/events/staff/new").get_data(as_text=True)
    assert "文登区" in page
    assert "荣成市</option>" not in page
    assert client.get("/events/campaigns/new").status_code == 403
