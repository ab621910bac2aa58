"""The interaction log: what was shown and done, for the ranker. Nothing else personal."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.database import Base, utcnow


class InteractionEvent(StrEnum):
    IMPRESSION = "impression"
    CLICK = "click"
    APPLY = "apply"
    HIRE = "hire"
    OFFER = "offer"
    ACCEPT = "accept"
    DECLINE = "decline"


class Interaction(Base):
    __tablename__ = "interactions"

    id: Mapped[int] = mapped_column(primary_key=True)
    event: Mapped[str] = mapped_column(String(12), index=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # anonymous browser session id (random, not derived from the person)
    session_id: Mapped[str | None] = mapped_column(String(64), index=True)
    query: Mapped[str | None] = mapped_column(Text)
    filters: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    job_id: Mapped[int | None] = mapped_column(ForeignKey("jobs.id", ondelete="SET NULL"))
    position: Mapped[int | None] = mapped_column(Integer)
    engine: Mapped[str | None] = mapped_column(String(16))
    model_version: Mapped[str | None] = mapped_column(String(64))
