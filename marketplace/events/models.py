"""Recruitment campaigns (春风行动 …), events in them, employers' booths and the jobs at each."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.database import Base, utcnow
from marketplace.employers.models import Employer
from marketplace.jobs.models import Job
from marketplace.places.models import Place


class CampaignKind(StrEnum):
    """The campaigns the action plan names, plus the campus season and anything else."""

    SPRING_BREEZE = "spring_breeze"  # 春风行动
    PRIVATE_ENTERPRISE_MONTH = "private_month"  # 民营企业招聘月
    HUNDRED_DAYS_ONLINE = "hundred_days"  # 百日千万网络招聘专项行动
    GOLDEN_AUTUMN = "golden_autumn"  # 金秋招聘月
    CAMPUS_SEASON = "campus_season"  # 高校毕业生校园招聘季
    OTHER = "other"


class EventFormat(StrEnum):
    ONLINE = "online"
    OFFLINE = "offline"


class EventKind(StrEnum):
    SPECIALISED = "specialised"  # 专场招聘会 (one industry or group)
    COMPREHENSIVE = "comprehensive"  # 综合招聘会


class EventStatus(StrEnum):
    PLANNED = "planned"
    HELD = "held"
    CANCELLED = "cancelled"


class BoothStatus(StrEnum):
    REGISTERED = "registered"  # the employer asked for a booth
    CONFIRMED = "confirmed"  # staff accepted it; shown to seekers
    CANCELLED = "cancelled"


class Campaign(Base):
    __tablename__ = "campaigns"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(16))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    description: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Event(Base):
    """One recruitment event; times are naive UTC like every timestamp here."""

    __tablename__ = "events"
    __table_args__ = (Index("ix_events_district_code_starts_at", "district_code", "starts_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    campaign_id: Mapped[int | None] = mapped_column(
        ForeignKey("campaigns.id", ondelete="SET NULL"), index=True
    )
    format: Mapped[str] = mapped_column(String(8))
    kind: Mapped[str] = mapped_column(String(14))
    is_campus: Mapped[bool] = mapped_column(Boolean, default=False)
    school: Mapped[str | None] = mapped_column(String(120))
    # the county-level place (区/市/开发区) the event counts for
    district_code: Mapped[str] = mapped_column(ForeignKey("places.code"))
    starts_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(DateTime)
    venue: Mapped[str | None] = mapped_column(String(200))  # offline
    link: Mapped[str | None] = mapped_column(String(500))  # online
    organiser_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(10), default=EventStatus.PLANNED)
    notes: Mapped[str] = mapped_column(Text, default="")
    cancel_reason: Mapped[str | None] = mapped_column(Text)
    # recorded by staff after the event
    visitors: Mapped[int | None] = mapped_column(Integer)
    seekers_registered: Mapped[int | None] = mapped_column(Integer)
    held_recorded_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    campaign: Mapped[Campaign | None] = relationship()
    district: Mapped[Place] = relationship()


booth_jobs = Table(
    "booth_jobs",
    Base.metadata,
    Column("booth_id", ForeignKey("booths.id", ondelete="CASCADE"), primary_key=True),
    Column("job_id", ForeignKey("jobs.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Booth(Base):
    """An employer's booth at one event (one per employer and event)."""

    __tablename__ = "booths"
    __table_args__ = (UniqueConstraint("event_id", "employer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    employer_id: Mapped[int] = mapped_column(ForeignKey("employers.id"), index=True)
    status: Mapped[str] = mapped_column(String(10), default=BoothStatus.REGISTERED)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    event: Mapped[Event] = relationship()
    employer: Mapped[Employer] = relationship()
    jobs: Mapped[list[Job]] = relationship(secondary=booth_jobs, order_by=Job.id)
