"""Where search meets the ranker: candidates and query context built from the app's records."""

from __future__ import annotations

from collections.abc import Sequence

from indexer.education import EducationLevel
from indexer.queries import SearchQuery, boost_conditions
from indexer.tokenizer import Tokenizer
from marketplace.employers.models import Verification
from marketplace.jobs.models import Job
from matching.features import Candidate, QueryContext


def query_context(query: SearchQuery, text: str, tokenizer: Tokenizer) -> QueryContext:
    return QueryContext(
        words=tuple(group[0] for group in query.terms),
        compact_text="".join(tokenizer.normalize(text).split()),
        city=query.boost_city,
        district=query.boost_district,
        kinds=tuple(value for name, value in boost_conditions(query.boosts) if name == "kind"),
        occupation_code=query.occupation_code,
    )


def candidate(
    job: Job, score: float, rank: int, tokenizer: Tokenizer, full_text: bool = True
) -> Candidate:
    """The ranker's view of a job (`full_text=False`: title words only, for explanations)."""
    education = EducationLevel.from_code(job.education) if job.education else None
    title_words = tuple(tokenizer.tokenize(job.title))
    text = f"{job.skills or ''} {job.benefits or ''} {job.description or ''}"
    return Candidate(
        job_id=job.id,
        engine_score=score,
        engine_rank=rank,
        title_words=title_words,
        words=frozenset(tokenizer.tokenize(text) if full_text else title_words),
        compact_title="".join(tokenizer.normalize(job.title).split()),
        skills=frozenset(tokenizer.tokenize(job.skills or "")),
        city=job.city,
        district=job.district,
        kind=job.kind,
        monthly_min=job.salary_monthly_min,
        monthly_max=job.salary_monthly_max,
        education_level=int(education) if education is not None else None,
        experience_years=job.experience_years,
        published_at=job.published_at,
        is_key_enterprise=job.employer.is_key_enterprise,
        employer_verified=job.employer.verification == Verification.VERIFIED,
        lat=job.lat,
        lng=job.lng,
        occupation_code=job.occupation_code,
    )


def candidates(hits: Sequence[tuple[Job, float]], tokenizer: Tokenizer) -> list[Candidate]:
    return [candidate(job, score, rank, tokenizer) for rank, (job, score) in enumerate(hits, 1)]
