"""Where retrieval (and, later, ranking) meet: a seeker's search from words and filters to jobs."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from indexer.engines.base import SearchResult
from indexer.highlight import Segment, snippet
from indexer.queries import Places, SearchQuery, Sort, read_query, words_query
from indexer.retrieval import retrieve
from marketplace.database import utcnow
from marketplace.jobs.models import Job, JobStatus
from marketplace.places.models import Place, PlaceLevel
from marketplace.search.engine import SearchHolder, job_records
from marketplace.search.ranking import candidates, query_context
from matching.explain import reasons
from matching.features import Candidate, Seeker, featurize
from matching.ranker import Ranker, key_enterprises_first, model_order, model_scores

POPULAR_COUNT = 10
# a title's note in brackets, dropped from the example words: 搬运工（日结） → 搬运工
_TITLE_NOTE = re.compile(r"\s*[（(].*$")


def popular_titles(session: Session, limit: int = POPULAR_COUNT) -> list[str]:
    """The most common titles among published postings: categories that lead to results."""
    rows = session.execute(
        select(Job.title, func.count().label("n"))
        .where(Job.status == JobStatus.PUBLISHED)
        .group_by(Job.title)
        .order_by(func.count().desc(), Job.title)
        .limit(limit)
    )
    return [title for title, _n in rows]


def example_words(titles: list[str], count: int = 3) -> list[str]:
    """Words to suggest typing (the box's placeholder, the hint when nothing is found): popular
    titles without their notes in brackets, so that each finds postings, never a guess."""
    words = (_TITLE_NOTE.sub("", title).strip() for title in titles)
    return [word for word in dict.fromkeys(words) if word][:count]


@dataclass(frozen=True)
class JobHit:
    job: Job
    score: float
    rank: int
    distance_km: float | None
    title: list[Segment]
    snippet: list[Segment]
    reasons: list[str] = field(default_factory=list)  # "why this job", strongest first


@dataclass(frozen=True)
class SearchPage:
    query: SearchQuery
    hits: list[JobHit]
    total: int
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    words: list[str] = field(default_factory=list)
    reranked: bool = False  # the learned ranker ordered this page


def known_places(session: Session) -> Places:
    """Cities of the postings and Weihai's districts, for reading place names in a query."""
    cities = {city for city in session.scalars(select(Job.city).distinct()) if city}
    districts: dict[str, str] = {}
    for place in session.scalars(select(Place).where(Place.level == PlaceLevel.COUNTY)):
        districts[place.name] = "威海市"
    return Places.of(cities, districts)


def build_query(holder: SearchHolder, session: Session, text: str, **filters: Any) -> SearchQuery:
    """The structured query for what a seeker typed plus the filters chosen."""
    typed = words_query(holder.tokenizer.query_terms(text), **filters)
    return read_query(typed, holder.places(session))


def _key_enterprises_first(
    order: list[int],
    found: list[Candidate],
    scores: npt.NDArray[np.float64] | None,
    kind: str | None = None,
) -> list[int]:
    """Lift key enterprises (then postings of the wanted `kind`) within each relevance tier:
    of the model's order over the reranked part, of the engine's over the rest."""
    cut = len(scores) if scores is not None else 0
    lifted: list[int] = []
    for part, model in ((order[:cut], True), (order[cut:], False)):
        ranked = [
            float(scores[i]) if model and scores is not None else found[i].engine_score
            for i in part
        ]
        keys = [found[i].is_key_enterprise for i in part]
        wanted = [found[i].kind == kind for i in part] if kind else None
        tiered = key_enterprises_first(ranked, keys, model=model, wanted=wanted)
        lifted.extend(part[i] for i in tiered)
    return lifted


# `search_jobs(ranker=...)`: the instance's trained model (the default), or this one, or None
INSTANCE_RANKER: Literal["instance"] = "instance"


def search_jobs(
    holder: SearchHolder,
    session: Session,
    text: str,
    *,
    ranker: Ranker | Literal["instance"] | None = INSTANCE_RANKER,
    depth: int | None = None,
    key_lift: bool = True,
    seeker: Seeker | None = None,
    **filters: Any,
) -> SearchPage:
    """Retrieve a page of jobs for `text` and the filters, with snippets and reasons.

    In relevance order with words typed, the engine's best `depth` postings (RERANK_DEPTH) are
    reordered by the learned ranker when there is one; pages past them keep the engine's order.
    Key-enterprise postings then rise within their relevance tier (`key_lift`), then postings
    of the kind `seeker` wants. With `seeker` (a profile's wishes) the features and reasons
    speak about that person: distance from their home, pay fit, kind, occupation, skills.
    """
    query = build_query(holder, session, text, **filters)
    model = holder.ranker if isinstance(ranker, str) else ranker
    depth = depth if depth is not None else int(holder.app.config["RERANK_DEPTH"])
    reranking = (
        model is not None
        and query.has_text
        and query.sort == Sort.RELEVANCE
        and query.offset < depth
    )
    window = replace(query, offset=0, limit=max(depth, query.offset + query.limit))
    result: SearchResult = retrieve(holder.engine, window if reranking else query)
    records = job_records(session, [hit.job_id for hit in result.hits])
    # a job deleted since the index saw it is skipped
    shown = [hit for hit in result.hits if hit.job_id in records]
    tokenizer = holder.tokenizer
    found = candidates(
        [(records[hit.job_id], hit.score) for hit in shown], tokenizer, holder.engine
    )
    rows = featurize(query_context(query, text, tokenizer, seeker), found, utcnow())
    order = list(range(len(shown)))
    scores = model_scores(model, rows[:depth]) if reranking else None
    if scores is not None:
        order = model_order(scores, found[:depth]) + order[depth:]
    if key_lift and query.sort == Sort.RELEVANCE and query.has_text:
        order = _key_enterprises_first(order, found, scores, seeker.kind if seeker else None)
    if reranking:
        order = order[query.offset : query.offset + query.limit]
    # whole records only for the page shown
    page_ids = [shown[index].job_id for index in order]
    jobs = {
        job.id: job
        for job in session.scalars(
            select(Job).options(joinedload(Job.employer)).where(Job.id.in_(page_ids))
        )
    }
    order = [index for index in order if shown[index].job_id in jobs]
    words = sorted({word for group in query.terms for word in group})
    hits = [
        JobHit(
            job=jobs[shown[index].job_id],
            score=shown[index].score,
            rank=query.offset + position + 1,
            distance_km=shown[index].distance_km,
            title=snippet(jobs[shown[index].job_id].title, words, width=60),
            snippet=snippet(jobs[shown[index].job_id].description, words),
            reasons=reasons(rows[index]),
        )
        for position, index in enumerate(order)
    ]
    return SearchPage(
        query=query,
        hits=hits,
        total=result.total,
        facets={name: dict(counts) for name, counts in result.facets.items()},
        words=words,
        reranked=scores is not None,
    )
