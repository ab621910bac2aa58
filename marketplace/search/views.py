"""The search results page: words, filters, facets, snippets, pages (server-rendered)."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    Response,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from werkzeug.wrappers import Response as WerkzeugResponse

from indexer.engines.base import SearchUnavailable
from indexer.queries import GeoPoint
from marketplace.accounts.auth import current_seeker_profile, signed_in_user
from marketplace.accounts.models import Role
from marketplace.database import db_session, utcnow
from marketplace.errors import ServiceUnavailable
from marketplace.interactions.services import record_impressions
from marketplace.interactions.tracking import anonymous_id
from marketplace.jobs.views import SEARCH_POSITION_ARG
from marketplace.kiosk.views import COOKIE as KIOSK_COOKIE
from marketplace.search import filters as search_filters
from marketplace.search.engine import get_search, ranker_path
from marketplace.search.ranking import model_version
from marketplace.search.services import (
    JobHit,
    SearchPage,
    example_words,
    popular_titles,
    search_jobs,
)
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


def _log_impressions(text: str, filters: dict[str, str], found: SearchPage) -> None:
    """The page's postings with their overall positions, for the ranker (never on a kiosk:
    a shared terminal's searches are many people's)."""
    if not text or not found.hits or request.cookies.get(KIOSK_COOKIE):
        return
    user = signed_in_user()
    record_impressions(
        db_session(),
        [(hit.job.id, hit.rank) for hit in found.hits],
        query=text,
        filters=filters,
        engine=get_search().engine.name,
        model_version=model_version(ranker_path(current_app.instance_path))
        if found.reranked
        else None,
        session_id=anonymous_id(),
        user_id=user.id if user is not None else None,
    )


@bp.app_context_processor
def search_box_limit() -> dict[str, int]:
    """The search boxes' maxlength, on every page that draws one."""
    return {"query_max_length": search_filters.MAX_QUERY_CHARS}


@bp.get("/search/suggest")
def suggest() -> Response:
    """Titles starting with what has been typed, then titles holding it further in
    (search-as-you-type), as JSON."""
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
def results() -> str | WerkzeugResponse:
    text = search_filters.read_text(request.args)
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

    if page > max(pages, 1):
        # past the last page (an old link, fewer jobs now, a typed number): the last page,
        # never 第 14 / 13 页
        return redirect(link(page=pages if pages > 1 else None))
    _log_impressions(text, filters.args, found)

    def job_link(hit: JobHit) -> str:
        """A result's link: it tells the job page which search (words, filters, page) it was
        opened from, for its link back, and the position, for the interaction log."""
        where: dict[str, Any] = dict(base)
        if page > 1:
            where["page"] = page
        if text:
            where[SEARCH_POSITION_ARG] = hit.rank
        return url_for("jobs.detail", job_id=hit.job.id, **where)

    # words to try when nothing is found (the hint, the box's placeholder): one grouped query,
    # so only then
    examples = [] if found.hits else example_words(popular_titles(session))
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
        job_link=job_link,
        facet_groups=search_filters.facet_groups(found.facets, filters, link, names),
        kind_labels=KIND_LABELS,
        pay_choices=search_filters.PAY_CHOICES,
        pay_hint=search_filters.PAY_HINT,
        education_choices=search_filters.EDUCATION_CHOICES,
        posted_days=search_filters.POSTED_DAYS,
        per_page=PER_PAGE,
        examples=examples,
    )
