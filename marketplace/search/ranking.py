"""Where search meets the ranker: candidates and query context built from the app's records."""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from pathlib import Path

from indexer.documents import JobRecord
from indexer.engines.base import SearchEngine
from indexer.queries import SearchQuery, boost_conditions
from indexer.tokenizer import Tokenizer
from matching.features import Candidate, QueryContext, Seeker
from matching.persistence import ModelRefused, read_metadata


def whole_words(query: SearchQuery) -> tuple[str, ...]:
    """The words asked for with their synonyms, less places and a compound's parts (what a
    title may end in to be the job asked for: `QueryContext.whole_words`)."""
    return tuple(word for node in query.every_word() for word in node.group)


def query_context(
    query: SearchQuery, text: str, tokenizer: Tokenizer, seeker: Seeker | None = None
) -> QueryContext:
    """The ranker's view of a query; `seeker` (a profile's wishes) when ranking for one person."""
    return QueryContext(
        words=tuple(group[0] for group in query.terms),
        alternatives=tuple(query.terms),
        compact_text="".join(tokenizer.normalize(text).split()),
        whole_words=whole_words(query),
        city=query.boost_city,
        district=query.boost_district,
        kinds=tuple(value for name, value in boost_conditions(query.boosts) if name == "kind"),
        occupation_code=query.occupation_code,
        seeker=seeker if seeker is not None else Seeker(),
    )


def candidate(
    job: JobRecord,
    score: float,
    rank: int,
    tokenizer: Tokenizer,
    tokens: Mapping[str, Sequence[str]] | None = None,
) -> Candidate:
    """The ranker's view of a job.

    `tokens` are the words the index holds for it (`SearchEngine.stored_tokens`): cutting a few
    hundred descriptions again would cost a second per search. Without them the record's texts
    are cut here (tests, and a job the index does not hold yet).
    """
    if tokens is None:
        tokens = {
            "title": tokenizer.tokenize(job.title),
            # indexed as one field (indexer.documents.job_document)
            "skills": tokenizer.tokenize(f"{job.skills} {job.benefits}"),
            "description": tokenizer.tokenize(job.description),
        }
    title_words = tuple(tokens.get("title", ()))
    skills = frozenset(tokens.get("skills", ()))
    return Candidate(
        job_id=job.id,
        engine_score=score,
        engine_rank=rank,
        title_words=title_words,
        words=frozenset(title_words) | skills | frozenset(tokens.get("description", ())),
        compact_title="".join(tokenizer.normalize(job.title).split()),
        skills=skills,
        city=job.city,
        district=job.district,
        kind=job.kind,
        monthly_min=job.salary_monthly_min,
        monthly_max=job.salary_monthly_max,
        education_level=job.education_level,
        experience_years=job.experience_years,
        published_at=job.published_at,
        is_key_enterprise=job.is_key_enterprise,
        employer_verified=job.employer_verified,
        lat=job.lat,
        lng=job.lng,
        occupation_code=job.occupation_code,
    )


def candidates(
    hits: Sequence[tuple[JobRecord, float]], tokenizer: Tokenizer, engine: SearchEngine
) -> list[Candidate]:
    """Candidates in the engine's order, their words read from the index in one request."""
    stored = engine.stored_tokens([job.id for job, _score in hits])
    return [
        candidate(job, score, rank, tokenizer, stored.get(job.id))
        for rank, (job, score) in enumerate(hits, 1)
    ]


def model_version(path: Path) -> str | None:
    """The version of the model file at `path` (its payload's SHA-256), for the interaction
    log; None without a readable file. The header is read again only when the file changes."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return _model_version(str(path), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=8)
def _model_version(path: str, _mtime_ns: int, _size: int) -> str | None:
    try:
        return read_metadata(path).sha256 or None
    except (ModelRefused, OSError):
        return None
