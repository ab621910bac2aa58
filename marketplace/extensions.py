"""Per-app clients kept in `app.extensions`: Redis and the search engine, built lazily.

The SQL database has its own module (`database.py`). Nothing connects when the app is created:
each client connects on first use, after gunicorn has forked its workers.
"""

from __future__ import annotations

import redis
from flask import Flask, current_app

REDIS_KEY = "jiuye.redis"
SEARCH_KEY = "jiuye.search"


class RedisUnavailable(RuntimeError):
    """No Redis is configured for this app."""


class RedisHolder:
    """Builds the redis-py client for REDIS_URL on first use."""

    def __init__(self, url: str | None, timeout: float) -> None:
        self.url = url
        self.timeout = timeout
        self._client: redis.Redis | None = None

    def client(self) -> redis.Redis:
        if not self.url:
            raise RedisUnavailable("REDIS_URL is not set")
        if self._client is None:
            self._client = redis.Redis.from_url(
                self.url,
                socket_timeout=self.timeout,
                socket_connect_timeout=self.timeout,
                decode_responses=True,
            )
        return self._client


def get_redis(app: Flask | None = None) -> redis.Redis:
    holder: RedisHolder = (app or current_app).extensions[REDIS_KEY]
    return holder.client()


def redis_configured(app: Flask | None = None) -> bool:
    holder: RedisHolder = (app or current_app).extensions[REDIS_KEY]
    return bool(holder.url)


def init_app(app: Flask) -> None:
    app.extensions[REDIS_KEY] = RedisHolder(app.config["REDIS_URL"], app.config["REDIS_TIMEOUT"])
