"""The search outbox: a job change writes a row in the same transaction; a drainer applies it.

The database is the source of truth. A crash between the commit and the index write loses
nothing: the row stays until the index has the change, and applying it twice is harmless.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, Integer, delete, event, func, insert, select
from sqlalchemy.orm import Mapped, Session, joinedload, mapped_column

from indexer.documents import job_document
from marketplace.database import Base, utcnow
from marketplace.employers.models import Employer
from marketplace.jobs.models import Job, JobStatus

log = logging.getLogger(__name__)


class SearchOutbox(Base):
    """A job whose search document may be out of date (no foreign key: deleted jobs too)."""

    __tablename__ = "search_outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[int] = mapped_column(Integer, index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


def enqueue(session: Session, job_ids: list[int]) -> None:
    """Record, inside the caller's transaction, that these jobs need re-indexing."""
    if job_ids:
        session.execute(insert(SearchOutbox), [{"job_id": job_id} for job_id in job_ids])


def _changed_jobs(session: Session) -> set[Job]:
    jobs = {obj for obj in (*session.new, *session.dirty, *session.deleted) if isinstance(obj, Job)}
    employers = [obj for obj in session.dirty if isinstance(obj, Employer)]
    if employers:
        # the key-enterprise flag and verification are part of every document of the employer
        with session.no_autoflush:
            jobs.update(
                session.scalars(
                    select(Job).where(Job.employer_id.in_([employer.id for employer in employers]))
                )
            )
    return jobs


def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    pending = session.info.setdefault("outbox_jobs", set())
    pending.update(_changed_jobs(session))


def _after_flush(session: Session, _context: Any) -> None:
    pending: set[Job] = session.info.pop("outbox_jobs", set())
    ids = sorted({job.id for job in pending if job.id is not None})
    if ids:
        # written in the same transaction as the change itself
        session.execute(insert(SearchOutbox), [{"job_id": job_id} for job_id in ids])


def install() -> None:
    """Hook the outbox into every ORM session (once per process)."""
    if not event.contains(Session, "before_flush", _before_flush):
        event.listen(Session, "before_flush", _before_flush)
        event.listen(Session, "after_flush", _after_flush)


def pending_count(session: Session) -> int:
    """How many jobs wait for the index (a job changed twice waits once)."""
    return session.scalar(select(func.count(func.distinct(SearchOutbox.job_id)))) or 0


def drain(session: Session, engine: Any, tokenizer: Any, batch: int = 500) -> int:
    """Apply outbox rows to the engine, oldest first; returns how many jobs were applied."""
    from marketplace.search.engine import job_record

    applied = 0
    while True:
        rows = session.execute(
            select(SearchOutbox.id, SearchOutbox.job_id).order_by(SearchOutbox.id).limit(batch)
        ).all()
        if not rows:
            return applied
        job_ids = sorted({job_id for _id, job_id in rows})
        jobs = {
            job.id: job
            for job in session.scalars(
                select(Job).options(joinedload(Job.employer)).where(Job.id.in_(job_ids))
            )
        }
        now = utcnow()
        live = [
            job
            for job in jobs.values()
            if job.status == JobStatus.PUBLISHED
            and (job.expires_at is None or job.expires_at > now)
        ]
        gone = [job_id for job_id in job_ids if job_id not in {job.id for job in live}]
        if live:
            engine.index(job_document(job_record(job), tokenizer) for job in live)
        if gone:
            engine.delete(gone)
        # only after the index has them: a crash before this line re-applies them next time
        session.execute(delete(SearchOutbox).where(SearchOutbox.id.in_([r[0] for r in rows])))
        session.commit()
        applied += len(job_ids)


def clear_through(session: Session, last_id: int) -> None:
    """Forget rows up to `last_id` (a full rebuild has applied them)."""
    session.execute(delete(SearchOutbox).where(SearchOutbox.id <= last_id))
    session.commit()


def last_id(session: Session) -> int:
    return session.scalar(select(SearchOutbox.id).order_by(SearchOutbox.id.desc()).limit(1)) or 0
