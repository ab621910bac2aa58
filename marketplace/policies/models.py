"""Policies loaded from the policy file, seekers' claims, and the facts seekers declare for them."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.database import Base, utcnow
from marketplace.seekers.models import SeekerProfile


class Policy(Base):
    """One subsidy or support; the policy file is its source, `flask policies load` upserts it."""

    __tablename__ = "policies"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)  # stable key of the file's entry
    name: Mapped[str] = mapped_column(String(80))
    summary: Mapped[str] = mapped_column(Text)
    side: Mapped[str] = mapped_column(String(10))  # seeker / employer: who claims it
    target: Mapped[str] = mapped_column(Text)
    amount: Mapped[dict[str, Any]] = mapped_column(JSON)
    # Asia/Shanghai calendar dates, both inclusive
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date] = mapped_column(Date)
    documents: Mapped[list[str]] = mapped_column(JSON, default=list)
    office: Mapped[str] = mapped_column(String(120))
    phone: Mapped[str] = mapped_column(String(40))
    rule: Mapped[dict[str, Any]] = mapped_column(JSON)
    note: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


class ClaimStatus(StrEnum):
    APPLIED = "applied"
    APPROVED = "approved"
    REJECTED = "rejected"
    PAID = "paid"


class PolicyClaim(Base):
    """A seeker's claim of a policy; staff move it on. Any claim ends the outreach to them."""

    __tablename__ = "policy_claims"

    id: Mapped[int] = mapped_column(primary_key=True)
    seeker_id: Mapped[int] = mapped_column(ForeignKey("seekers.id", ondelete="CASCADE"), index=True)
    policy_id: Mapped[int] = mapped_column(ForeignKey("policies.id"), index=True)
    status: Mapped[str] = mapped_column(String(10), default=ClaimStatus.APPLIED)
    applied_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime)
    # the staff member who last changed the status
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    note: Mapped[str | None] = mapped_column(Text)

    policy: Mapped[Policy] = relationship()
    seeker: Mapped[SeekerProfile] = relationship()


class PolicyDeclaration(Base):
    """A fact the profile does not hold (e.g. "my employer pays my social insurance"), as stated."""

    __tablename__ = "policy_declarations"
    __table_args__ = (UniqueConstraint("seeker_id", "fact"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    seeker_id: Mapped[int] = mapped_column(ForeignKey("seekers.id", ondelete="CASCADE"), index=True)
    fact: Mapped[str] = mapped_column(String(40))  # a rules.FACTS name with source "declared"
    value: Mapped[bool] = mapped_column(Boolean)
    declared_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
