"""An employer's postings through the API: list with applicant counts, post (employers.postings)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify

from marketplace.accounts.auth import current_employer
from marketplace.accounts.models import Role
from marketplace.api.access import (
    BadInput,
    integer,
    json_body,
    number,
    only_fields,
    required_user,
    text,
    text_list,
    utc_text,
)
from marketplace.api.jobs import job_summary
from marketplace.api.openapi import SCHEMAS
from marketplace.database import db_session
from marketplace.employers import postings
from marketplace.jobs.models import Job, JobKind

bp = Blueprint("employer", __name__, url_prefix="/employer")


def _posting_json(job: Job, applicants: int = 0, new_applicants: int = 0) -> dict[str, Any]:
    return {
        **job_summary(job),
        "status": job.status,
        "applicants": applicants,
        "new_applicants": new_applicants,
        "updated_at": utc_text(job.updated_at),
    }


# the fields a posting may carry: those the OpenAPI document lists, so the two never drift
JOB_FIELDS = tuple(SCHEMAS["NewPosting"]["properties"])


def _job_input(body: dict[str, Any]) -> postings.JobInput:
    only_fields(body, JOB_FIELDS)
    kind = text(body, "kind", limit=10) or JobKind.FULL_TIME
    if kind not in set(JobKind):
        raise BadInput("kind", f"须为 {' / '.join(JobKind)} 之一")
    return postings.JobInput(
        title=text(body, "title", required=True, limit=200) or "",
        kind=kind,
        description=text(body, "description", limit=5000) or "",
        pay_min=number(body, "pay_min"),
        pay_max=number(body, "pay_max"),
        pay_unit=text(body, "pay_unit", limit=8) or "month",
        headcount=integer(body, "headcount"),
        education=text(body, "education", limit=24),
        experience_years=integer(body, "experience_years"),
        skills=text_list(body, "skills"),
        benefits=text_list(body, "benefits"),
        county_code=text(body, "county_code", limit=12),
        district=text(body, "district", limit=40),
        address=text(body, "address", limit=300),
    )


@bp.get("/jobs")
def jobs() -> Response:
    """The employer's postings, what needs attention first, newest first within a status."""
    required_user(Role.EMPLOYER)
    groups = postings.dashboard(db_session(), current_employer())
    return jsonify(
        jobs=[
            _posting_json(row.job, row.applicants, row.new_applicants)
            for _status, rows in groups
            for row in rows
        ]
    )


@bp.post("/jobs")
def post() -> tuple[Response, int]:
    """Post a vacancy: checked, then published at once (verified employer, clean posting) or
    sent to staff review; a posting the checks block is 400 with what to fix."""
    user = required_user(Role.EMPLOYER)
    employer = current_employer()
    data = _job_input(json_body())
    session = db_session()
    outcome = postings.post_job(session, employer, data, user_id=user.id)
    session.commit()
    answer = {
        "job": _posting_json(outcome.job),
        "published": outcome.published,
        "review": [
            {"code": finding.code, "field": finding.field, "message": finding.message}
            for finding in outcome.review
        ],
    }
    return jsonify(answer), 201
