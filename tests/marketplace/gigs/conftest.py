"""Fixtures for the gig tests: the app on a real Redis, a session, and the Redis client."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import redis
from flask import Flask

from marketplace.extensions import get_redis


@pytest.fixture
def app_config(app_config: dict[str, Any], redis_url: str) -> dict[str, Any]:
    return {**app_config, "REDIS_URL": redis_url}


@pytest.fixture
def rds(app: Flask) -> Iterator[redis.Redis]:
    client = get_redis(app)
    yield client
    client.close()
