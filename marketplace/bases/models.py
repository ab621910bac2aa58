"""Labour cooperation bases (劳务合作基地), the digests pushed to them and the recruits they send.

A base's webhook secret is stored as is (signing needs it) but shown only once, when it is made;
its feed token is stored only as a SHA-256 hash.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.database import Base, utcnow


class DeliveryState(StrEnum):
    PENDING = "pending"  # waiting for its first attempt or a retry
    DELIVERED = "delivered"
    FAILED = "failed"  # gave up: a 4xx answer or every attempt used


class AttemptOutcome(StrEnum):
    DELIVERED = "delivered"
    RETRY = "retry"  # a retry is scheduled
    FAILED = "failed"


class LabourBase(Base):
    __tablename__ = "labour_bases"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    province: Mapped[str] = mapped_column(String(20))
    city: Mapped[str] = mapped_column(String(40))
    contact_name: Mapped[str | None] = mapped_column(String(40))
    contact_phone: Mapped[str | None] = mapped_column(String(20))
    # what the base wants (empty list: no filter on that field)
    occupation_prefixes: Mapped[list[str]] = mapped_column(JSON, default=list)
    kinds: Mapped[list[str]] = mapped_column(JSON, default=list)
    min_monthly_pay: Mapped[float | None] = mapped_column(Float)
    keywords: Mapped[list[str]] = mapped_column(JSON, default=list)
    districts: Mapped[list[str]] = mapped_column(JSON, default=list)
    webhook_url: Mapped[str | None] = mapped_column(String(500))
    # HMAC key for the webhook; never rendered after it is made
    webhook_secret: Mapped[str] = mapped_column(String(64))
    # sha256 hex of the feed token (the token itself is shown once)
    feed_token_hash: Mapped[str] = mapped_column(String(64))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


class BaseDelivery(Base):
    """One digest pushed to a base's webhook; the body is kept so retries send the same bytes."""

    __tablename__ = "base_deliveries"

    id: Mapped[int] = mapped_column(primary_key=True)
    base_id: Mapped[int] = mapped_column(
        ForeignKey("labour_bases.id", ondelete="CASCADE"), index=True
    )
    # X-Jiuye-Delivery: the receiver's idempotency key, the same on every retry
    delivery_id: Mapped[str] = mapped_column(String(36), unique=True)
    body: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(10), default=DeliveryState.PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(DateTime, index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)

    base: Mapped[LabourBase] = relationship()


class BaseDeliveryJob(Base):
    """Which vacancies a delivery carried (the shortage board's "pushed to bases")."""

    __tablename__ = "base_delivery_jobs"
    __table_args__ = (UniqueConstraint("delivery_id", "job_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    delivery_id: Mapped[int] = mapped_column(
        ForeignKey("base_deliveries.id", ondelete="CASCADE"), index=True
    )
    job_id: Mapped[int] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"), index=True)


class BaseDeliveryAttempt(Base):
    """One HTTP attempt of a delivery: the delivery log."""

    __tablename__ = "base_delivery_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    delivery_id: Mapped[int] = mapped_column(
        ForeignKey("base_deliveries.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)  # 1 for the first attempt
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    status_code: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(String(300))
    duration_ms: Mapped[int] = mapped_column(Integer)
    outcome: Mapped[str] = mapped_column(String(10))  # AttemptOutcome
    next_retry_at: Mapped[datetime | None] = mapped_column(DateTime)


class BaseRecruit(Base):
    """A person hired who came through a base: an application that reached hired, or a walk-in."""

    __tablename__ = "base_recruits"

    id: Mapped[int] = mapped_column(primary_key=True)
    base_id: Mapped[int] = mapped_column(
        ForeignKey("labour_bases.id", ondelete="CASCADE"), index=True
    )
    # an application is credited to one base only
    application_id: Mapped[int | None] = mapped_column(
        ForeignKey("applications.id", ondelete="SET NULL"), unique=True
    )
    job_id: Mapped[int | None] = mapped_column(ForeignKey("jobs.id", ondelete="SET NULL"))
    person_name: Mapped[str] = mapped_column(String(40))
    note: Mapped[str | None] = mapped_column(Text)
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
