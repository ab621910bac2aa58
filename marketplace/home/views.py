"""The home page: a search box, popular categories and the newest jobs."""

from __future__ import annotations

from flask import Blueprint, render_template
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from marketplace.database import db_session
from marketplace.jobs.models import Job, JobStatus
from marketplace.search.services import example_words, popular_titles

bp = Blueprint("home", __name__)


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
    popular = popular_titles(session)
    return render_template(
        "home/index.html",
        newest=newest,
        total=total,
        popular=popular,
        examples=example_words(popular),
    )
