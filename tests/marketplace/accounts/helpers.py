"""Helpers for driving the account pages through the test client."""

from __future__ import annotations

import re

from flask.testing import FlaskClient
from werkzeug.test import TestResponse


def csrf_token(client: FlaskClient, path: str) -> str:
    """The CSRF token from the form on the page at `path`."""
    page = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    assert match is not None, "no CSRF token on the page"
    return match.group(1)


def log_in(client: FlaskClient, login: str, password: str, **query: str) -> TestResponse:
    return client.post("/login", data={"login": login, "password": password}, query_string=query)
