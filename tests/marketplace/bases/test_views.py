"""The staff pages for bases: who gets in, registering (shown once), pushes, recruits, CLI."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from marketplace import create_app
from marketplace.accounts.models import Role, User
from marketplace.bases import services
from marketplace.bases.cli import bases_cli
from marketplace.bases.models import BaseDelivery, BaseRecruit, DeliveryState, LabourBase
from marketplace.database import get_database
from tests.marketplace.accounts import factories as accounts
from tests.marketplace.accounts.helpers import csrf_token, log_in
from tests.marketplace.bases import helpers
from tests.marketplace.bases.conftest import Receiver

FORM = {
    "name": "四川广安劳务合作基地",
    "province": "四川省",
    "city": "广安市",
    "contact_name": "刘主任",
    "contact_phone": "13812345678",
    "occupation_prefixes": "6-02，6-18",
    "kinds": ["full_time", "odd_job"],
    "min_monthly_pay": "5000",
    "keywords": "电焊 焊接",
    "districts": "荣成市、文登区",
    "webhook_url": "https://hr.example.cn/jiuye",
    "active": "y",
}


def _base_id(session: Session) -> int:
    session.expire_all()
    return session.scalars(select(LabourBase.id)).one()


# --- who gets in --------------------------------------------------------------------------------

PAGES = ["/bases/", "/bases/new", "/bases/shortage", "/bases/shortage.csv"]


@pytest.mark.parametrize("path", PAGES)
def test_anonymous_visitors_are_sent_to_log_in(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


@pytest.mark.parametrize("role", [Role.SEEKER, Role.EMPLOYER])
@pytest.mark.parametrize("path", PAGES)
def test_other_roles_are_refused(
    client: FlaskClient, session: Session, role: Role, path: str
) -> None:
    user = accounts.user(session, role=role)
    session.commit()
    log_in(client, user.username, accounts.PASSWORD)
    assert client.get(path).status_code == 403


def test_other_roles_cannot_push_rotate_or_record(
    client: FlaskClient, session: Session, staff: User
) -> None:
    created = helpers.base(session, staff)
    seeker = accounts.user(session, role=Role.SEEKER)
    session.commit()
    log_in(client, seeker.username, accounts.PASSWORD)
    for action in ("push", "secret", "token", "recruits", "edit"):
        assert client.post(f"/bases/{created.base.id}/{action}").status_code == 403
    assert client.get(f"/bases/{created.base.id}").status_code == 403


# --- registering and editing --------------------------------------------------------------------


def test_registering_shows_the_secret_and_token_once(
    staff_client: FlaskClient, session: Session
) -> None:
    response = staff_client.post("/bases/new", data=FORM)
    assert response.status_code == 201
    assert response.headers["Cache-Control"] == "no-store"
    page = response.get_data(as_text=True)
    base = session.get(LabourBase, _base_id(session))
    assert base is not None
    assert base.webhook_secret in page
    token = re.search(r"订阅令牌（feed token）</dt>\s*<dd><code class=\"secret\">([^<]+)<", page)
    assert token is not None
    assert services.token_hash(token.group(1)) == base.feed_token_hash
    assert base.occupation_prefixes == ["6-02", "6-18"]
    assert base.kinds == ["full_time", "odd_job"]
    assert base.min_monthly_pay == 5000
    assert base.keywords == ["电焊", "焊接"]
    assert base.districts == ["荣成市", "文登区"]
    # never again: not on the base's page, its edit form or the list
    for path in (f"/bases/{base.id}", f"/bases/{base.id}/edit", "/bases/"):
        assert base.webhook_secret not in staff_client.get(path).get_data(as_text=True)


def test_the_list_masks_contact_phones_and_counts_recruits(
    staff_client: FlaskClient, session: Session, staff: User
) -> None:
    created = helpers.base(session, staff, contact_name="刘主任", contact_phone="13812345678")
    services.record_recruit(session, staff, created.base, person_name="王大力")
    services.record_recruit(session, staff, created.base, person_name="李二")
    session.commit()
    page = staff_client.get("/bases/").get_data(as_text=True)
    assert "138****5678" in page
    assert "13812345678" not in page
    assert "2 人" in page


@pytest.mark.parametrize(
    ("field", "value"),
    [("name", ""), ("webhook_url", "ftp://hr.example.cn"), ("occupation_prefixes", "焊工")],
)
def test_a_bad_form_is_shown_again(
    staff_client: FlaskClient, session: Session, field: str, value: str
) -> None:
    response = staff_client.post("/bases/new", data={**FORM, field: value})
    assert response.status_code == 400
    assert session.scalars(select(LabourBase)).first() is None


def test_editing_keeps_the_secret(staff_client: FlaskClient, session: Session, staff: User) -> None:
    created = helpers.base(session, staff)
    response = staff_client.post(f"/bases/{created.base.id}/edit", data={**FORM, "active": ""})
    assert response.status_code == 303
    session.expire_all()
    base = session.get(LabourBase, created.base.id)
    assert base is not None
    assert base.name == "四川广安劳务合作基地"
    assert base.active is False
    assert base.webhook_secret == created.secret


def test_rotating_the_secret_shows_the_new_one_once(
    staff_client: FlaskClient, session: Session, staff: User
) -> None:
    created = helpers.base(session, staff)
    response = staff_client.post(f"/bases/{created.base.id}/secret")
    assert response.status_code == 200
    session.expire_all()
    base = session.get(LabourBase, created.base.id)
    assert base is not None
    assert base.webhook_secret != created.secret
    assert base.webhook_secret in response.get_data(as_text=True)


def test_an_unknown_base_is_404(staff_client: FlaskClient) -> None:
    assert staff_client.get("/bases/999").status_code == 404


# --- push now -----------------------------------------------------------------------------------


def test_push_now_sends_at_once_and_logs(
    staff_client: FlaskClient, session: Session, staff: User, receiver: Receiver
) -> None:
    helpers.published(session, key=True, title="船舶电焊工")
    created = helpers.base(session, staff, webhook_url=receiver.url)
    response = staff_client.post(f"/bases/{created.base.id}/push")
    assert response.status_code == 303
    assert len(receiver.received) == 1
    page = staff_client.get(f"/bases/{created.base.id}").get_data(as_text=True)
    assert "已送达" in page
    assert "HTTP 200" in page
    # a second push now sends a fresh digest even though the last one is recent
    staff_client.post(f"/bases/{created.base.id}/push")
    assert len(receiver.received) == 2


def test_push_now_without_a_webhook_sends_nothing(
    staff_client: FlaskClient, session: Session, staff: User
) -> None:
    created = helpers.base(session, staff)
    assert staff_client.post(f"/bases/{created.base.id}/push").status_code == 303
    assert session.scalars(select(BaseDelivery)).first() is None


# --- recruits -----------------------------------------------------------------------------------


def test_recording_a_hired_application_and_a_walk_in(
    staff_client: FlaskClient, session: Session, staff: User
) -> None:
    job = helpers.published(session)
    [hired] = helpers.applications(session, job, hired=1)
    created = helpers.base(session, staff)
    url = f"/bases/{created.base.id}/recruits"
    response = staff_client.post(url, data={"recruit-application_id": str(hired.id)})
    assert response.status_code == 303
    response = staff_client.post(
        url, data={"recruit-person_name": "张铁柱", "recruit-note": "现场"}
    )
    assert response.status_code == 303
    recruits = session.scalars(select(BaseRecruit).order_by(BaseRecruit.id)).all()
    assert [(r.application_id, r.job_id, r.person_name) for r in recruits] == [
        (hired.id, job.id, hired.seeker.name),
        (None, None, "张铁柱"),
    ]
    assert recruits[0].recorded_by == staff.id


def test_an_application_not_hired_or_already_credited_is_refused(
    staff_client: FlaskClient, session: Session, staff: User
) -> None:
    job = helpers.published(session)
    [hired, waiting] = helpers.applications(session, job, hired=1, other=1)
    created = helpers.base(session, staff)
    other = helpers.base(session, staff, name="贵州毕节劳务合作基地")
    url = f"/bases/{created.base.id}/recruits"
    response = staff_client.post(url, data={"recruit-application_id": str(waiting.id)})
    assert response.status_code == 400
    assert "还没有录用" in response.get_data(as_text=True)
    assert staff_client.post(url, data={"recruit-application_id": str(hired.id)}).status_code == 303
    response = staff_client.post(
        f"/bases/{other.base.id}/recruits", data={"recruit-application_id": str(hired.id)}
    )
    assert response.status_code == 409
    assert staff_client.post(url, data={}).status_code == 400
    assert len(session.scalars(select(BaseRecruit)).all()) == 1


# --- CSRF ---------------------------------------------------------------------------------------


@pytest.fixture
def protected(app_config: dict[str, Any]) -> Iterator[tuple[Flask, FlaskClient]]:
    app = create_app({**app_config, "WTF_CSRF_ENABLED": True})
    yield app, app.test_client()
    app.extensions["jiuye.database"].dispose()


def test_staff_forms_need_the_token(protected: tuple[Flask, FlaskClient]) -> None:
    app, client = protected
    session = get_database(app).session()
    staff = accounts.user(session, role=Role.STAFF)
    created = helpers.base(session, staff)
    base_id, secret = created.base.id, created.secret
    session.close()
    token = csrf_token(client, "/login")
    client.post(
        "/login",
        data={"login": staff.username, "password": accounts.PASSWORD, "csrf_token": token},
    )
    assert client.post("/bases/new", data=FORM).status_code == 400
    for action in ("push", "secret", "token", "recruits"):
        assert client.post(f"/bases/{base_id}/{action}").status_code == 400
    token = csrf_token(client, f"/bases/{base_id}")
    response = client.post(f"/bases/{base_id}/secret", data={"csrf_token": token})
    assert response.status_code == 200
    session = get_database(app).session()
    base = session.get(LabourBase, base_id)
    assert base is not None
    assert base.webhook_secret != secret
    session.close()


# --- flask bases push ---------------------------------------------------------------------------


def test_the_push_command_sends_due_digests(
    app: Flask, session: Session, staff: User, receiver: Receiver
) -> None:
    helpers.published(session)
    created = helpers.base(session, staff, webhook_url=receiver.url)
    helpers.base(session, staff, name="不在本次推送", webhook_url=receiver.url)
    app.config["PUBLIC_BASE_URL"] = "https://jiuye.example.cn"
    result = app.test_cli_runner().invoke(bases_cli, ["push", "--base", str(created.base.id)])
    assert result.exit_code == 0, result.output
    assert "1 new digests, 1 attempts: 1 delivered" in result.output
    assert len(receiver.received) == 1
    assert b"https://jiuye.example.cn/jobs/" in receiver.received[0].body
    session.expire_all()
    [delivery] = session.scalars(select(BaseDelivery)).all()
    assert delivery.state == DeliveryState.DELIVERED
    # run again at once: nothing is due
    result = app.test_cli_runner().invoke(bases_cli, ["push", "--base", str(created.base.id)])
    assert "0 new digests, 0 attempts" in result.output
