"""Job seekers' profiles and their applications to jobs."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.database import Base, utcnow
from marketplace.jobs.models import Job


class TargetGroup(StrEnum):
    """Groups the action plan's policies are aimed at."""

    GRADUATE = "graduate"  # 高校毕业生
    MIGRANT_WORKER = "migrant_worker"  # 农民工 (returning or local)
    EMPLOYMENT_DIFFICULTY = "employment_difficulty"  # 就业困难人员
    YOUTH_16_24 = "youth_16_24"  # 16–24 岁失业青年
    ZERO_EMPLOYMENT_HOUSEHOLD = "zero_employment_household"  # 零就业家庭
    DISABLED = "disabled"  # 残疾人
    VETERAN = "veteran"  # 退役军人


class SeekerProfile(Base):
    __tablename__ = "seekers"

    id: Mapped[int] = mapped_column(primary_key=True)
    # empty for a walk-in person registered at a service point without an account
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), unique=True)
    name: Mapped[str] = mapped_column(String(40))
    phone: Mapped[str | None] = mapped_column(String(20))
    # 居民身份证号, only for policy checks; masked everywhere it is shown
    id_number: Mapped[str | None] = mapped_column(String(18))
    birth_date: Mapped[date | None] = mapped_column(Date)
    education: Mapped[str | None] = mapped_column(String(24))  # EducationLevel code
    graduation_year: Mapped[int | None] = mapped_column(Integer)
    experience_years: Mapped[int | None] = mapped_column(Integer)
    skills: Mapped[str] = mapped_column(Text, default="")  # comma-separated tags
    desired_job: Mapped[str | None] = mapped_column(String(80))
    desired_occupation_code: Mapped[str | None] = mapped_column(String(12))
    desired_kind: Mapped[str | None] = mapped_column(String(10))  # JobKind
    expected_pay_min: Mapped[float | None] = mapped_column(Float)
    expected_pay_max: Mapped[float | None] = mapped_column(Float)
    expected_pay_unit: Mapped[str | None] = mapped_column(String(8))
    home_county_code: Mapped[str | None] = mapped_column(ForeignKey("places.code"))
    home_town_code: Mapped[str | None] = mapped_column(ForeignKey("places.code"))
    home_village_code: Mapped[str | None] = mapped_column(ForeignKey("places.code"))
    lat: Mapped[float | None] = mapped_column(Float)
    lng: Mapped[float | None] = mapped_column(Float)
    datum: Mapped[str | None] = mapped_column(String(8))
    target_groups: Mapped[list[str]] = mapped_column(JSON, default=list)
    # may employers find this person among recommended candidates (masked until they apply)
    open_to_employers: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    # the service point that registered a walk-in person
    registered_at_point_id: Mapped[int | None] = mapped_column(ForeignKey("service_points.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


class ApplicationStatus(StrEnum):
    APPLIED = "applied"
    VIEWED = "viewed"
    INTERVIEW = "interview"
    HIRED = "hired"
    NOT_SUITABLE = "not_suitable"
    WITHDRAWN = "withdrawn"


class Application(Base):
    __tablename__ = "applications"
    __table_args__ = (UniqueConstraint("job_id", "seeker_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("jobs.id"), index=True)
    seeker_id: Mapped[int] = mapped_column(ForeignKey("seekers.id"), index=True)
    status: Mapped[str] = mapped_column(String(14), default=ApplicationStatus.APPLIED)
    note: Mapped[str | None] = mapped_column(Text)
    # when and where the employer asked the seeker to come for an interview (naive UTC)
    interview_at: Mapped[datetime | None] = mapped_column(DateTime)
    interview_place: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    job: Mapped[Job] = relationship()
    seeker: Mapped[SeekerProfile] = relationship()


class ApplicationEvent(Base):
    """One status change of an application: what the seeker sees as its history."""

    __tablename__ = "application_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), index=True
    )
    from_status: Mapped[str | None] = mapped_column(String(14))
    to_status: Mapped[str] = mapped_column(String(14))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    application: Mapped[Application] = relationship()


class Invitation(Base):
    """An employer's invitation to a recommended seeker to apply for a job (邀请投递): the
    seeker sees the job and decides; the employer sees no more of them until they apply."""

    __tablename__ = "invitations"
    __table_args__ = (UniqueConstraint("job_id", "seeker_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"), index=True)
    seeker_id: Mapped[int] = mapped_column(ForeignKey("seekers.id", ondelete="CASCADE"), index=True)
    invited_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    job: Mapped[Job] = relationship()
