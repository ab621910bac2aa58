"""People who sign in (seekers, employer accounts, staff) and registered kiosk terminals."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Boolean, DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.database import Base, utcnow
from marketplace.employers.models import Employer
from marketplace.places.models import ServicePoint


class Role(StrEnum):
    SEEKER = "seeker"
    EMPLOYER = "employer"  # an account acting for one employer
    STAFF = "staff"  # city level when service_point_id is empty, else that point and below


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(10), index=True)
    display_name: Mapped[str] = mapped_column(String(80))
    # mobile number, shown masked except to the parties who need it
    phone: Mapped[str | None] = mapped_column(String(20), unique=True)
    employer_id: Mapped[int | None] = mapped_column(ForeignKey("employers.id"), index=True)
    service_point_id: Mapped[int | None] = mapped_column(ForeignKey("service_points.id"))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime)

    employer: Mapped[Employer | None] = relationship()
    service_point: Mapped[ServicePoint | None] = relationship()


class KioskDevice(Base):
    """A shared touch terminal bound to one service point, signed in with a device token."""

    __tablename__ = "kiosk_devices"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    service_point_id: Mapped[int] = mapped_column(ForeignKey("service_points.id"), index=True)
    # SHA-256 of the token: the token itself is shown once to the staff member who set it
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_seen_at: Mapped[datetime | None] = mapped_column(DateTime)

    service_point: Mapped[ServicePoint] = relationship()
