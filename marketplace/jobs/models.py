"""Job postings (full-time, part-time, odd job), their pay, place and status history."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.database import Base, utcnow
from marketplace.employers.models import Employer


class JobKind(StrEnum):
    FULL_TIME = "full_time"
    PART_TIME = "part_time"
    ODD_JOB = "odd_job"


class JobStatus(StrEnum):
    DRAFT = "draft"
    PENDING_REVIEW = "pending_review"
    CHANGES_REQUESTED = "changes_requested"
    REJECTED = "rejected"
    PUBLISHED = "published"
    FILLED = "filled"
    CLOSED = "closed"
    EXPIRED = "expired"


class Job(Base):
    __tablename__ = "jobs"
    __table_args__ = (
        # an imported posting is identified by where it came from
        UniqueConstraint("source", "source_id"),
        Index("ix_jobs_status_published_at", "status", "published_at"),
        # the pay check's reference: postings of one city (jobs.pay_reference)
        Index("ix_jobs_city_status", "city", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    employer_id: Mapped[int] = mapped_column(ForeignKey("employers.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10), default=JobKind.FULL_TIME)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    occupation_code: Mapped[str | None] = mapped_column(String(12), index=True)
    occupation_name: Mapped[str | None] = mapped_column(String(120))
    # pay as stated, with its unit (month/year/day/hour/piece; None = not stated or unknown)
    salary_min: Mapped[float | None] = mapped_column(Float)
    salary_max: Mapped[float | None] = mapped_column(Float)
    salary_unit: Mapped[str | None] = mapped_column(String(8))
    salary_months: Mapped[int | None] = mapped_column(Integer)
    # derived monthly equivalent (DESIGN.md "Money"), kept in step by jobs.services
    salary_monthly_min: Mapped[float | None] = mapped_column(Float)
    salary_monthly_max: Mapped[float | None] = mapped_column(Float)
    headcount: Mapped[int | None] = mapped_column(Integer)
    education: Mapped[str | None] = mapped_column(String(24))  # EducationLevel code
    education_raw: Mapped[str | None] = mapped_column(String(40))
    experience_years: Mapped[int | None] = mapped_column(Integer)
    skills: Mapped[str] = mapped_column(Text, default="")  # comma-separated tags
    benefits: Mapped[str] = mapped_column(Text, default="")  # comma-separated tags
    # where: Weihai codes when known, free text names for imported postings elsewhere
    county_code: Mapped[str | None] = mapped_column(ForeignKey("places.code"), index=True)
    town_code: Mapped[str | None] = mapped_column(ForeignKey("places.code"), index=True)
    village_code: Mapped[str | None] = mapped_column(ForeignKey("places.code"))
    province: Mapped[str | None] = mapped_column(String(20))
    city: Mapped[str | None] = mapped_column(String(40))
    city_code: Mapped[str | None] = mapped_column(String(6))
    district: Mapped[str | None] = mapped_column(String(40))
    address: Mapped[str | None] = mapped_column(String(300))
    lat: Mapped[float | None] = mapped_column(Float)
    lng: Mapped[float | None] = mapped_column(Float)
    datum: Mapped[str | None] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(20), default=JobStatus.DRAFT)
    # provenance: "platform" for postings made here, else the importing platform (BOSS, 51JOB...)
    source: Mapped[str] = mapped_column(String(20), default="platform")
    source_id: Mapped[str | None] = mapped_column(String(80))
    source_url: Mapped[str | None] = mapped_column(String(500))
    # hash of the imported row: re-importing an unchanged row changes nothing
    source_hash: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    # when the posting last went into review (the green channel's clock starts here)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime)
    # the posting checks' warnings at the last submit, for the reviewer (jobs.checks.Finding)
    check_findings: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    published_at: Mapped[datetime | None] = mapped_column(DateTime)
    expires_at: Mapped[datetime | None] = mapped_column(DateTime)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)

    employer: Mapped[Employer] = relationship()


class JobStatusEvent(Base):
    """One status change of a job: the history behind its lifecycle."""

    __tablename__ = "job_status_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    job: Mapped[Job] = relationship()
