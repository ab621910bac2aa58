"""The odd-job pages through the test client: real SQLite, real Redis, the real clock."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
import redis
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.test import TestResponse

from marketplace import create_app
from marketplace.accounts.models import Role, User
from marketplace.database import get_database, utcnow
from marketplace.gigs import keys, services
from marketplace.gigs.dispatch import DispatchPolicy
from marketplace.gigs.models import (
    GigEvent,
    GigOffer,
    GigRequest,
    GigWorker,
    OfferStatus,
    PayUnit,
)
from marketplace.gigs.views import DESK_WORKERS
from marketplace.localtime import LOCAL_OFFSET
from marketplace.places.models import Place, PlaceLevel, ServicePoint
from marketplace.seekers.models import SeekerProfile
from tests.marketplace.accounts import factories as accounts
from tests.marketplace.accounts.helpers import csrf_token, log_in
from tests.marketplace.gigs import factories

VILLAGE_0 = factories.VILLAGES[0.0]
VILLAGE_3 = factories.VILLAGES[3.0]
VILLAGE_6 = factories.VILLAGES[6.5]


def person(session: Session, role: Role = Role.SEEKER, **fields: Any) -> User:
    """A user who can log in (password accounts.PASSWORD); seekers get their profile."""
    factories.places(session)
    user = accounts.user(session, role, **fields)
    if role == Role.SEEKER:
        session.add(
            SeekerProfile(
                user_id=user.id, name=user.display_name, phone=user.phone, target_groups=[]
            )
        )
    session.commit()
    return user


def signed_in(app: Flask, user: User) -> FlaskClient:
    client = app.test_client()
    response = log_in(client, user.username, accounts.PASSWORD)
    assert response.status_code == 302, response.get_data(as_text=True)
    return client


def worker_of(session: Session, rds: redis.Redis, user: User, place: str = VILLAGE_3) -> GigWorker:
    profile = session.scalar(select(SeekerProfile).where(SeekerProfile.user_id == user.id))
    assert profile is not None
    return services.register_worker(
        session, rds, profile.id, skills=["搬运", "装卸"], place_code=place
    )


def tomorrow_form(**fields: Any) -> dict[str, Any]:
    """A request form for tomorrow 09:00–17:00 Weihai time in village 0."""
    day = (utcnow() + LOCAL_OFFSET + timedelta(days=1)).date()
    data: dict[str, Any] = {
        "title": "码头卸货",
        "skills": ["搬运"],
        "place": VILLAGE_0,
        "address": "俚岛码头 3 号泊位",
        "work_date": day.isoformat(),
        "start_time": "09:00",
        "end_time": "17:00",
        "pay_amount": "260",
        "pay_unit": "day",
        "headcount": "2",
        "urgent": "y",
    }
    data.update(fields)
    return data


def offer_for(session: Session, worker: GigWorker) -> GigOffer:
    session.expire_all()
    offer = session.scalar(select(GigOffer).where(GigOffer.worker_id == worker.id))
    assert offer is not None
    return offer


def test_a_worker_registers_and_pauses(app: Flask, session: Session, rds: redis.Redis) -> None:
    user = person(session, phone="17055550123")
    client = signed_in(app, user)
    page = client.get("/gigs/worker").get_data(as_text=True)
    assert 'value="水产加工"' in page
    assert "俚岛镇" in page
    assert "测试2村" in page

    response = client.post(
        "/gigs/worker",
        data={
            "skills": ["装卸", "搬运"],
            "place": VILLAGE_3,
            "days": ["1", "2", "3", "4", "5", "6"],
            "available_from": "07:00",
            "available_until": "18:00",
            "rate_amount": "200",
            "rate_unit": "day",
        },
    )
    assert response.status_code == 303
    worker = session.scalar(select(GigWorker).where(GigWorker.seeker.has(user_id=user.id)))
    assert worker is not None
    assert (worker.skills, worker.days, worker.rate_amount) == ("搬运,装卸", "123456", 200)
    assert str(worker.id) in rds.zrange(keys.WORKERS_GEO, 0, -1)
    page = client.get("/gigs/worker").get_data(as_text=True)
    assert "170****0123" in page
    assert "17055550123" not in page

    response = client.post(f"/gigs/workers/{worker.id}/pause", data={"paused": "1"})
    assert response.status_code == 303
    session.expire_all()
    assert session.get(GigWorker, worker.id).paused  # type: ignore[union-attr]
    assert str(worker.id) not in rds.zrange(keys.WORKERS_GEO, 0, -1)
    assert "已暂停" in client.get("/gigs/").get_data(as_text=True)
    client.post(f"/gigs/workers/{worker.id}/pause", data={"paused": "0"})
    assert str(worker.id) in rds.zrange(keys.WORKERS_GEO, 0, -1)


@pytest.mark.parametrize(
    ("typed", "unit", "shown"),
    [("200", "day", "200"), ("250", "day", "250"), ("2.5", "piece", "2.5")],
)
def test_the_expected_rate_reopens_as_a_plain_number(
    app: Flask, session: Session, typed: str, unit: str, shown: str
) -> None:
    client = signed_in(app, person(session))
    form = {"skills": ["搬运"], "place": VILLAGE_3, "days": ["1"]}
    response = client.post("/gigs/worker", data={**form, "rate_amount": typed, "rate_unit": unit})
    assert response.status_code == 303

    page = client.get("/gigs/worker").get_data(as_text=True)

    assert re.search(rf'name="rate_amount"[^>]* value="{re.escape(shown)}"', page), page
    assert "E+" not in page


def test_an_expected_rate_out_of_bounds_is_said_at_the_amount(app: Flask, session: Session) -> None:
    client = signed_in(app, person(session))
    response = client.post(
        "/gigs/worker",
        data={
            "skills": ["搬运"],
            "place": VILLAGE_3,
            "days": ["1"],
            "rate_amount": "5000",
            "rate_unit": "day",
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    message = "按天计的工钱须在 50–2,000 元之间"
    amount_error = re.search(r'<p class="field-error" id="rate_amount-error">([^<]*)</p>', page)
    assert amount_error is not None
    assert message in amount_error.group(1)
    assert 'id="rate_unit-error"' not in page
    assert 'aria-describedby="rate_amount-error"' in page  # read out with the amount's box


def test_bad_worker_input_says_why_in_chinese_and_saves_nothing(
    app: Flask, session: Session
) -> None:
    client = signed_in(app, person(session))
    response = client.post(
        "/gigs/worker",
        data={"place": VILLAGE_3, "days": ["1"], "rate_amount": "200", "rate_unit": ""},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "请至少选择一项技能" in page
    assert "请同时填写期望工钱和单位" in page
    assert session.scalar(select(func.count()).select_from(GigWorker)) == 0

    # a rate outside what its unit can mean: 2,500 yuan a piece, 8 yuan an hour
    def with_rate(amount: str, unit: str) -> TestResponse:
        data = {"skills": ["搬运"], "place": VILLAGE_3, "days": ["1"]}
        return client.post("/gigs/worker", data={**data, "rate_amount": amount, "rate_unit": unit})

    for amount, unit, why in (("2500", "piece", "按件计的工钱须在"), ("8", "hour", "最低工资")):
        response = with_rate(amount, unit)
        assert response.status_code == 200
        assert why in response.get_data(as_text=True)
    assert session.scalar(select(func.count()).select_from(GigWorker)) == 0
    # 5 jiao a piece (剥虾) is a rate like any other
    assert with_rate("0.5", "piece").status_code == 303


def test_an_urgent_request_is_offered_accepted_and_counted(
    app: Flask, session: Session, rds: redis.Redis
) -> None:
    employer = person(session, Role.EMPLOYER, display_name="俚岛水产")
    seeker = person(session, phone="17066660001")
    worker = worker_of(session, rds, seeker)
    boss = signed_in(app, employer)

    response = boss.post("/gigs/requests/new", data=tomorrow_form())
    assert response.status_code == 303
    gig = session.scalar(select(GigRequest))
    assert gig is not None
    assert gig.urgent
    assert gig.requester_user_id == employer.id
    assert response.headers["Location"].endswith(f"/gigs/requests/{gig.id}")
    assert (gig.starts_at + LOCAL_OFFSET).hour == 9

    hand = signed_in(app, seeker)
    page = hand.get("/gigs/offers").get_data(as_text=True)
    assert "码头卸货" in page
    assert "260 元/天" in page
    assert "测试1村" in page
    assert "还剩 1" in page
    assert " 秒" in page
    assert "data-countdown" in page
    offer = offer_for(session, worker)

    response = hand.post(f"/gigs/offers/{offer.id}/accept", follow_redirects=True)
    assert "接单成功" in response.get_data(as_text=True)
    assert offer_for(session, worker).status == OfferStatus.ACCEPTED

    status = boss.get(f"/gigs/requests/{gig.id}").get_data(as_text=True)
    assert "<strong>1/2</strong>已接单/需要人数" in status
    assert "17066660001" in status  # the requester sees the hired worker's number
    assert 'data-refresh="5"' in status
    assert "立即刷新" in status


def test_the_accepted_worker_sees_whom_to_call_until_the_job_is_over(
    app: Flask, session: Session, rds: redis.Redis
) -> None:
    employer = person(session, Role.EMPLOYER, display_name="俚岛水产", phone="17066669901")
    taker = person(session, phone="17066660011")
    other = person(session, phone="17066660012")
    took, passed = worker_of(session, rds, taker), worker_of(session, rds, other)
    boss = signed_in(app, employer)
    boss.post("/gigs/requests/new", data=tomorrow_form(headcount="1"))
    gig = session.scalar(select(GigRequest))
    assert gig is not None
    hand, passer = signed_in(app, taker), signed_in(app, other)
    assert "17066669901" not in hand.get("/gigs/offers").get_data(as_text=True)  # offered only

    accepted = hand.post(
        f"/gigs/offers/{offer_for(session, took).id}/accept", follow_redirects=True
    )
    passer.post(f"/gigs/offers/{offer_for(session, passed).id}/decline")

    page = accepted.get_data(as_text=True)
    assert "发布人的联系方式见“已接的活”" in page
    assert '联系发布人：俚岛水产 <a href="tel:17066669901">17066669901</a>' in page
    assert "17066669901" not in passer.get("/gigs/offers").get_data(as_text=True)
    # its hours over (still 已招满: nobody marked it done), the number is no longer shown
    session.expire_all()
    hours = (gig.starts_at, gig.ends_at)
    gig.starts_at, gig.ends_at = utcnow() - timedelta(hours=9), utcnow() - timedelta(hours=1)
    session.commit()
    assert "17066669901" not in hand.get("/gigs/offers").get_data(as_text=True)
    gig.starts_at, gig.ends_at = hours
    session.commit()
    assert "17066669901" in hand.get("/gigs/offers").get_data(as_text=True)
    # cancelled, the same
    boss.post(f"/gigs/requests/{gig.id}/cancel")
    after = hand.get("/gigs/offers").get_data(as_text=True)
    assert "已取消" in after
    assert "17066669901" not in after


def test_a_clashing_offer_is_declined_for_the_worker_and_says_why(
    app: Flask, session: Session, rds: redis.Redis
) -> None:
    seeker = person(session, phone="17066660002")
    worker = worker_of(session, rds, seeker)
    boss = signed_in(app, person(session, Role.EMPLOYER))
    # the same day, overlapping hours
    boss.post("/gigs/requests/new", data=tomorrow_form(title="码头卸货"))
    boss.post("/gigs/requests/new", data=tomorrow_form(title="冷库搬运", start_time="13:00"))
    session.expire_all()
    offers = {o.request.title: o for o in session.scalars(select(GigOffer))}
    assert set(offers) == {"码头卸货", "冷库搬运"}
    hand = signed_in(app, seeker)

    hand.post(f"/gigs/offers/{offers['码头卸货'].id}/accept")

    page = hand.get("/gigs/offers").get_data(as_text=True)
    assert "现在没有待回复的派单" in page  # nothing left waiting for an answer
    assert "已自动婉拒（与已接的活时间冲突）" in page
    session.expire_all()
    assert session.get(GigWorker, worker.id).declines_count == 0  # type: ignore[union-attr]

    # tapping 接单 on the declined one (a page open from before) says why it is gone
    again = hand.post(f"/gigs/offers/{offers['冷库搬运'].id}/accept", follow_redirects=True)
    assert "这个邀约已自动婉拒：您已接了同一时段的其他零工" in again.get_data(as_text=True)
    # and one the worker declined themselves says so
    later = (utcnow() + LOCAL_OFFSET + timedelta(days=2)).date().isoformat()
    boss.post("/gigs/requests/new", data=tomorrow_form(title="渔港补网", work_date=later))
    session.expire_all()
    mine = session.scalar(select(GigOffer).join(GigRequest).where(GigRequest.title == "渔港补网"))
    assert mine is not None
    hand.post(f"/gigs/offers/{mine.id}/decline")
    again = hand.post(f"/gigs/offers/{mine.id}/accept", follow_redirects=True)
    assert "您已拒绝这个邀约" in again.get_data(as_text=True)


def test_an_urgent_post_with_nobody_near_says_how_far_it_looked(
    app: Flask, session: Session, rds: redis.Redis
) -> None:
    boss = signed_in(app, person(session, Role.EMPLOYER))
    form = boss.get("/gigs/requests/new").get_data(as_text=True)
    assert "先找 5 公里内，人不够再逐步扩大到 12 公里" in form

    response = boss.post("/gigs/requests/new", data=tomorrow_form(), follow_redirects=True)

    page = response.get_data(as_text=True)
    said = "5 公里内无人可派，已扩大到 12 公里，仍暂无可派单的零工"
    assert page.count(said) == 2  # the message after posting, and the status box
    assert "当前派单范围：12 公里" in page
    assert "正在派单给附近的零工" not in page


def test_the_status_page_says_when_the_circle_was_widened(
    app: Flask, session: Session, rds: redis.Redis
) -> None:
    employer = person(session, Role.EMPLOYER)
    worker_of(session, rds, person(session), place=VILLAGE_6)  # 6.5 km away
    boss = signed_in(app, employer)
    response = boss.post("/gigs/requests/new", data=tomorrow_form(headcount="1"))
    assert response.status_code == 303
    page = boss.get(response.headers["Location"]).get_data(as_text=True)
    assert "5 公里内无人可派，已扩大到 12 公里" in page
    assert "<strong>0/1</strong>已接单/需要人数" in page
    assert "当前派单范围" in page


def test_bad_request_input_is_refused_and_nothing_is_posted(app: Flask, session: Session) -> None:
    boss = signed_in(app, person(session, Role.EMPLOYER))
    yesterday = (utcnow() + LOCAL_OFFSET - timedelta(days=1)).date().isoformat()
    response = boss.post("/gigs/requests/new", data=tomorrow_form(end_time="08:00", headcount="0"))
    page = response.get_data(as_text=True)
    assert "结束时间须晚于开始时间" in page
    assert "人数须在 1 到 200 之间" in page
    response = boss.post("/gigs/requests/new", data=tomorrow_form(work_date=yesterday))
    assert "日期不能早于今天" in response.get_data(as_text=True)
    assert session.scalar(select(func.count()).select_from(GigRequest)) == 0


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"pay_amount": "99999"}, "按天计的工钱须在 50–2,000 元之间，请核实金额和单位"),
        ({"pay_amount": "1"}, "按天计的工钱须在 50–2,000 元之间，请核实金额和单位"),
        ({"pay_amount": "15", "pay_unit": "hour"}, "不得低于山东省最低工资标准"),
        ({"work_date": "2099-01-01"}, "日期最多提前 60 天，请核实日期（年份）"),
    ],
)
def test_absurd_pay_and_far_off_dates_are_refused_on_the_request_form(
    app: Flask, session: Session, fields: dict[str, str], message: str
) -> None:
    boss = signed_in(app, person(session, Role.EMPLOYER))
    response = boss.post("/gigs/requests/new", data=tomorrow_form(**fields))
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert session.scalar(select(func.count()).select_from(GigRequest)) == 0


def test_a_request_outside_this_year_shows_its_year(
    app: Flask, session: Session, rds: redis.Redis
) -> None:
    employer = person(session, Role.EMPLOYER)
    # posted 400 days ago for the next day: a day of an earlier year
    then = utcnow() - timedelta(days=400)
    gig = factories.request(session, rds, starts_in=timedelta(days=1), now=then, requester=employer)
    page = signed_in(app, employer).get("/gigs/requests").get_data(as_text=True)
    assert f"{gig.starts_at + LOCAL_OFFSET:%Y年%m月%d日 %H:%M}" in page


def _expired_offer(session: Session, rds: redis.Redis, worker: GigWorker) -> GigOffer:
    """An urgent request dispatched ten minutes ago with one-minute offers."""
    then = utcnow() - timedelta(minutes=10)
    starts_at = utcnow() + timedelta(hours=3)
    services.post_request(
        session,
        rds,
        title="果园摘苹果",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=4),
        pay_amount=25,
        pay_unit=PayUnit.HOUR,
        headcount=1,
        skills=["搬运"],
        place_code=VILLAGE_0,
        urgent=True,
        requester_user_id=person(session, Role.EMPLOYER).id,
        now=then,
        policy=DispatchPolicy(offer_seconds=60),
    )
    return offer_for(session, worker)


def test_accepting_an_expired_offer_is_refused_with_the_reason(
    app: Flask, session: Session, rds: redis.Redis
) -> None:
    seeker = person(session)
    worker = worker_of(session, rds, seeker)
    offer = _expired_offer(session, rds, worker)
    hand = signed_in(app, seeker)
    page = hand.get("/gigs/offers").get_data(as_text=True)
    assert "现在没有待回复的派单" in page
    assert "已过期" in page

    response = hand.post(f"/gigs/offers/{offer.id}/accept", follow_redirects=True)
    assert "没有成功：邀约已过期" in response.get_data(as_text=True)
    assert offer_for(session, worker).status == OfferStatus.OFFERED  # the sweep expires it


def test_someone_elses_offer_and_request_are_not_found(
    app: Flask, session: Session, rds: redis.Redis
) -> None:
    employer = person(session, Role.EMPLOYER)
    seeker = person(session)
    worker = worker_of(session, rds, seeker)
    signed_in(app, employer).post("/gigs/requests/new", data=tomorrow_form())
    offer = offer_for(session, worker)
    gig_id = offer.request_id

    stranger = signed_in(app, person(session))
    assert stranger.post(f"/gigs/offers/{offer.id}/accept").status_code == 404
    assert stranger.post(f"/gigs/offers/{offer.id}/decline").status_code == 404
    assert stranger.get(f"/gigs/requests/{gig_id}").status_code == 404
    other_boss = signed_in(app, person(session, Role.EMPLOYER))
    assert other_boss.get(f"/gigs/requests/{gig_id}").status_code == 404
    assert other_boss.post(f"/gigs/requests/{gig_id}/cancel").status_code == 404
    assert offer_for(session, worker).status == OfferStatus.OFFERED
    assert "您没有权限" in stranger.get("/gigs/desk").get_data(as_text=True)


def _station(session: Session) -> User:
    factories.places(session)
    point = ServicePoint(name="俚岛镇便民服务中心", level="town", place_code=factories.TOWN)
    session.add(point)
    session.flush()
    return person(session, Role.STAFF, display_name="王站长", service_point_id=point.id)


def test_the_desk_registers_a_walk_in_worker(
    app: Flask, session: Session, rds: redis.Redis
) -> None:
    staff = _station(session)
    desk = signed_in(app, staff)
    assert "代办零工登记" in desk.get("/gigs/desk").get_data(as_text=True)
    response = desk.post(
        "/gigs/desk/workers/new",
        data={
            "name": "刘大姐",
            "phone": "170 7777 0002",
            "skills": ["水产加工"],
            "place": VILLAGE_3,
            "days": ["1", "2", "3", "4", "5", "6", "7"],
        },
    )
    assert response.status_code == 303, response.get_data(as_text=True)
    worker = session.scalar(select(GigWorker))
    assert worker is not None
    assert worker.seeker.user_id is None
    assert worker.seeker.phone == "17077770002"
    assert worker.registered_by_point_id == staff.service_point_id
    assert str(worker.id) in rds.zrange(keys.WORKERS_GEO, 0, -1)
    # the record says who registered the walk-in person
    notes = session.scalars(select(GigEvent.note).where(GigEvent.worker_id == worker.id)).all()
    assert f"登记；代办：{staff.display_name}" in notes
    page = desk.get("/gigs/desk").get_data(as_text=True)
    assert "刘大姐" in page
    assert "170****0002" in page
    assert "17077770002" not in page


def test_staff_at_the_desk_correct_a_walk_ins_name_and_the_history_says_so(
    app: Flask, session: Session, rds: redis.Redis
) -> None:
    staff = _station(session)
    desk = signed_in(app, staff)
    data = {
        "name": "王五",
        "phone": "17077770009",
        "skills": ["搬运"],
        "place": VILLAGE_3,
        "days": list("1234567"),
    }
    assert desk.post("/gigs/desk/workers/new", data=data).status_code == 303
    # another name without the confirmation (a mistyped digit?): nothing changes, and the
    # desk is told whom the number belongs to
    refused = desk.post("/gigs/desk/workers/new", data={**data, "name": "赵六"})
    assert refused.status_code == 200
    assert "已在本站登记为“王五”" in refused.get_data(as_text=True)
    session.expire_all()
    assert session.scalar(select(SeekerProfile.name)) == "王五"

    response = desk.post(
        "/gigs/desk/workers/new", data={**data, "name": "赵六", "correct_name": "y"}
    )

    assert response.status_code == 303
    assert session.scalar(select(func.count()).select_from(SeekerProfile)) == 1
    worker = session.scalar(select(GigWorker))
    assert worker is not None
    assert worker.seeker.name == "赵六"
    page = desk.get("/gigs/desk").get_data(as_text=True)
    assert "赵六" in page
    assert "王五" not in page
    corrected = session.scalar(
        select(GigEvent).where(GigEvent.worker_id == worker.id, GigEvent.note.contains("更正姓名"))
    )
    assert corrected is not None
    assert (corrected.note, corrected.user_id) == ("更正姓名：王五 → 赵六", staff.id)


def test_the_desk_lists_walk_ins_registered_at_the_points_under_it(
    app: Flask, session: Session, rds: redis.Redis
) -> None:
    staff = _station(session)
    village = ServicePoint(name="三村服务点", level="village", place_code=VILLAGE_3)
    session.add(Place(code="371082100", name="别镇", level=PlaceLevel.TOWN, parent_code="371082"))
    elsewhere = ServicePoint(name="别的站", level="town", place_code="371082100")
    session.add_all([village, elsewhere])
    session.commit()
    for point, name, phone in (
        (village, "李大哥", "17077770031"),
        (elsewhere, "赵大姐", "17077770032"),
    ):
        profile = services.walk_in_profile(session, point.id, name, phone, VILLAGE_3)
        services.register_worker(
            session, rds, profile.id, skills=["搬运"], place_code=VILLAGE_3,
            registered_by_point_id=point.id,
        )  # fmt: skip

    page = signed_in(app, staff).get("/gigs/desk").get_data(as_text=True)

    assert "李大哥" in page  # registered at the village's kiosk, under this town
    assert "登记于三村服务点" in page
    assert "赵大姐" not in page  # another town's


def test_the_desk_posts_for_a_villager_and_accepts_for_a_walk_in(
    app: Flask, session: Session, rds: redis.Redis
) -> None:
    staff = _station(session)
    desk = signed_in(app, staff)
    desk.post(
        "/gigs/desk/workers/new",
        data={
            "name": "刘大姐",
            "phone": "17077770003",
            "skills": ["搬运"],
            "place": VILLAGE_3,
            "days": list("1234567"),
        },
    )
    response = desk.post(
        "/gigs/desk/requests/new",
        data=tomorrow_form(contact_name="张大爷", contact_phone="17077770004", headcount="1"),
    )
    assert response.status_code == 303
    gig = session.scalar(select(GigRequest))
    assert gig is not None
    assert (gig.service_point_id, gig.contact_name) == (staff.service_point_id, "张大爷")
    worker = session.scalar(select(GigWorker))
    assert worker is not None
    offer = offer_for(session, worker)
    assert "代为接单" in desk.get("/gigs/desk").get_data(as_text=True)
    response = desk.post(
        f"/gigs/offers/{offer.id}/accept", data={"next": "/gigs/desk"}, follow_redirects=True
    )
    # the walk-in has no page of their own: staff are told whom the worker should call
    assert "已代为接单。请告诉零工：联系人 张大爷，电话 17077770004" in response.get_data(
        as_text=True
    )
    assert "<strong>1/1</strong>已接单/需要人数" in desk.get(f"/gigs/requests/{gig.id}").get_data(
        as_text=True
    )


@pytest.fixture
def protected_app(app_config: dict[str, Any]) -> Iterator[Flask]:
    app = create_app({**app_config, "WTF_CSRF_ENABLED": True})
    yield app
    app.extensions["jiuye.database"].dispose()


def test_a_gig_form_without_the_csrf_token_is_refused(protected_app: Flask) -> None:
    session = get_database(protected_app).session()
    try:
        user = person(session)
        client = protected_app.test_client()
        token = csrf_token(client, "/login")
        client.post(
            "/login",
            data={"login": user.username, "password": accounts.PASSWORD, "csrf_token": token},
        )
        data = {"skills": ["保洁"], "place": VILLAGE_3, "days": ["1"]}
        response = client.post("/gigs/worker", data=data)
        assert response.status_code == 400
        assert "请刷新页面后重新提交" in response.get_data(as_text=True)
        assert session.scalar(select(func.count()).select_from(GigWorker)) == 0
        refused = client.post("/gigs/requests/new", data=tomorrow_form())
        assert refused.status_code == 400

        token = csrf_token(client, "/gigs/worker")
        response = client.post("/gigs/worker", data={**data, "csrf_token": token})
        assert response.status_code == 303
        assert session.scalar(select(func.count()).select_from(GigWorker)) == 1
    finally:
        session.close()


def test_after_the_work_the_requester_completes_and_rates_each_worker(
    app: Flask, session: Session, rds: redis.Redis
) -> None:
    employer = person(session, Role.EMPLOYER)
    came, missed = (worker_of(session, rds, person(session)) for _ in range(2))
    then = utcnow() - timedelta(hours=2)
    gig = services.post_request(
        session,
        rds,
        title="扇贝装箱",
        starts_at=then + timedelta(hours=1),
        ends_at=then + timedelta(hours=5),
        pay_amount=30,
        pay_unit=PayUnit.HOUR,
        headcount=2,
        place_code=VILLAGE_0,
        urgent=True,
        requester_user_id=employer.id,
        now=then,
    )
    for worker in (came, missed):
        services.accept_offer(session, rds, offer_for(session, worker).id, now=then)
    boss = signed_in(app, employer)
    page = boss.get(f"/gigs/requests/{gig.id}").get_data(as_text=True)
    assert "确认完工" in page

    response = boss.post(f"/gigs/requests/{gig.id}/complete", data={"no_shows": [str(missed.id)]})
    assert response.status_code == 303
    assert offer_for(session, came).status == OfferStatus.COMPLETED
    assert offer_for(session, missed).status == OfferStatus.NO_SHOW
    page = boss.get(f"/gigs/requests/{gig.id}").get_data(as_text=True)
    assert "给干活的人打分" in page
    assert "data-refresh" not in page  # closed: nothing left to watch

    boss.post(f"/gigs/requests/{gig.id}/rate/{came.id}", data={"score": "6"})
    response = boss.post(
        f"/gigs/requests/{gig.id}/rate/{came.id}", data={"score": "4", "comment": "干活利索"}
    )
    assert "谢谢评价" in boss.get(response.headers["Location"]).get_data(as_text=True)
    session.expire_all()
    rated = session.get(GigWorker, came.id)
    assert rated is not None
    assert (rated.rating_count, rated.rating_sum) == (1, 4)
    again = boss.post(
        f"/gigs/requests/{gig.id}/rate/{came.id}", data={"score": "5"}, follow_redirects=True
    )
    assert "已经评价过了" in again.get_data(as_text=True)


def test_the_requester_cancels_and_station_staff_may_watch_requests_of_their_area(
    app: Flask, session: Session, rds: redis.Redis
) -> None:
    staff = _station(session)
    employer = person(session, Role.EMPLOYER)
    worker = worker_of(session, rds, person(session, phone="17088880005"))
    boss = signed_in(app, employer)
    location = boss.post("/gigs/requests/new", data=tomorrow_form()).headers["Location"]
    services.accept_offer(session, rds, offer_for(session, worker).id)

    station_page = signed_in(app, staff).get(location).get_data(as_text=True)
    assert "<strong>1/2</strong>已接单/需要人数" in station_page
    assert "170****0005" in station_page  # staff who did not post it see the number masked
    assert "17088880005" not in station_page

    gig_id = int(location.rsplit("/", 1)[1])
    response = boss.post(f"/gigs/requests/{gig_id}/cancel", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "已取消" in page
    assert offer_for(session, worker).status == OfferStatus.CANCELLED


def test_the_desk_says_when_it_lists_only_the_newest_and_finds_the_others(
    app: Flask, session: Session, rds: redis.Redis
) -> None:
    staff = _station(session)
    for n in range(DESK_WORKERS + 2):
        profile = services.walk_in_profile(
            session, staff.service_point_id, f"村民{n:02d}号", f"170777{n:05d}", VILLAGE_3
        )
        services.register_worker(
            session, rds, profile.id, skills=["搬运"], place_code=VILLAGE_3,
            registered_by_point_id=staff.service_point_id,
        )  # fmt: skip
    desk = signed_in(app, staff)

    page = desk.get("/gigs/desk").get_data(as_text=True)

    assert f"共 {DESK_WORKERS + 2} 位" in page
    assert f"最近登记的 {DESK_WORKERS} 位" in page
    assert "村民00号" not in page  # the oldest is not listed...
    found = desk.get("/gigs/desk?who=村民00").get_data(as_text=True)
    assert "村民00号" in found  # ...but found by name
    assert "村民01号" not in found
    by_phone = desk.get("/gigs/desk?who=00001").get_data(as_text=True)
    assert "村民01号" in by_phone
    assert "17077700001" not in by_phone  # still masked
    assert "符合“没有这人”的有 0 位" in desk.get("/gigs/desk?who=没有这人").get_data(as_text=True)
