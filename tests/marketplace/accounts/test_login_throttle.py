"""Failed sign-ins counted in a real Redis: guessing stops after a few tries."""

from __future__ import annotations

from typing import Any

import pytest
import redis
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from marketplace.accounts import throttle
from tests.marketplace.accounts import factories
from tests.marketplace.accounts.helpers import log_in
from tests.marketplace.api.contract import PREFIX, ApiClient

PHONE = "13912345678"
PASSWORD = factories.PASSWORD


@pytest.fixture
def app_config(app_config: dict[str, Any], redis_url: str) -> dict[str, Any]:
    return {**app_config, "REDIS_URL": redis_url}


@pytest.fixture
def seeker(session: Session) -> None:
    factories.user(session, phone=PHONE, display_name="王海燕")
    factories.user(session, phone="13800001111", display_name="李强")
    session.commit()


@pytest.mark.usefixtures("seeker")
def test_five_wrong_passwords_stop_the_sixth_try_even_with_the_right_one(
    client: FlaskClient, redis_url: str
) -> None:
    for _ in range(throttle.ACCOUNT_LIMIT):
        assert log_in(client, PHONE, "wrong-password").status_code == 401

    # the same phone typed with spaces is the same login
    refused = log_in(client, "139 1234 5678", PASSWORD)

    assert refused.status_code == 429
    assert "登录失败次数过多，请 15 分钟后再试" in refused.get_data(as_text=True)
    assert "欢迎回来" not in client.get("/").get_data(as_text=True)
    # another account from the same address still signs in
    assert log_in(client, "13800001111", PASSWORD).status_code == 302
    # Redis holds a count under a hash, never the phone number, and forgets it in 15 minutes
    store = redis.Redis.from_url(redis_url, decode_responses=True)
    keys = store.keys("*")
    assert keys
    assert not any(PHONE in key for key in keys)
    assert 0 < store.ttl(next(k for k in keys if ":login:" in k)) <= throttle.WINDOW_SECONDS


@pytest.mark.usefixtures("seeker")
def test_a_success_clears_the_account_count(client: FlaskClient) -> None:
    for _ in range(throttle.ACCOUNT_LIMIT - 1):
        assert log_in(client, PHONE, "wrong-password").status_code == 401
    assert log_in(client, PHONE, PASSWORD).status_code == 302
    client.post("/logout")

    for _ in range(throttle.ACCOUNT_LIMIT - 1):
        assert log_in(client, PHONE, "wrong-password").status_code == 401
    assert log_in(client, PHONE, PASSWORD).status_code == 302


@pytest.mark.usefixtures("seeker")
def test_one_address_guessing_many_logins_is_stopped(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(throttle, "ADDRESS_LIMIT", 3)
    for n in range(3):
        assert log_in(client, f"1370000000{n}", "wrong-password").status_code == 401

    assert log_in(client, PHONE, PASSWORD).status_code == 429


@pytest.mark.usefixtures("seeker")
def test_the_api_answers_429_with_the_same_message(app: Flask) -> None:
    api = ApiClient(app)
    for _ in range(throttle.ACCOUNT_LIMIT):
        wrong = api.post(f"{PREFIX}/session", json={"login": PHONE, "password": "wrong-pass"})
        assert wrong.status_code == 401

    refused = api.post(f"{PREFIX}/session", json={"login": PHONE, "password": PASSWORD})

    assert refused.status_code == 429
    error = refused.get_json()["error"]
    assert error["code"] == "too_many_attempts"
    assert "15 分钟后再试" in error["message"]
    assert api.get(f"{PREFIX}/session").get_json()["user"] is None


def test_without_redis_sign_in_goes_on_uncounted(
    app_config: dict[str, Any], session: Session
) -> None:
    from marketplace import create_app

    factories.user(session, phone=PHONE)
    session.commit()
    app = create_app({**app_config, "REDIS_URL": None})
    client = app.test_client()
    for _ in range(throttle.ACCOUNT_LIMIT + 2):
        assert log_in(client, PHONE, "wrong-password").status_code == 401

    assert log_in(client, PHONE, PASSWORD).status_code == 302
    app.extensions["jiuye.database"].dispose()


def test_behind_a_proxy_each_client_address_counts_for_itself(
    app_config: dict[str, Any], session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    from marketplace import create_app

    monkeypatch.setattr(throttle, "ADDRESS_LIMIT", 3)
    app = create_app({**app_config, "PROXY_HOPS": 1})
    client = app.test_client()

    def attempt(login: str, password: str, address: str) -> int:
        forwarded = {"X-Forwarded-For": address}
        data = {"login": login, "password": password}
        return client.post("/login", data=data, headers=forwarded).status_code

    for n in range(3):
        assert attempt(f"1370000000{n}", "wrong-password", "203.0.113.7") == 401
    # that address is stopped; another behind the same proxy is not
    assert attempt("13700000009", "wrong-password", "203.0.113.7") == 429
    assert attempt("13700000009", "wrong-password", "198.51.100.4") == 401
    app.extensions["jiuye.database"].dispose()
