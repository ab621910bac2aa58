"""Writing search impressions to the interaction log, and reading the log back for training."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from marketplace.interactions.models import Interaction, InteractionEvent
from matching.clicklog import LoggedEvent

log = logging.getLogger(__name__)

# what the ranker learns from (offers, accepts and declines are the gig desk's)
TRAINING_EVENTS = (
    InteractionEvent.IMPRESSION,
    InteractionEvent.CLICK,
    InteractionEvent.APPLY,
    InteractionEvent.HIRE,
)


def record_impressions(
    session: Session,
    shown: Sequence[tuple[int, int]],
    *,
    query: str,
    filters: Mapping[str, str],
    engine: str,
    model_version: str | None,
    session_id: str,
    user_id: int | None,
) -> bool:
    """One IMPRESSION row per (job id, 1-based overall position) shown, in one commit.

    Returns whether they were written: a failure is logged and rolled back, never raised (the
    log must not cost anyone their search).
    """
    if not shown:
        return True
    try:
        session.add_all(
            Interaction(
                event=InteractionEvent.IMPRESSION,
                job_id=job_id,
                position=position,
                query=query,
                filters=dict(filters),
                engine=engine,
                model_version=model_version,
                session_id=session_id,
                user_id=user_id,
            )
            for job_id, position in shown
        )
        session.commit()
    except SQLAlchemyError as error:
        session.rollback()
        log.warning("impressions of a search for %r not logged: %s", query, error)
        return False
    return True


def logged_events(session: Session, since: datetime | None = None) -> list[LoggedEvent]:
    """The log's impressions, clicks, applications and hires (from `since`), oldest first."""
    statement = (
        select(Interaction)
        .where(Interaction.event.in_([event.value for event in TRAINING_EVENTS]))
        .where(Interaction.job_id.is_not(None))
        .order_by(Interaction.at, Interaction.id)
    )
    if since is not None:
        statement = statement.where(Interaction.at >= since)
    return [
        LoggedEvent(
            event=row.event,
            job_id=row.job_id,
            at=row.at,
            session_id=row.session_id,
            user_id=row.user_id,
            query=row.query,
            position=row.position,
        )
        for row in session.scalars(statement.execution_options(yield_per=5000))
        if row.job_id is not None
    ]
