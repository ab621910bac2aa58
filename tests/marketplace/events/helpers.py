"""Test data for events: campaigns, events and published jobs (invented, Weihai-flavoured)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from marketplace.accounts.models import User
from marketplace.database import utcnow
from marketplace.events import services
from marketplace.events.models import Campaign, Event
from marketplace.jobs.models import Job, JobStatus
from marketplace.jobs.services import change_status
from tests.marketplace import factories

RONGCHENG = "371082"
HUANCUI = "371002"


def published_job(session: Session, **fields: Any) -> Job:
    job = factories.job(session, **fields)
    change_status(session, job, JobStatus.PENDING_REVIEW)
    change_status(session, job, JobStatus.PUBLISHED)
    session.flush()
    return job


def campaign(session: Session, actor: User, **fields: Any) -> Campaign:
    today = services.local_today(utcnow())
    values: dict[str, Any] = {
        "name": "春风行动",
        "kind": "spring_breeze",
        "starts_on": today - timedelta(days=30),
        "ends_on": today + timedelta(days=30),
    }
    values.update(fields)
    return services.save_campaign(session, actor, services.CampaignInput(**values))


def event(session: Session, actor: User, starts_at: datetime | None = None, **fields: Any) -> Event:
    start = starts_at or utcnow() + timedelta(days=3)
    values: dict[str, Any] = {
        "title": "荣成市水产加工专场招聘会",
        "format": "offline",
        "kind": "specialised",
        "district_code": RONGCHENG,
        "starts_at": start,
        "ends_at": start + timedelta(hours=3),
        "venue": "荣成市人力资源市场一楼大厅",
    }
    values.update(fields)
    return services.save_event(session, actor, services.EventInput(**values))


def local(day: date, hour: int = 9) -> datetime:
    """Naive UTC for `hour` o'clock Beijing time on `day`."""
    return services.to_utc(datetime(day.year, day.month, day.day, hour))
