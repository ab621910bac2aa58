"""The search results page: words, filters, facets, snippets, pages (server-rendered)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, render_template, request

from indexer.engines.base import SearchUnavailable
from indexer.queries import Sort
from marketplace.database import db_session
from marketplace.errors import ServiceUnavailable
from marketplace.jobs.models import JobKind
from marketplace.search.engine import get_search
from marketplace.search.services import search_jobs

bp = Blueprint("search", __name__)

PER_PAGE = 20
MAX_PAGE = 250  # deep pages stay correct, but nobody reads page 251

KIND_LABELS = {
    JobKind.FULL_TIME.value: "全职",
    JobKind.PART_TIME.value: "兼职",
    JobKind.ODD_JOB.value: "零工",
}
SORT_LABELS = {
    Sort.RELEVANCE.value: "最相关",
    Sort.NEWEST.value: "最新发布",
    Sort.PAY.value: "薪资最高",
}


def _filters() -> dict[str, Any]:
    filters: dict[str, Any] = {}
    kind = request.args.get("kind", "")
    if kind in KIND_LABELS:
        filters["kinds"] = (kind,)
    district = request.args.get("district", "").strip()
    if district:
        filters["district"] = district[:40]
    sort = request.args.get("sort", Sort.RELEVANCE.value)
    if sort in SORT_LABELS:
        filters["sort"] = Sort(sort)
    return filters


@bp.get("/search/suggest")
def suggest() -> Response:
    """Titles starting with what has been typed (search-as-you-type), as JSON."""
    prefix = request.args.get("q", "").strip()[:30]
    try:
        titles = get_search().engine.suggest(prefix, limit=8) if prefix else []
    except SearchUnavailable:
        titles = []  # suggestions are a convenience: the search box works without them
    response = jsonify(suggestions=titles)
    response.cache_control.max_age = 300
    response.cache_control.public = True
    return response


@bp.get("/search")
def results() -> str:
    text = request.args.get("q", "").strip()[:100]
    page = min(max(request.args.get("page", 1, type=int) or 1, 1), MAX_PAGE)
    filters = _filters()
    try:
        found = search_jobs(
            get_search(),
            db_session(),
            text,
            offset=(page - 1) * PER_PAGE,
            limit=PER_PAGE,
            facets=True,
            **filters,
        )
    except SearchUnavailable as error:
        raise ServiceUnavailable("搜索服务暂时不可用，请稍后再试") from error
    pages = min((found.total + PER_PAGE - 1) // PER_PAGE, MAX_PAGE)
    return render_template(
        "search/results.html",
        text=text,
        found=found,
        page=page,
        pages=pages,
        args=request.args,
        kind_labels=KIND_LABELS,
        sort_labels=SORT_LABELS,
    )
