"""Probes of each backend: a probe returns {"ok": bool, ...details} and never raises."""

from __future__ import annotations

import logging
from typing import Any

import redis
from flask import current_app
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from marketplace.database import get_database
from marketplace.extensions import get_redis, redis_configured
from marketplace.search.engine import search_health

log = logging.getLogger(__name__)


def check_database() -> dict[str, Any]:
    database = get_database()
    try:
        with database.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
            version = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except SQLAlchemyError as error:
        log.warning("database health check failed: %s", error)
        return {"ok": False, "error": str(error.__cause__ or error).splitlines()[0]}
    return {"ok": True, "backend": database.engine.dialect.name, "revision": version}


def check_redis() -> dict[str, Any]:
    if not redis_configured():
        return {"ok": False, "error": "REDIS_URL is not set"}
    try:
        info = get_redis().info("server")
    except (redis.RedisError, OSError) as error:
        log.warning("redis health check failed: %s", error)
        return {"ok": False, "error": str(error)}
    return {"ok": True, "version": info.get("redis_version")}


def check_all() -> dict[str, dict[str, Any]]:
    return {
        "database": check_database(),
        "search": search_health(current_app),
        "redis": check_redis(),
    }
