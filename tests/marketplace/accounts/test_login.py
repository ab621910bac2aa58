"""Login, logout, the header nav, `next` redirects and role checks."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from marketplace.accounts.auth import current_employer, role_required
from marketplace.accounts.models import Role
from marketplace.accounts.views import safe_next
from tests.marketplace import factories as shared
from tests.marketplace.accounts import factories
from tests.marketplace.accounts.helpers import log_in

PASSWORD = factories.PASSWORD


def test_a_seeker_logs_in_by_phone(client: FlaskClient, session: Session) -> None:
    factories.user(session, phone="13912345678", username="haiyan", display_name="王海燕")
    session.commit()
    response = log_in(client, "139 1234 5678", PASSWORD)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    page = client.get("/").get_data(as_text=True)
    assert "欢迎回来，王海燕" in page
    assert "我的资料" in page
    assert "退出" in page


def test_a_phone_typed_in_full_width_digits_logs_in(client: FlaskClient, session: Session) -> None:
    factories.user(session, phone="13912345678", username="haiyan", display_name="王海燕")
    session.commit()
    assert log_in(client, "１３９１２３４５６７８", PASSWORD).status_code == 302


def test_staff_log_in_by_username(client: FlaskClient, session: Session) -> None:
    factories.user(session, Role.STAFF, username="staff", phone=None, display_name="人社局")
    session.commit()
    assert log_in(client, "staff", PASSWORD).status_code == 302
    page = client.get("/profile").get_data(as_text=True)
    assert "工作人员账号" in page
    assert "市级" in page


@pytest.mark.parametrize(
    ("login", "password"), [("13912345678", "wrong-password"), ("13800000000", PASSWORD)]
)
def test_a_failed_login_says_one_thing_whatever_was_wrong(
    client: FlaskClient, session: Session, login: str, password: str
) -> None:
    factories.user(session, phone="13912345678")
    session.commit()
    response = log_in(client, login, password)
    page = response.get_data(as_text=True)
    assert response.status_code == 401
    assert "用户名或密码不正确" in page
    assert "登录" in client.get("/").get_data(as_text=True)
    assert client.get("/profile").status_code == 302


def test_an_inactive_user_cannot_log_in(client: FlaskClient, session: Session) -> None:
    factories.user(session, phone="13912345678", is_active=False)
    session.commit()
    response = log_in(client, "13912345678", PASSWORD)
    assert response.status_code == 401
    assert "该账号已停用" in response.get_data(as_text=True)
    assert client.get("/profile").status_code == 302


def test_a_user_switched_off_is_signed_out_on_the_next_request(
    client: FlaskClient, session: Session
) -> None:
    user = factories.user(session, phone="13912345678")
    session.commit()
    log_in(client, "13912345678", PASSWORD)
    assert client.get("/profile").status_code == 200
    user.is_active = False
    session.commit()
    response = client.get("/profile")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_anonymous_visitors_are_sent_to_login_with_next(client: FlaskClient) -> None:
    response = client.get("/profile")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=%2Fprofile"
    assert "请先登录" in client.get("/login").get_data(as_text=True)


def test_login_goes_back_to_a_page_on_this_site(client: FlaskClient, session: Session) -> None:
    factories.user(session, phone="13912345678")
    session.commit()
    response = log_in(client, "13912345678", PASSWORD, next="/search?q=叉车")
    assert response.headers["Location"] == "/search?q=%E5%8F%89%E8%BD%A6"  # 叉车


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example",
        "\\\\evil.example",
        "https:evil.example",
        "javascript:alert(1)",
        "/ok\r\nLocation: https://evil.example",
    ],
)
def test_login_never_redirects_to_another_site(
    client: FlaskClient, session: Session, target: str
) -> None:
    factories.user(session, phone="13912345678")
    session.commit()
    response = log_in(client, "13912345678", PASSWORD, next=target)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert safe_next(target) is None


def test_logout_is_post_only(client: FlaskClient, session: Session) -> None:
    factories.user(session, phone="13912345678")
    session.commit()
    log_in(client, "13912345678", PASSWORD)
    assert client.get("/logout").status_code == 405
    assert client.get("/profile").status_code == 200
    response = client.post("/logout")
    assert response.status_code == 302
    assert "您已安全退出" in client.get("/").get_data(as_text=True)
    assert client.get("/profile").status_code == 302


def test_anonymous_header_offers_login_and_signup(client: FlaskClient) -> None:
    page = client.get("/").get_data(as_text=True)
    assert 'href="/login"' in page
    assert 'href="/signup"' in page
    assert "退出" not in page


def test_the_wrong_role_gets_403_in_chinese(app: Flask, session: Session) -> None:
    @role_required(Role.STAFF)
    def staff_only() -> str:
        return "staff page"

    app.add_url_rule("/staff-only", view_func=staff_only)
    factories.user(session, Role.STAFF, username="staff", phone=None)
    factories.user(session, phone="13912345678")
    session.commit()

    client = app.test_client()
    assert client.get("/staff-only").status_code == 302  # anonymous: log in first
    log_in(client, "13912345678", PASSWORD)
    response = client.get("/staff-only")
    assert response.status_code == 403
    assert "您没有权限访问此页面" in response.get_data(as_text=True)

    staff = app.test_client()
    log_in(staff, "staff", PASSWORD)
    assert staff.get("/staff-only").get_data(as_text=True) == "staff page"


def test_current_employer_is_refused_to_seekers(app: Flask, session: Session) -> None:
    employer = shared.employer(session)
    factories.user(session, Role.EMPLOYER, phone="13812345678", employer_id=employer.id)
    factories.user(session, phone="13912345678")
    session.commit()

    @role_required(Role.SEEKER, Role.EMPLOYER)
    def mine() -> str:
        return current_employer().name

    app.add_url_rule("/mine", view_func=mine)
    seeker = app.test_client()
    log_in(seeker, "13912345678", PASSWORD)
    assert seeker.get("/mine").status_code == 403
    account = app.test_client()
    log_in(account, "13812345678", PASSWORD)
    assert account.get("/mine").get_data(as_text=True) == employer.name
