"""The search results page: words, filters, facets, snippets, pages (server-rendered)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, render_template, request, url_for

from indexer.engines.base import SearchUnavailable
from indexer.queries import GeoPoint
from marketplace.accounts.auth import current_seeker_profile, signed_in_user
from marketplace.accounts.models import Role
from marketplace.database import db_session, utcnow
from marketplace.errors import ServiceUnavailable
from marketplace.search import filters as search_filters
from marketplace.search.engine import get_search
from marketplace.search.services import search_jobs
from marketplace.seekers.services import home_point

bp = Blueprint("search", __name__)

PER_PAGE = 20
MAX_PAGE = 250  # deep pages stay correct, but nobody reads page 251

KIND_LABELS = search_filters.KIND_LABELS
SORT_LABELS = search_filters.SORT_LABELS


def _seeker_home() -> GeoPoint | None:
    """The signed-in seeker's home point (for distances and the distance sort), else None."""
    user = signed_in_user()
    if user is None or user.role != Role.SEEKER:
        return None
    return home_point(db_session(), current_seeker_profile())


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
    session = db_session()
    wanted_occupation = [request.args.get("occ", "")]
    filters = search_filters.read_filters(
        request.args,
        home=_seeker_home(),
        now=utcnow(),
        occupation_names=search_filters.occupation_names(session, wanted_occupation),
    )
    try:
        found = search_jobs(
            get_search(),
            session,
            text,
            offset=(page - 1) * PER_PAGE,
            limit=PER_PAGE,
            facets=True,
            **filters.query,
        )
    except SearchUnavailable as error:
        raise ServiceUnavailable("搜索服务暂时不可用，请稍后再试") from error
    pages = min((found.total + PER_PAGE - 1) // PER_PAGE, MAX_PAGE)
    base = {"q": text, **filters.args} if text else dict(filters.args)

    def link(**changes: Any) -> str:
        """The results URL with the current filters and `changes` (None removes a parameter)."""
        args = {**base, **changes}
        return url_for("search.results", **{k: v for k, v in args.items() if v not in (None, "")})

    names = search_filters.occupation_names(
        session, [*found.facets.get("occupation", {}), *wanted_occupation]
    )
    return render_template(
        "search/results.html",
        text=text,
        found=found,
        page=page,
        pages=pages,
        filters=filters,
        link=link,
        facet_groups=search_filters.facet_groups(found.facets, filters, link, names),
        kind_labels=KIND_LABELS,
        pay_choices=search_filters.PAY_CHOICES,
        education_choices=search_filters.EDUCATION_CHOICES,
        posted_days=search_filters.POSTED_DAYS,
        per_page=PER_PAGE,
    )
