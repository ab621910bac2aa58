"""Fixtures for the API tests: CSRF protection on (as in production), a session, API clients."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask

from tests.marketplace.api.contract import ApiClient


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    return {**app_config, "WTF_CSRF_ENABLED": True}


@pytest.fixture
def api(app: Flask) -> ApiClient:
    return ApiClient(app)


@pytest.fixture
def new_api(app: Flask) -> Callable[[], ApiClient]:
    """Another client with its own cookies (a second phone, a kiosk)."""
    return lambda: ApiClient(app)
