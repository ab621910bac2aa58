"""The search engine of the app: built lazily from the settings, its tokenizer, `flask index`.

FTS5 (embedded file) unless ES_URL names an Elasticsearch cluster.
"""

from __future__ import annotations

import functools
import logging
import sqlite3
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import click
from flask import Flask, Response, current_app, request
from flask.cli import AppGroup
from sqlalchemy import func, or_, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, joinedload

from indexer.documents import JobRecord, job_document
from indexer.education import EducationLevel
from indexer.engines.base import SearchEngine, SearchUnavailable
from indexer.engines.fts5 import Fts5Engine
from indexer.queries import Places
from indexer.tokenizer import Tokenizer, get_tokenizer
from marketplace.database import get_database, utcnow
from marketplace.employers.models import Employer, Verification
from marketplace.jobs.models import Job, JobStatus
from marketplace.places.models import Place, PlaceLevel
from marketplace.search import outbox
from matching.features import FEATURE_NAMES
from matching.persistence import ModelRefused, load_model
from matching.ranker import MODEL_KIND, Ranker

EXTENSION_KEY = "jiuye.search"
RANKER_FILE = Path("models") / "ranker.model"  # inside the instance folder
log = logging.getLogger(__name__)


def dictionary_words(session: Session) -> list[str]:
    """Words the database adds to the tokenizer: names of the service network's places."""
    names = session.scalars(
        select(Place.name).where(Place.level.in_([PlaceLevel.COUNTY, PlaceLevel.TOWN]))
    )
    return sorted(set(names))


class SearchHolder:
    """The engine and tokenizer of one app, each built on first use."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self._engine: SearchEngine | None = None
        self._tokenizer: Tokenizer | None = None
        self._places: Places | None = None
        self._ranker: Ranker | None = None
        self._ranker_stamp: tuple[int, int] | None = None

    @property
    def engine(self) -> SearchEngine:
        if self._engine is None:
            if self.app.config["ES_URL"]:
                from indexer.engines.elasticsearch import ElasticsearchEngine, build_client

                client = build_client(self.app.config["ES_URL"], self.app.config["ES_TIMEOUT"])
                self._engine = ElasticsearchEngine(client, self.app.config["ES_INDEX_PREFIX"])
                return self._engine
            self._engine = Fts5Engine(self.app.config["FTS5_PATH"])
        return self._engine

    @property
    def tokenizer(self) -> Tokenizer:
        if self._tokenizer is None:
            session = get_database(self.app).session()
            try:
                words = dictionary_words(session)
            finally:
                session.close()
            self._tokenizer = get_tokenizer(words)
        return self._tokenizer

    def places(self, session: Session) -> Places:
        """Place names known to the query reader (read once per process)."""
        if self._places is None:
            from marketplace.search.services import known_places

            self._places = known_places(session)
        return self._places

    @property
    def ranker(self) -> Ranker | None:
        """The trained ranker of this instance, reloaded when its file changes; None without one.

        A model that cannot be used (stale features or libraries, damaged) is refused with a
        warning in the log, and search keeps the engine's order.
        """
        path = ranker_path(self.app.instance_path)
        try:
            stat = path.stat()
        except FileNotFoundError:
            self._ranker, self._ranker_stamp = None, None
            return None
        stamp = (stat.st_mtime_ns, stat.st_size)
        if stamp != self._ranker_stamp:
            self._ranker_stamp = stamp
            try:
                self._ranker = load_ranker(path, self.app.instance_path)
            except ModelRefused as error:
                log.warning("not reranking search results: %s", error)
                self._ranker = None
        return self._ranker

    def reset_tokenizer(self) -> None:
        """Forget the tokenizer and places so that the next use reloads the database's words."""
        self._tokenizer = None
        self._places = None


def ranker_path(instance_path: str | Path) -> Path:
    return Path(instance_path) / RANKER_FILE


def load_ranker(path: str | Path, instance_path: str | Path) -> Ranker:
    """A ranker model file, checked (kind, features, libraries); only from the instance folder."""
    model, _metadata = load_model(
        path, MODEL_KIND, expected_features=FEATURE_NAMES, trusted_dir=instance_path
    )
    if not isinstance(model, Ranker):
        raise ModelRefused(f"{path} does not hold a ranker")
    return model


def get_search(app: Flask | None = None) -> SearchHolder:
    holder: SearchHolder = (app or current_app).extensions[EXTENSION_KEY]
    return holder


def search_health(app: Flask) -> dict[str, Any]:
    holder = get_search(app)
    try:
        return holder.engine.health(holder.tokenizer.version).as_dict()
    except SearchUnavailable as error:
        return {"ok": False, "error": str(error)}
    except SQLAlchemyError as error:  # the tokenizer reads its words from the database
        return {"ok": False, "error": f"dictionary words unavailable: {error.__cause__ or error}"}


def job_record(job: Job) -> JobRecord:
    """The job as the index sees it, texts included."""
    return JobRecord(
        description=job.description or "",
        skills=job.skills or "",
        benefits=job.benefits or "",
        **{name: getattr(job, name) for name in _RECORD_COLUMNS},
        education_level=_education_level(job.education) if job.education else None,
        is_key_enterprise=job.employer.is_key_enterprise,
        employer_verified=job.employer.verification == Verification.VERIFIED,
    )


# The columns of a JobRecord taken as they are from the jobs table (not the texts, not the
# education level or the employer's flags, which are converted).
_RECORD_COLUMNS = (
    "id", "title", "kind", "status", "city", "district", "county_code", "town_code",
    "occupation_code", "experience_years", "salary_unit", "salary_min", "salary_max",
    "salary_monthly_min", "salary_monthly_max", "published_at", "lat", "lng",
)  # fmt: skip


def job_records(session: Session, job_ids: Sequence[int]) -> dict[int, JobRecord]:
    """The jobs with these ids as the index sees them, without their texts (the index holds
    their words): a few hundred load in one query, without building ORM objects. A deleted
    job is absent."""
    if not job_ids:
        return {}
    statement = (
        select(
            *(getattr(Job, name) for name in _RECORD_COLUMNS),
            Job.education,
            Employer.is_key_enterprise,
            Employer.verification,
        )
        .join(Job.employer)
        .where(Job.id.in_(job_ids))
    )
    found: dict[int, JobRecord] = {}
    for row in session.execute(statement):
        columns = dict(zip(_RECORD_COLUMNS, row[:-3], strict=True))
        education, key, verification = row[-3:]
        found[row.id] = JobRecord(
            **columns,
            education_level=_education_level(education) if education else None,
            is_key_enterprise=bool(key),
            employer_verified=verification == Verification.VERIFIED,
        )
    return found


@functools.lru_cache(maxsize=64)
def _education_level(code: str) -> int:
    return int(EducationLevel.from_code(code))


def searchable_jobs(session: Session, batch: int = 2000) -> Iterator[Job]:
    """Every published job, streamed in id order."""
    now = utcnow()
    query = (
        select(Job)
        .options(joinedload(Job.employer))
        .where(Job.status == JobStatus.PUBLISHED)
        .where(or_(Job.expires_at.is_(None), Job.expires_at > now))
        .order_by(Job.id)
        .execution_options(yield_per=batch)
    )
    yield from session.scalars(query)


index_cli = AppGroup("index", help="The search index (derived from the database).")


def rebuild_index(holder: SearchHolder, session: Session, label: str = "indexing jobs") -> int:
    """Rebuild the engine's index from the database (progress bar on stderr); returns the count."""
    # changes queued before the rebuild starts are in it; later ones stay for the drainer
    applied_through = outbox.last_id(session)
    started = utcnow()
    holder.reset_tokenizer()
    tokenizer = holder.tokenizer
    total = session.scalar(
        select(func.count()).select_from(Job).where(Job.status == JobStatus.PUBLISHED)
    )
    with click.progressbar(
        searchable_jobs(session), length=total or 0, label=label, file=sys.stderr
    ) as jobs:
        documents = (job_document(job_record(job), tokenizer) for job in jobs)
        written = holder.engine.rebuild(documents, tokenizer.version)
    outbox.clear_through(session, applied_through)
    # a change drained into the old index while this one was building was lost at the swap:
    # queue every job changed since the start again, and apply them to the new index
    changed = session.scalars(select(Job.id).where(Job.updated_at >= started)).all()
    outbox.enqueue(session, list(changed))
    session.commit()
    outbox.drain(session, holder.engine, tokenizer)
    return written


@index_cli.command("rebuild")
def rebuild_command() -> None:
    """Rebuild the search index from the database and swap it in."""
    holder = get_search()
    session = get_database().session()
    try:
        written = rebuild_index(holder, session)
    finally:
        session.close()
    click.echo(
        f"indexed {written} jobs with {holder.engine.name} (dictionary {holder.tokenizer.version})"
    )


@index_cli.command("sync")
@click.option("--loop", is_flag=True, help="Keep draining (a worker for a cluster engine).")
@click.option("--interval", default=1.0, show_default=True, help="Seconds between drains.")
def sync_command(loop: bool, interval: float) -> None:
    """Apply queued job changes (the outbox) to the search index."""
    holder = get_search()
    while True:
        session = get_database().session()
        try:
            applied = outbox.drain(session, holder.engine, holder.tokenizer)
        finally:
            session.close()
        if applied or not loop:
            click.echo(f"applied {applied} job changes to {holder.engine.name}")
        if not loop:
            return
        time.sleep(interval)


def drain_in_process(app: Flask) -> None:
    """Apply queued changes now (the embedded engine has no worker); failures wait for later."""
    holder = get_search(app)
    session = get_database(app).session()
    try:
        outbox.drain(session, holder.engine, holder.tokenizer)
    except (SearchUnavailable, SQLAlchemyError, sqlite3.Error) as error:
        # the rows stay queued: the next write, `flask index sync` or a rebuild applies them
        log.warning("search outbox not drained: %s", error)
        session.rollback()
    finally:
        session.close()


def _drain_after_write(response: Response) -> Response:
    if request.method not in ("GET", "HEAD", "OPTIONS") and not current_app.config["ES_URL"]:
        drain_in_process(current_app._get_current_object())  # type: ignore[attr-defined]
    return response


def init_app(app: Flask) -> None:
    app.extensions[EXTENSION_KEY] = SearchHolder(app)
    outbox.install()
    app.after_request(_drain_after_write)
    app.cli.add_command(index_cli)
