"""Every setting of the web app with its default; the environment and the test dict override them.

Nothing here reads the environment at import time: `load_config` is called by `create_app`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

DEFAULTS: dict[str, Any] = {
    # Signs sessions and CSRF tokens. Unset → a random per-process key (fine for one
    # process or gunicorn with preload_app; set it for several hosts).
    "SECRET_KEY": None,
    # SQLAlchemy URL of the source-of-truth database. None → SQLite file in the instance folder.
    "DATABASE_URL": None,
    # Elasticsearch 8.x URL. None → the embedded SQLite FTS5 engine is used.
    "ES_URL": None,
    # Seconds an Elasticsearch request may take (a search, a bulk chunk) before it fails.
    "ES_TIMEOUT": 10.0,
    # Prefix of the Elasticsearch index and alias names (one cluster may host several sites).
    "ES_INDEX_PREFIX": "jiuye",
    # File of the embedded FTS5 search index. None → `search.sqlite3` in the instance folder.
    "FTS5_PATH": None,
    # Redis URL (redis://host:port/db or unix:///path/redis.sock). `make run` starts an
    # embedded server and sets it; None → Redis features report themselves unavailable.
    "REDIS_URL": None,
    # Seconds a health probe waits for each backend before calling it down.
    "HEALTH_TIMEOUT": 2.0,
    # Seconds a Redis command (a claim, a dispatch lookup) may take before it fails.
    "REDIS_TIMEOUT": 2.0,
    # Rows per transaction when importing postings: a batch is written whole or not at all.
    "IMPORT_BATCH_SIZE": 1000,
    # Days a posting created on the platform stays published before it expires.
    "JOB_TTL_DAYS": 60,
    # The learned ranker reorders this many of the engine's best postings (page 1 to 10).
    "RERANK_DEPTH": 200,
    # Seconds a worker has to answer a 即时快招 offer before it expires and the next wave goes out.
    "GIG_OFFER_SECONDS": 120,
    # Seconds a kiosk terminal waits without a touch before it forgets the visit and goes home.
    "KIOSK_IDLE_SECONDS": 90,
    # The site's public root (https://jiuye.example.gov.cn) for links in digests sent from the
    # CLI; empty → pages use the request's root and the CLI writes relative links.
    "PUBLIC_BASE_URL": "",
    # Hours between vacancy digests pushed to each labour cooperation base.
    "BASES_PUSH_INTERVAL_HOURS": 24,
    # Seconds a base's webhook may take to answer before the push counts as failed (retried).
    "BASES_WEBHOOK_TIMEOUT": 5.0,
    # Vacancies in one digest (key enterprises first).
    "BASES_DIGEST_LIMIT": 100,
    # Market wage levels: a cell (occupation × district) is shown only above this many postings.
    "WAGE_MIN_COUNT": 30,
    # WTForms CSRF protection on every form (tests that post forms fetch the token).
    "WTF_CSRF_ENABLED": True,
    # WTForms' own messages from its bundled catalogue (formfields.Form asks for zh), not
    # through Flask-Babel, which the app does not use.
    "WTF_I18N_ENABLED": False,
    # Cookies: HttpOnly always; Secure when served over HTTPS behind the proxy.
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_SECURE": False,
    # Reverse proxies in front of the app that set X-Forwarded-For/-Proto (0: none). The
    # sign-in throttle counts by the client's address, which a proxy would otherwise hide.
    "PROXY_HOPS": 0,
    # Largest request body accepted (uploads of CSV files by staff included).
    "MAX_CONTENT_LENGTH": 16 * 1024 * 1024,
    # Log level of the app's loggers (stdout).
    "LOG_LEVEL": "INFO",
}

# Settings that the environment may override, and how to read each from a string.
_ENVIRONMENT: dict[str, type] = {
    "SECRET_KEY": str,
    "DATABASE_URL": str,
    "ES_URL": str,
    "ES_INDEX_PREFIX": str,
    "ES_TIMEOUT": float,
    "FTS5_PATH": str,
    "REDIS_URL": str,
    "HEALTH_TIMEOUT": float,
    "REDIS_TIMEOUT": float,
    "IMPORT_BATCH_SIZE": int,
    "JOB_TTL_DAYS": int,
    "RERANK_DEPTH": int,
    "GIG_OFFER_SECONDS": int,
    "KIOSK_IDLE_SECONDS": int,
    "PUBLIC_BASE_URL": str,
    "BASES_PUSH_INTERVAL_HOURS": int,
    "BASES_WEBHOOK_TIMEOUT": float,
    "BASES_DIGEST_LIMIT": int,
    "WAGE_MIN_COUNT": int,
    "SESSION_COOKIE_SECURE": bool,
    "PROXY_HOPS": int,
    "LOG_LEVEL": str,
}


def _read(kind: type, raw: str) -> Any:
    if kind is bool:
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    return kind(raw)


def load_config(
    instance_path: str,
    overrides: Mapping[str, Any] | None = None,
    environ: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Defaults, then the environment, then `overrides`; fills paths in the instance folder."""
    environ = os.environ if environ is None else environ
    config = dict(DEFAULTS)
    for key, kind in _ENVIRONMENT.items():
        raw = environ.get(key)
        if raw:
            config[key] = _read(kind, raw)
    config.update(overrides or {})
    instance = Path(instance_path)
    if not config["DATABASE_URL"]:
        config["DATABASE_URL"] = f"sqlite:///{instance / 'jiuye.sqlite3'}"
    if not config["FTS5_PATH"]:
        config["FTS5_PATH"] = str(instance / "search.sqlite3")
    return config
