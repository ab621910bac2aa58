"""Employers (用人单位): identity, verification by staff, and the key-enterprise flag."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Boolean, DateTime, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.database import Base, utcnow


class Verification(StrEnum):
    UNVERIFIED = "unverified"
    PENDING = "pending"
    VERIFIED = "verified"
    REJECTED = "rejected"


class KeyCategory(StrEnum):
    """Why staff flagged an employer as a key enterprise (重点企业)."""

    ABOVE_SCALE_INDUSTRIAL = "above_scale_industrial"  # 规上工业企业
    NEW_TARGET = "new_target"  # 冲击新目标重点企业
    OTHER = "other"  # 其他重点企业


class Employer(Base):
    __tablename__ = "employers"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    # 统一社会信用代码; required when an employer registers itself, absent for most imports
    credit_code: Mapped[str | None] = mapped_column(String(18), unique=True)
    verification: Mapped[str] = mapped_column(String(12), default=Verification.UNVERIFIED)
    verified_at: Mapped[datetime | None] = mapped_column(DateTime)
    # why staff refused the registration, shown to the employer (empty once verified)
    verification_note: Mapped[str | None] = mapped_column(Text)
    # set only by staff (see employers.services)
    is_key_enterprise: Mapped[bool] = mapped_column(Boolean, default=False)
    key_category: Mapped[str | None] = mapped_column(String(24))
    industry: Mapped[str | None] = mapped_column(String(80))
    insured_employees: Mapped[int | None] = mapped_column(Integer)
    description: Mapped[str | None] = mapped_column(Text)
    county_code: Mapped[str | None] = mapped_column(ForeignKey("places.code"))
    address: Mapped[str | None] = mapped_column(String(200))
    lat: Mapped[float | None] = mapped_column(Float)
    lng: Mapped[float | None] = mapped_column(Float)
    datum: Mapped[str | None] = mapped_column(String(8))
    # imported from a postings file rather than registered on the platform
    imported: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
