"""`/healthz`: the state of the database, the search engine and Redis, as JSON."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from marketplace.health.services import check_all

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> tuple[Response, int]:
    report = check_all()
    down = [name for name, part in report.items() if not part["ok"]]
    body = {"status": "ok" if not down else "down", "down": down, "checks": report}
    return jsonify(body), 200 if not down else 503
