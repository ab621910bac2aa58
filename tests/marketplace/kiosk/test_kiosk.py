"""Kiosk mode through the test client: real SQLite, real Redis, the real clock."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from indexer.salary import Salary, SalaryUnit
from marketplace import create_app
from marketplace.accounts.models import KioskDevice, Role, User
from marketplace.database import get_database, utcnow
from marketplace.employers.models import Verification
from marketplace.errors import Forbidden
from marketplace.gigs import services as gig_services
from marketplace.gigs.models import GigOffer, GigRequest, GigWorker, OfferStatus, PayUnit
from marketplace.jobs.models import JobStatus
from marketplace.jobs.services import change_status
from marketplace.kiosk import services
from marketplace.kiosk.views import COOKIE
from marketplace.localtime import LOCAL_OFFSET
from marketplace.places.models import Place, PlaceLevel, ServicePoint
from marketplace.search.engine import get_search, rebuild_index
from marketplace.seekers.models import SeekerProfile
from tests.marketplace import factories
from tests.marketplace.accounts import factories as accounts
from tests.marketplace.accounts.helpers import log_in
from tests.marketplace.gigs import factories as gig_factories

STATIC = Path(__file__).resolve().parents[3] / "marketplace" / "static"
VILLAGE_3 = gig_factories.VILLAGES[3.0]


def tomorrow() -> str:
    return (utcnow() + LOCAL_OFFSET + timedelta(days=1)).date().isoformat()


def another_point(session: Session) -> ServicePoint:
    """别的站, in another town."""
    session.add(Place(code="371082100", name="别镇", level=PlaceLevel.TOWN, parent_code="371082"))
    other = ServicePoint(name="别的站", level="town", place_code="371082100", lat=37.1, lng=122.4)
    session.add(other)
    session.commit()
    return other


# ---- enrolment ---------------------------------------------------------------------------------


def test_a_good_token_enrols_the_terminal_with_a_strict_httponly_cookie(
    app: Flask, token: str
) -> None:
    client = app.test_client()
    assert "登记这台自助终端" in client.get("/kiosk/enroll").get_data(as_text=True)
    # as staff read it out: grouped, lower case, with spaces
    typed = " " + services.grouped(token).lower().replace("-", " - ") + " "
    response = client.post("/kiosk/enroll", data={"token": typed})
    assert response.status_code == 303
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith(COOKIE))
    assert "HttpOnly" in cookie
    assert "SameSite=Strict" in cookie
    assert "Path=/" in cookie
    assert token not in cookie
    assert "您好，请选择要办的事" in client.get("/kiosk/").get_data(as_text=True)


def test_only_the_tokens_hash_is_stored(session: Session, token: str) -> None:
    device = session.scalar(select(KioskDevice))
    assert device is not None
    assert device.token_hash == services.hash_token(token)
    assert token not in device.token_hash


def test_a_bad_token_is_refused(app: Flask, token: str) -> None:
    client = app.test_client()
    response = client.post("/kiosk/enroll", data={"token": "WRONG-TOKEN-0000"})
    assert response.status_code == 200
    assert "口令不正确" in response.get_data(as_text=True)
    assert client.get_cookie(COOKIE) is None
    assert client.get("/kiosk/").status_code == 303


def test_a_deactivated_device_can_neither_enrol_nor_stay_in(
    app: Flask, session: Session, kiosk: FlaskClient, token: str, station_staff: User
) -> None:
    device = session.scalar(select(KioskDevice))
    assert device is not None
    services.deactivate_device(session, station_staff, device.id)
    response = kiosk.get("/kiosk/")
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/kiosk/enroll")
    again = app.test_client().post("/kiosk/enroll", data={"token": token})
    assert "已停用" in again.get_data(as_text=True)


def test_kiosk_pages_refuse_without_a_device(app: Flask, point: ServicePoint) -> None:
    client = app.test_client()
    for path in ("/kiosk/", "/kiosk/work", "/kiosk/workers/new", "/kiosk/requests/new"):
        response = client.get(path)
        assert response.status_code == 303, path
        assert response.headers["Location"].endswith("/kiosk/enroll")
    client.set_cookie(COOKIE, "forged-value")
    assert client.get("/kiosk/").status_code == 303


def test_staff_register_a_device_and_see_its_token_once(
    app: Flask, session: Session, station_staff: User, point: ServicePoint
) -> None:
    client = app.test_client()
    assert log_in(client, station_staff.username, accounts.PASSWORD).status_code == 302
    response = client.post(
        "/kiosk/devices", data={"name": "大厅 2 号", "service_point": str(point.id)}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    match = re.search(r'class="token">([A-Z0-9-]+)<', page)
    assert match is not None
    device = session.scalar(select(KioskDevice).where(KioskDevice.name == "大厅 2 号"))
    assert device is not None
    assert device.token_hash == services.hash_token(match.group(1))
    assert "/kiosk/enroll?token=" in page
    listing = client.get("/kiosk/devices").get_data(as_text=True)
    assert "大厅 2 号" in listing
    assert match.group(1) not in listing  # shown once
    response = client.post(f"/kiosk/devices/{device.id}/deactivate")
    assert response.status_code == 303
    session.expire_all()
    assert session.get(KioskDevice, device.id).is_active is False  # type: ignore[union-attr]


def test_staff_find_the_terminal_page_from_the_desk_and_the_workbench(
    app: Flask, station_staff: User, token: str
) -> None:
    enroll = app.test_client().get("/kiosk/enroll").get_data(as_text=True)
    assert "自助终端管理" in enroll  # where the code comes from
    client = app.test_client()
    assert log_in(client, station_staff.username, accounts.PASSWORD).status_code == 302
    for page in ("/gigs/desk", "/staff/"):
        html = client.get(page).get_data(as_text=True)
        assert 'href="/kiosk/devices"' in html, page
        assert "自助终端管理" in html, page
    assert "大厅 1 号" in client.get("/kiosk/devices").get_data(as_text=True)


def test_staff_of_another_point_cannot_register_for_this_one(
    session: Session, point: ServicePoint
) -> None:
    other = another_point(session)
    stranger = accounts.user(session, Role.STAFF, service_point_id=other.id)
    session.commit()
    assert point.id not in {p.id for p in services.points_for(session, stranger)}
    with pytest.raises(Forbidden):
        services.create_device(session, stranger, "x", point.id)


def test_a_seeker_cannot_reach_the_device_pages(app: Flask, session: Session) -> None:
    seeker = accounts.user(session, Role.SEEKER)
    session.commit()
    client = app.test_client()
    log_in(client, seeker.username, accounts.PASSWORD)
    assert client.get("/kiosk/devices").status_code == 403


# ---- what a terminal may reach -----------------------------------------------------------------


def test_a_kiosk_gets_a_friendly_403_on_staff_employer_and_sign_in_pages(
    kiosk: FlaskClient,
) -> None:
    for path in (
        "/staff/",
        "/staff/dashboard/",
        "/employer/",
        "/employer/jobs",
        "/gigs/desk",
        "/gigs/desk/workers/new",
        "/api/v1/employer/jobs",
        "/kiosk/devices",
        # nobody signs in on a shared terminal
        "/login",
        "/signup/seeker",
        "/profile",
        "/me/applications",
        "/api/v1/session",
    ):
        response = kiosk.get(path)
        assert response.status_code == 403, path
        assert "不能在自助终端上打开" in response.get_data(as_text=True)
    assert kiosk.get("/").status_code == 200  # the public site is fine


def test_a_missing_kiosk_page_keeps_the_kiosk_frame_without_a_sign_in_link(
    kiosk: FlaskClient,
) -> None:
    response = kiosk.get("/kiosk/no-such-page")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "页面不存在" in page
    assert 'class="kiosk' in page
    assert "登录" not in page
    assert 'data-idle="90"' in page  # the visit is still forgotten when left
    assert 'href="/kiosk/reset"' in page


def test_every_kiosk_response_is_no_store(kiosk: FlaskClient) -> None:
    for path in ("/kiosk/", "/kiosk/work", "/kiosk/workers/new", "/kiosk/enroll", "/kiosk/reset"):
        response = kiosk.get(path)
        assert response.headers["Cache-Control"].startswith("no-store"), path
        assert response.headers["Pragma"] == "no-cache"
    assert kiosk.get("/staff/").headers["Cache-Control"].startswith("no-store")


def test_kiosk_forms_work_over_https_where_the_csrf_check_wants_the_referrer(
    app_config: dict[str, Any], token: str
) -> None:
    protected = create_app({**app_config, "WTF_CSRF_ENABLED": True})
    try:
        client = protected.test_client()
        https = "https://localhost"
        page = client.get("/kiosk/enroll", base_url=https)
        # what the browser is told to send with the next post: the page's address, to us only
        assert page.headers["Referrer-Policy"] == "same-origin"
        form = page.get_data(as_text=True)
        found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form)
        assert found is not None
        data = {"csrf_token": found.group(1), "token": token}
        # without the Referer (what no-referrer made browsers do) HTTPS refuses the post
        assert client.post("/kiosk/enroll", data=data, base_url=https).status_code == 400
        sent = client.post(
            "/kiosk/enroll", data=data, base_url=https, headers={"Referer": f"{https}/kiosk/enroll"}
        )
        assert sent.status_code == 303
    finally:
        protected.extensions["jiuye.database"].dispose()


def test_reset_clears_the_session_but_keeps_the_device(kiosk: FlaskClient) -> None:
    with kiosk.session_transaction() as flask_session:
        flask_session["kiosk_done"] = ["worker", 1]
        flask_session["anything"] = "personal"
    response = kiosk.get("/kiosk/reset")
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/kiosk/")
    with kiosk.session_transaction() as flask_session:
        assert dict(flask_session) == {}
    assert kiosk.get_cookie(COOKIE) is not None
    assert kiosk.get("/kiosk/").status_code == 200


def test_pages_carry_the_idle_seconds_from_config(app: Flask, kiosk: FlaskClient) -> None:
    assert 'data-idle="90"' in kiosk.get("/kiosk/work").get_data(as_text=True)
    app.config["KIOSK_IDLE_SECONDS"] = 5
    assert 'data-idle="5"' in kiosk.get("/kiosk/workers/new").get_data(as_text=True)
    assert "data-idle" not in kiosk.get("/kiosk/").get_data(as_text=True)


def test_no_page_uses_browser_storage() -> None:
    script = (STATIC / "kiosk.js").read_text()
    assert "localStorage" not in script
    assert "sessionStorage" not in script
    assert "document.cookie" not in script


# ---- walk-in flows -----------------------------------------------------------------------------


def test_a_walk_in_worker_registers_in_one_post_and_sees_only_the_masked_phone(
    kiosk: FlaskClient, session: Session, point: ServicePoint
) -> None:
    page = kiosk.get("/kiosk/workers/new").get_data(as_text=True)
    assert "📦" in page
    assert 'type="checkbox" name="skills" value="水产加工"' in page
    response = kiosk.post(
        "/kiosk/workers/new",
        data={
            "name": "刘大姐",
            "phone": "170 7777 0102",
            "skills": ["水产加工", "搬运"],
            "place": VILLAGE_3,
            "days": list("123456"),
            "shift": "morning",
        },
    )
    assert response.status_code == 303, response.get_data(as_text=True)
    worker = session.scalar(select(GigWorker))
    assert worker is not None
    assert worker.seeker.user_id is None
    assert worker.seeker.name == "刘大姐"
    assert worker.seeker.phone == "17077770102"
    assert worker.registered_by_point_id == point.id
    assert (worker.days, str(worker.available_from), str(worker.available_until)) == (
        "123456",
        "06:00:00",
        "12:00:00",
    )
    done = kiosk.get(response.headers["Location"])
    text = done.get_data(as_text=True)
    assert "170****0102" in text
    assert "17077770102" not in text
    assert "刘大姐" not in text
    with kiosk.session_transaction() as flask_session:
        assert dict(flask_session) == {}
    # shown once: a second look (or another visitor) gets nothing
    assert kiosk.get(response.headers["Location"]).status_code == 404


def test_a_returning_walk_in_worker_is_updated_not_duplicated(
    kiosk: FlaskClient, session: Session
) -> None:
    data = {"name": "王师傅", "phone": "17077770103", "skills": ["瓦工"], "place": VILLAGE_3}
    data["days"] = list("1234567")
    kiosk.post("/kiosk/workers/new", data=data)
    worker = session.scalar(select(GigWorker))
    assert worker is not None
    # the rate agreed at the service desk (the terminal does not ask it)
    worker.rate_amount, worker.rate_unit = 220, PayUnit.DAY
    session.commit()

    kiosk.post("/kiosk/workers/new", data={**data, "skills": ["瓦工", "电焊"]})

    assert session.scalar(select(func.count()).select_from(SeekerProfile)) == 1
    session.expire_all()
    worker = session.scalar(select(GigWorker))
    assert worker is not None
    assert worker.skill_set == {"瓦工", "电焊"}
    assert (worker.rate_amount, worker.rate_unit) == (220, PayUnit.DAY)  # not wiped


def test_another_name_for_a_phone_registered_here_is_refused_at_the_terminal(
    kiosk: FlaskClient, session: Session
) -> None:
    data = {"name": "王五", "phone": "17077770105", "skills": ["瓦工"], "place": VILLAGE_3}
    data["days"] = list("1234567")
    assert kiosk.post("/kiosk/workers/new", data=data).status_code == 303

    # anyone at the public terminal typing 王五's number under another name
    refused = kiosk.post("/kiosk/workers/new", data={**data, "name": "赵六", "skills": ["电焊"]})

    page = refused.get_data(as_text=True)
    assert refused.status_code == 200
    assert "登记成功" not in page
    assert gig_services.REGISTERED_HERE in page
    assert "请到服务台找工作人员办理" in page
    assert refused.headers["Cache-Control"].startswith("no-store")
    session.expire_all()
    worker = session.scalar(select(GigWorker))
    assert worker is not None
    assert (worker.seeker.name, worker.skill_set) == ("王五", {"瓦工"})  # untouched
    # the same person again (same name) still updates their registration
    again = kiosk.post("/kiosk/workers/new", data={**data, "skills": ["电焊"]})
    assert again.status_code == 303
    session.expire_all()
    assert session.get(GigWorker, worker.id).skill_set == {"电焊"}  # type: ignore[union-attr]


def test_a_worker_registered_at_another_point_is_the_same_person_here(
    kiosk: FlaskClient, session: Session
) -> None:
    other = another_point(session)
    first = gig_services.walk_in_profile(session, other.id, "王师傅", "17077770104", VILLAGE_3)
    session.commit()
    data = {"name": "王师傅", "phone": "17077770104", "skills": ["瓦工"], "place": VILLAGE_3}
    data["days"] = list("1234567")
    # someone else's number typed here: refused, not renamed
    refused = kiosk.post("/kiosk/workers/new", data={**data, "name": "张冒名"})
    assert refused.status_code == 200
    assert gig_services.REGISTERED_ELSEWHERE in refused.get_data(as_text=True)

    response = kiosk.post("/kiosk/workers/new", data=data)

    assert response.status_code == 303
    assert session.scalar(select(func.count()).select_from(SeekerProfile)) == 1
    worker = session.scalar(select(GigWorker))
    assert worker is not None
    assert worker.seeker_id == first.id  # one person, one worker: never booked twice at once


def test_an_account_holders_phone_is_refused_at_the_terminal(
    kiosk: FlaskClient, session: Session
) -> None:
    holder = accounts.user(session, Role.SEEKER)
    session.commit()
    data = {"name": "张三", "phone": holder.phone, "skills": ["瓦工"], "place": VILLAGE_3}

    response = kiosk.post("/kiosk/workers/new", data={**data, "days": list("1234567")})

    assert response.status_code == 200
    assert gig_services.HAS_ACCOUNT in response.get_data(as_text=True)
    assert session.scalar(select(func.count()).select_from(SeekerProfile)) == 0
    assert session.scalar(select(func.count()).select_from(GigWorker)) == 0
    # an employer's account with the number is no seeker's: the walk-in registers
    boss = accounts.user(session, Role.EMPLOYER)
    session.commit()
    response = kiosk.post(
        "/kiosk/workers/new", data={**data, "phone": boss.phone, "days": list("1234567")}
    )
    assert response.status_code == 303


def test_bad_worker_input_says_why_and_saves_nothing(kiosk: FlaskClient, session: Session) -> None:
    response = kiosk.post(
        "/kiosk/workers/new", data={"name": "", "phone": "123", "place": VILLAGE_3}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "请填写姓名" in page
    assert "请至少选择一项技能" in page
    assert session.scalar(select(func.count()).select_from(GigWorker)) == 0


def test_an_instant_request_for_a_villager_dispatches_offers(
    kiosk: FlaskClient, session: Session, point: ServicePoint
) -> None:
    # two workers nearby (registered at the terminal) and the request posted from it
    for n, phone in enumerate(("17077770201", "17077770202")):
        kiosk.post(
            "/kiosk/workers/new",
            data={
                "name": f"零工{n}",
                "phone": phone,
                "skills": ["装卸"],
                "place": VILLAGE_3,
                "days": list("1234567"),
            },
        )
    page = kiosk.get("/kiosk/requests/new").get_data(as_text=True)
    assert 'name="urgent" value="y" checked' in page
    response = kiosk.post(
        "/kiosk/requests/new",
        data={
            "contact_name": "张大爷",
            "contact_phone": "17077770299",
            "skills": ["装卸"],
            "place": gig_factories.VILLAGES[0.0],
            "work_date": tomorrow(),
            "start_time": "08:00",
            "end_time": "17:00",
            "headcount": "1",
            "pay_amount": "200",
            "pay_unit": "day",
            "urgent": "y",
        },
    )
    assert response.status_code == 303, response.get_data(as_text=True)
    gig = session.scalar(select(GigRequest))
    assert gig is not None
    assert (gig.title, gig.service_point_id, gig.contact_name) == ("装卸零工", point.id, "张大爷")
    assert gig.requester_user_id is None
    offers = session.scalars(select(GigOffer).where(GigOffer.request_id == gig.id)).all()
    assert offers
    assert all(o.status == OfferStatus.OFFERED for o in offers)
    done = kiosk.get(response.headers["Location"]).get_data(as_text=True)
    assert f"已派给附近 {len(offers)} 位零工" in done
    assert "170****0299" in done
    assert "17077770299" not in done


def test_a_request_without_work_named_is_refused(kiosk: FlaskClient, session: Session) -> None:
    response = kiosk.post(
        "/kiosk/requests/new",
        data={"contact_name": "张大爷", "contact_phone": "17077770299", "place": VILLAGE_3},
    )
    assert "请选择要干的活" in response.get_data(as_text=True)
    assert session.scalar(select(func.count()).select_from(GigRequest)) == 0


# ---- work near the service point, details and slips --------------------------------------------


def _published_job(session: Session, title: str, km: float) -> int:
    lng, lat = gig_factories.point_west(km)
    job = factories.job(
        session,
        title=title,
        lat=lat,
        lng=lng,
        salary=Salary(min=200, max=260, unit=SalaryUnit.DAY, months=None),
    )
    change_status(session, job, JobStatus.PENDING_REVIEW)
    change_status(session, job, JobStatus.PUBLISHED)
    session.commit()
    return job.id


def test_nearby_work_lists_jobs_and_odd_jobs_nearest_first(
    app: Flask, kiosk: FlaskClient, session: Session, point: ServicePoint
) -> None:
    far = _published_job(session, "远处的海参加工", 9.0)
    near = _published_job(session, "近处的扇贝分拣", 1.0)
    _published_job(session, "很远的职位", 80.0)
    rebuild_index(get_search(app), session)
    requester = gig_factories.user(session)
    lng, lat = gig_factories.point_west(4.0)
    starts = utcnow() + timedelta(days=1)
    gig_services.post_request(
        session,
        app.extensions["jiuye.redis"].client(),
        title="码头卸货",
        starts_at=starts,
        ends_at=starts + timedelta(hours=6),
        pay_amount=220,
        pay_unit=PayUnit.DAY,
        headcount=2,
        lng=lng,
        lat=lat,
        requester_user_id=requester.id,
    )
    page = kiosk.get("/kiosk/work").get_data(as_text=True)
    order = [page.index(t) for t in ("近处的扇贝分拣", "码头卸货", "远处的海参加工")]
    assert order == sorted(order)
    assert "很远的职位" not in page
    assert "约 1.0 公里" in page
    assert "日薪 200–260 元/天" in page
    assert "220 元/天" in page
    assert f"/kiosk/jobs/{near}" in page
    assert f"/kiosk/jobs/{far}" in page
    gigs_page = kiosk.get("/kiosk/gigs").get_data(as_text=True)
    assert "码头卸货" in gigs_page
    assert "近处的扇贝分拣" not in gigs_page


def test_job_detail_offers_print_and_read_aloud(
    app: Flask, kiosk: FlaskClient, session: Session, point: ServicePoint
) -> None:
    job_id = _published_job(session, "扇贝分拣工", 2.0)
    page = kiosk.get(f"/kiosk/jobs/{job_id}").get_data(as_text=True)
    assert "扇贝分拣工" in page
    assert "打印招工单" in page
    assert 'data-speak="扇贝分拣工。' in page
    assert "到服务站咨询" in page


def test_the_slip_has_an_svg_qr_of_the_jobs_public_url(
    app: Flask, kiosk: FlaskClient, session: Session, point: ServicePoint
) -> None:
    job_id = _published_job(session, "扇贝分拣工", 2.0)
    page = kiosk.get(f"/kiosk/jobs/{job_id}/slip").get_data(as_text=True)
    assert '<svg viewBox="' in page
    assert 'class="qr"' in page
    assert f"http://localhost/jobs/{job_id}" in page  # the URL given to segno, as text too
    assert "size: A5" in page
    assert "到服务站咨询" in page
    receipt = kiosk.get(f"/kiosk/jobs/{job_id}/slip?paper=receipt").get_data(as_text=True)
    assert "size: 80mm auto" in receipt
    assert "paper-receipt" in receipt


def test_an_unpublished_job_has_no_kiosk_page(kiosk: FlaskClient, session: Session) -> None:
    draft = factories.job(session)
    session.commit()
    assert kiosk.get(f"/kiosk/jobs/{draft.id}").status_code == 404
    assert kiosk.get(f"/kiosk/jobs/{draft.id}/slip").status_code == 404


def test_page_weight_of_home_and_job_list(
    app: Flask, kiosk: FlaskClient, session: Session, point: ServicePoint
) -> None:
    for km in range(1, 21):
        _published_job(session, f"分拣工{km}", float(km))
    rebuild_index(get_search(app), session)
    assets = 0
    for name in ("kiosk.css", "kiosk.js"):
        with kiosk.get(f"/static/{name}") as response:
            assets += len(response.get_data())
    weights = {}
    for name, path in (("home", "/kiosk/"), ("job list (20 jobs)", "/kiosk/work")):
        html = len(kiosk.get(path).get_data())
        weights[name] = html + assets
        print(f"kiosk page weight, {name}: {html} B HTML + {assets} B CSS/JS = {html + assets} B")
    assert all(total < 60_000 for total in weights.values()), weights


def tomorrow_gig(app: Flask, session: Session, **fields: Any) -> GigRequest:
    """果园摘苹果 in 测试2村 tomorrow, 180 元/天 for three people, posted as `fields` say."""
    starts = utcnow() + timedelta(days=1)
    return gig_services.post_request(
        session,
        app.extensions["jiuye.redis"].client(),
        title="果园摘苹果",
        starts_at=starts,
        ends_at=starts + timedelta(hours=8),
        pay_amount=180,
        pay_unit=PayUnit.DAY,
        headcount=3,
        place_code=VILLAGE_3,
        **fields,
    )


def test_an_odd_job_has_a_screen_and_a_slip_whose_qr_opens_on_any_phone(
    app: Flask, kiosk: FlaskClient, session: Session, point: ServicePoint
) -> None:
    company = factories.employer(session, name="俚岛海产有限公司")
    requester = accounts.user(session, Role.EMPLOYER, employer_id=company.id, phone="17077770201")
    session.commit()
    gig = tomorrow_gig(app, session, requester_user_id=requester.id)
    page = kiosk.get(f"/kiosk/gigs/{gig.id}").get_data(as_text=True)
    assert "果园摘苹果" in page
    assert "180 元/天" in page
    assert "测试2村" in page
    assert "约 3.0 公里" in page
    assert "招聘方</dt><dd>俚岛海产有限公司" in page  # who is hiring, not 零工（急招）
    slip = kiosk.get(f"/kiosk/gigs/{gig.id}/slip").get_data(as_text=True)
    assert 'class="qr"' in slip
    url = f"http://localhost/gigs/open/{gig.id}"
    assert f'扫码查看：<span class="slip-url">{url}</span>' in slip
    assert "/kiosk/gigs/" not in slip.split('class="slip"')[1]

    # a phone that is no kiosk (no device cookie, nobody signed in) opens it
    phone = app.test_client().get(url)
    public = phone.get_data(as_text=True)
    assert phone.status_code == 200
    assert "果园摘苹果" in public
    assert "180 元/天" in public
    assert "测试2村" in public
    assert "招聘方：俚岛海产有限公司" in public
    assert "17077770201" not in public
    assert "登记找零工活" in public
    assert "noindex" in public  # not for search engines to list

    # a name typed at sign-up is shown only once staff have verified it
    company.verification = Verification.PENDING
    session.commit()
    for client, path in ((kiosk, f"/kiosk/gigs/{gig.id}"), (app.test_client(), url)):
        page = client.get(path).get_data(as_text=True)
        assert "单位（未认证）" in page, path
        assert "俚岛海产有限公司" not in page, path

    # once its hours are over (still open: nobody marked it done) it is no longer shown
    with get_database(app).session() as other:
        over = other.get(GigRequest, gig.id)
        assert over is not None
        over.starts_at, over.ends_at = utcnow() - timedelta(hours=9), utcnow() - timedelta(hours=1)
        other.commit()
    assert app.test_client().get(url).status_code == 404


def test_an_odd_job_a_villager_posted_names_no_person_at_the_kiosk_or_in_public(
    app: Flask, kiosk: FlaskClient, session: Session, point: ServicePoint
) -> None:
    gig = tomorrow_gig(
        app, session, service_point_id=point.id, contact_name="张大爷", contact_phone="17077770202"
    )
    for client, path in (
        (kiosk, f"/kiosk/gigs/{gig.id}"),
        (app.test_client(), f"/gigs/open/{gig.id}"),
    ):
        page = client.get(path).get_data(as_text=True)
        assert "个人发布（俚岛镇就业服务站代发）" in page, path
        assert "张大爷" not in page, path
        assert "17077770202" not in page, path
        assert "0202" not in page, path
    gig_services.cancel_request(session, app.extensions["jiuye.redis"].client(), gig.id)
    assert app.test_client().get(f"/gigs/open/{gig.id}").status_code == 404


def test_numbers_typed_into_an_odd_jobs_notes_are_masked_in_public(
    app: Flask, session: Session, point: ServicePoint
) -> None:
    gig = tomorrow_gig(
        app,
        session,
        service_point_id=point.id,
        address="果园东门（看门 170-7777-0301）",
        description="自带手套。联系 170 7777 0302 或17077770303，订单号 2026112712345678",
    )

    page = app.test_client().get(f"/gigs/open/{gig.id}").get_data(as_text=True)

    assert "自带手套" in page
    assert "170****0301" in page
    assert "170****0302" in page
    assert "170****0303" in page
    for digits in ("7777-0301", "7777 0302", "17077770303"):
        assert digits not in page
    assert "2026112712345678" in page  # a longer run of digits is no phone number


def test_the_enrol_link_fills_in_the_token_and_the_ping_is_tiny(
    app: Flask, token: str, session: Session
) -> None:
    client = app.test_client()
    page = client.get(f"/kiosk/enroll?token={token}").get_data(as_text=True)
    assert f'value="{token}"' in page
    assert client.get_cookie(COOKIE) is None  # enrolling takes the button, not the link
    response = client.get("/kiosk/ping")
    assert (response.status_code, response.get_data()) == (204, b"")
    client.post("/kiosk/enroll", data={"token": token})
    device = session.scalar(select(KioskDevice))
    assert device is not None
    session.refresh(device)
    assert device.last_seen_at is not None
