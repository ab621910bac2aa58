"""Where retrieval (and, later, ranking) meet: a seeker's search from words and filters to jobs."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from indexer.engines.base import SearchResult
from indexer.highlight import Segment, snippet
from indexer.queries import Places, SearchQuery, read_query
from indexer.retrieval import retrieve
from marketplace.database import utcnow
from marketplace.jobs.models import Job
from marketplace.places.models import Place, PlaceLevel
from marketplace.search.engine import SearchHolder
from marketplace.search.ranking import candidate, query_context
from matching.explain import reasons
from matching.features import featurize


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


def known_places(session: Session) -> Places:
    """Cities of the postings and Weihai's districts, for reading place names in a query."""
    cities = {city for city in session.scalars(select(Job.city).distinct()) if city}
    districts: dict[str, str] = {}
    for place in session.scalars(select(Place).where(Place.level == PlaceLevel.COUNTY)):
        districts[place.name] = "威海市"
    return Places.of(cities, districts)


def build_query(holder: SearchHolder, session: Session, text: str, **filters: Any) -> SearchQuery:
    """The structured query for what a seeker typed plus the filters chosen."""
    groups = [term.alternatives for term in holder.tokenizer.query_terms(text)]
    return read_query(groups, holder.places(session), SearchQuery(**filters))


def search_jobs(holder: SearchHolder, session: Session, text: str, **filters: Any) -> SearchPage:
    """Retrieve a page of jobs for `text` and the filters, with snippets; engine order."""
    query = build_query(holder, session, text, **filters)
    result: SearchResult = retrieve(holder.engine, query)
    ids = [hit.job_id for hit in result.hits]
    jobs = {
        job.id: job
        for job in session.scalars(
            select(Job).options(joinedload(Job.employer)).where(Job.id.in_(ids))
        )
    }
    words = sorted({word for group in query.terms for word in group})
    # a job deleted since the index saw it is skipped
    shown = [hit for hit in result.hits if hit.job_id in jobs]
    tokenizer = holder.tokenizer
    context = query_context(query, text, tokenizer)
    rows = featurize(
        context,
        [
            candidate(jobs[hit.job_id], hit.score, position + 1, tokenizer, full_text=False)
            for position, hit in enumerate(shown)
        ],
        utcnow(),
    )
    hits = [
        JobHit(
            job=jobs[hit.job_id],
            score=hit.score,
            rank=query.offset + position + 1,
            distance_km=hit.distance_km,
            title=snippet(jobs[hit.job_id].title, words, width=60),
            snippet=snippet(jobs[hit.job_id].description, words),
            reasons=reasons(rows[position]),
        )
        for position, hit in enumerate(shown)
    ]
    return SearchPage(
        query=query,
        hits=hits,
        total=result.total,
        facets={name: dict(counts) for name, counts in result.facets.items()},
        words=words,
    )
