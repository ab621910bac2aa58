"""Test data for bases: a registered base (with its one-time values) and key-enterprise jobs."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy.orm import Session

from marketplace.accounts.models import User
from marketplace.bases import services
from marketplace.database import utcnow
from marketplace.jobs.models import Job, JobStatus
from marketplace.seekers.models import Application, ApplicationStatus, SeekerProfile
from tests.marketplace import factories


def base(session: Session, actor: User, **fields: Any) -> services.Created:
    values: dict[str, Any] = {
        "name": "甘肃定西劳务合作基地",
        "province": "甘肃省",
        "city": "定西市",
    }
    values.update(fields)
    created = services.register_base(session, actor, services.BaseFields(**values))
    session.commit()
    return created


def published(session: Session, days_ago: float = 0, key: bool = False, **fields: Any) -> Job:
    """A published vacancy, `days_ago` old, of a key enterprise when `key`."""
    owner = fields.pop("employer", None) or factories.employer(session, is_key_enterprise=key)
    return factories.job(
        session,
        employer=owner,
        status=JobStatus.PUBLISHED,
        published_at=utcnow() - timedelta(days=days_ago),
        **fields,
    )


def applications(session: Session, job: Job, hired: int = 0, other: int = 0) -> list[Application]:
    """`hired` applications that reached hired and `other` still in progress, for `job`."""
    made = []
    statuses = [ApplicationStatus.HIRED] * hired + [ApplicationStatus.INTERVIEW] * other
    for number, status in enumerate(statuses):
        seeker = SeekerProfile(name=f"求职者{job.id}-{number}")
        session.add(seeker)
        session.flush()
        record = Application(job_id=job.id, seeker_id=seeker.id, status=status)
        session.add(record)
        made.append(record)
    session.flush()
    return made
