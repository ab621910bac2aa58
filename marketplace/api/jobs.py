"""Public job data: search and a published job's detail (no sign-in needed)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, request
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from indexer.engines.base import SearchUnavailable
from indexer.highlight import Segment
from indexer.queries import Sort
from marketplace.api.access import BadInput, query_int, utc_text
from marketplace.database import db_session, utcnow
from marketplace.employers.models import Verification
from marketplace.errors import NotFound, ServiceUnavailable
from marketplace.jobs.display import pay_in_words
from marketplace.jobs.models import Job, JobKind, JobStatus
from marketplace.search.engine import get_search
from marketplace.search.filters import read_text
from marketplace.search.services import JobHit, search_jobs

bp = Blueprint("jobs", __name__)

MAX_PER_PAGE = 50
MAX_PAGE = 250  # as on the website: deep pages stay correct, but nobody reads page 251
# distance needs the seeker's point, which the API does not take yet
SORTS = (Sort.RELEVANCE, Sort.NEWEST, Sort.PAY)


def _tags(raw: str | None) -> list[str]:
    return [tag for tag in (raw or "").split(",") if tag]


def _segments(segments: list[Segment]) -> list[dict[str, Any]]:
    return [{"text": part, "match": matched} for part, matched in segments]


def job_summary(job: Job) -> dict[str, Any]:
    """The fields a list of jobs shows (a search hit adds its rank, reasons and highlights)."""
    return {
        "id": job.id,
        "title": job.title,
        "kind": job.kind,
        "employer": {
            "id": job.employer.id,
            "name": job.employer.name,
            "verified": job.employer.verification == Verification.VERIFIED,
            "key_enterprise": job.employer.is_key_enterprise,
        },
        "pay": {
            "min": job.salary_min,
            "max": job.salary_max,
            "unit": job.salary_unit,
            "months": job.salary_months,
            "text": pay_in_words(job),
        },
        "place": {
            "province": job.province,
            "city": job.city,
            "district": job.district,
            "address": job.address,
        },
        "posted_at": utc_text(job.published_at),
    }


def _hit(hit: JobHit) -> dict[str, Any]:
    return {
        **job_summary(hit.job),
        "rank": hit.rank,
        "distance_km": hit.distance_km,
        "reasons": hit.reasons,
        "highlights": {"title": _segments(hit.title), "snippet": _segments(hit.snippet)},
    }


def _filters() -> dict[str, Any]:
    filters: dict[str, Any] = {}
    kind = request.args.get("kind", "")
    if kind:
        if kind not in set(JobKind):
            raise BadInput("kind", f"须为 {' / '.join(JobKind)} 之一")
        filters["kinds"] = (kind,)
    district = request.args.get("district", "").strip()
    if district:
        filters["district"] = district[:40]
    sort = request.args.get("sort", "")
    if sort:
        if sort not in SORTS:
            raise BadInput("sort", f"须为 {' / '.join(SORTS)} 之一")
        filters["sort"] = Sort(sort)
    return filters


@bp.get("/jobs")
def search() -> Response:
    """Jobs for words and filters, engine order, with facets (as the search page)."""
    text = read_text(request.args)
    page = query_int(request.args, "page", 1, 1, MAX_PAGE)
    per_page = query_int(request.args, "per_page", 20, 1, MAX_PER_PAGE)
    filters = _filters()
    try:
        found = search_jobs(
            get_search(),
            db_session(),
            text,
            offset=(page - 1) * per_page,
            limit=per_page,
            facets=True,
            **filters,
        )
    except SearchUnavailable as error:
        raise ServiceUnavailable("搜索服务暂时不可用，请稍后再试") from error
    return jsonify(
        hits=[_hit(hit) for hit in found.hits],
        total=found.total,
        page=page,
        per_page=per_page,
        facets=found.facets,
    )


@bp.get("/jobs/<int:job_id>")
def detail(job_id: int) -> Response:
    """A published job; anything else (draft, closed, expired, unknown) is 404 to the public."""
    job = db_session().scalar(
        select(Job)
        .options(joinedload(Job.employer))
        .where(Job.id == job_id, Job.status == JobStatus.PUBLISHED)
        .where(or_(Job.expires_at.is_(None), Job.expires_at > utcnow()))
    )
    if job is None:
        raise NotFound("没有这个职位，或职位已下线")
    return jsonify(
        {
            **job_summary(job),
            "description": job.description or "",
            "occupation": job.occupation_name,
            "headcount": job.headcount,
            "education": job.education,
            "experience_years": job.experience_years,
            "skills": _tags(job.skills),
            "benefits": _tags(job.benefits),
            "expires_at": utc_text(job.expires_at),
            "source": job.source,
            "location": (
                {"lat": job.lat, "lng": job.lng, "datum": job.datum}
                if job.lat is not None and job.lng is not None
                else None
            ),
        }
    )
