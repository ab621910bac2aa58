"""The /api/v1 blueprint: the session, jobs, gigs, applications and employer blueprints under
one prefix, and the OpenAPI document that describes them (kept in step by
tests/marketplace/api/test_openapi.py)."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from marketplace.api import applications, employer, gigs, jobs, session
from marketplace.api.openapi import document

bp = Blueprint("api", __name__, url_prefix="/api/v1")
bp.register_blueprint(session.bp)
bp.register_blueprint(jobs.bp)
bp.register_blueprint(gigs.bp)
bp.register_blueprint(applications.bp)
bp.register_blueprint(employer.bp)


@bp.get("/openapi.json")
def openapi() -> Response:
    response = jsonify(document())
    response.cache_control.max_age = 300
    response.cache_control.public = True
    return response
