"""The home page: a search box, popular categories and the newest jobs."""

from __future__ import annotations

from flask import Blueprint, render_template
from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from marketplace.database import db_session
from marketplace.jobs.models import Job, JobStatus

bp = Blueprint("home", __name__)

POPULAR_COUNT = 10


def popular_titles(session: Session) -> list[str]:
    """The most common titles among published postings: categories that lead to results."""
    rows = session.execute(
        select(Job.title, func.count().label("n"))
        .where(Job.status == JobStatus.PUBLISHED)
        .group_by(Job.title)
        .order_by(func.count().desc(), Job.title)
        .limit(POPULAR_COUNT)
    )
    return [title for title, _n in rows]


@bp.get("/")
def index() -> str:
    session = db_session()
    published = Job.status == JobStatus.PUBLISHED
    newest = session.scalars(
        select(Job)
        .options(joinedload(Job.employer))
        .where(published, Job.source == "platform")
        .order_by(Job.published_at.desc())
        .limit(12)
    ).all()
    total = session.scalar(select(func.count()).select_from(Job).where(published)) or 0
    return render_template(
        "home/index.html", newest=newest, total=total, popular=popular_titles(session)
    )
