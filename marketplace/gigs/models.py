"""Odd jobs (零工) in SQL, the record: workers' availability, requests, offers, ratings, history.

Redis holds only the live queue derived from these tables (see `queue.py` and `recovery.py`).
"""

from __future__ import annotations

from datetime import datetime, time
from enum import StrEnum

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.database import Base, utcnow
from marketplace.seekers.models import SeekerProfile

# The skill tags a worker or a request may carry: the odd jobs of Weihai's villages and ports.
SKILLS: tuple[str, ...] = (
    "搬运",
    "保洁",
    "采摘",
    "水产加工",
    "装卸",
    "家政",
    "瓦工",
    "电焊",
    "厨工",
    "看护",
    "绿化",
    "木工",
    "水电维修",
    "油漆工",
    "养殖",
    "渔网修补",
    "驾驶",
    "服务员",
)

ALL_DAYS = "1234567"  # ISO weekdays, Monday = 1


class PayUnit(StrEnum):
    DAY = "day"
    HOUR = "hour"
    PIECE = "piece"


class RequestStatus(StrEnum):
    OPEN = "open"
    FILLED = "filled"  # every place taken; a withdrawal opens it again
    CANCELLED = "cancelled"
    EXPIRED = "expired"  # the window started with nobody hired
    COMPLETED = "completed"


# Requests whose queue lives in Redis.
LIVE_REQUEST_STATUSES = (RequestStatus.OPEN, RequestStatus.FILLED)


class OfferStatus(StrEnum):
    OFFERED = "offered"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    EXPIRED = "expired"
    WITHDRAWN = "withdrawn"  # the worker gave the place back before the start
    CANCELLED = "cancelled"  # the requester cancelled the request
    COMPLETED = "completed"
    NO_SHOW = "no_show"  # accepted, then did not come


class RatingDirection(StrEnum):
    WORKER_TO_REQUESTER = "worker_to_requester"
    REQUESTER_TO_WORKER = "requester_to_worker"


class GigWorker(Base):
    """A person's odd-job availability; at most one per seeker profile."""

    __tablename__ = "gig_workers"

    id: Mapped[int] = mapped_column(primary_key=True)
    seeker_id: Mapped[int] = mapped_column(ForeignKey("seekers.id"), unique=True)
    skills: Mapped[str] = mapped_column(Text, default="")  # comma-separated SKILLS
    # home village/community (or town when the village is not known)
    place_code: Mapped[str | None] = mapped_column(ForeignKey("places.code"), index=True)
    lat: Mapped[float] = mapped_column(Float)
    lng: Mapped[float] = mapped_column(Float)
    datum: Mapped[str | None] = mapped_column(String(8))
    days: Mapped[str] = mapped_column(String(7), default=ALL_DAYS)
    # hours of the day available; both empty means any time
    available_from: Mapped[time | None] = mapped_column(Time)
    available_until: Mapped[time | None] = mapped_column(Time)
    rate_amount: Mapped[float | None] = mapped_column(Float)
    rate_unit: Mapped[str | None] = mapped_column(String(8))  # PayUnit
    phone_verified: Mapped[bool] = mapped_column(Boolean, default=False)
    paused: Mapped[bool] = mapped_column(Boolean, default=False)
    registered_by_point_id: Mapped[int | None] = mapped_column(ForeignKey("service_points.id"))
    # reliability, kept in step by the services on every transition
    offers_count: Mapped[int] = mapped_column(Integer, default=0)
    accepts_count: Mapped[int] = mapped_column(Integer, default=0)
    declines_count: Mapped[int] = mapped_column(Integer, default=0)
    withdrawals_count: Mapped[int] = mapped_column(Integer, default=0)
    completions_count: Mapped[int] = mapped_column(Integer, default=0)
    no_shows_count: Mapped[int] = mapped_column(Integer, default=0)
    rating_sum: Mapped[int] = mapped_column(Integer, default=0)
    rating_count: Mapped[int] = mapped_column(Integer, default=0)
    # fair rotation: among similar candidates the one offered least recently goes first
    last_offered_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    seeker: Mapped[SeekerProfile] = relationship()

    @property
    def skill_set(self) -> set[str]:
        return {tag for tag in self.skills.split(",") if tag}


class GigRequest(Base):
    """An odd-job task: who asks, where, when, pay, how many people; 即时快招 when urgent."""

    __tablename__ = "gig_requests"
    __table_args__ = (
        CheckConstraint("headcount >= 1", name="headcount_positive"),
        CheckConstraint("ends_at > starts_at", name="window_ordered"),
        # an account, or a service point acting for a walk-in requester
        CheckConstraint(
            "requester_user_id IS NOT NULL OR service_point_id IS NOT NULL", name="has_requester"
        ),
        Index("ix_gig_requests_status_starts_at", "status", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    requester_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    service_point_id: Mapped[int | None] = mapped_column(ForeignKey("service_points.id"))
    # the walk-in requester's name and phone when staff post for them
    contact_name: Mapped[str | None] = mapped_column(String(40))
    contact_phone: Mapped[str | None] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    skills: Mapped[str] = mapped_column(Text, default="")  # comma-separated SKILLS
    place_code: Mapped[str | None] = mapped_column(ForeignKey("places.code"))
    address: Mapped[str | None] = mapped_column(String(200))
    lat: Mapped[float] = mapped_column(Float)
    lng: Mapped[float] = mapped_column(Float)
    datum: Mapped[str | None] = mapped_column(String(8))
    starts_at: Mapped[datetime] = mapped_column(DateTime)
    ends_at: Mapped[datetime] = mapped_column(DateTime)
    pay_amount: Mapped[float] = mapped_column(Float)
    pay_unit: Mapped[str] = mapped_column(String(8))  # PayUnit
    headcount: Mapped[int] = mapped_column(Integer)
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)  # 即时快招
    status: Mapped[str] = mapped_column(String(12), default=RequestStatus.OPEN)
    # the widest search radius dispatch used, and what it said about it
    radius_km: Mapped[float | None] = mapped_column(Float)
    dispatch_note: Mapped[str | None] = mapped_column(Text)
    waves: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)

    @property
    def skill_set(self) -> set[str]:
        return {tag for tag in self.skills.split(",") if tag}

    def not_over(self, now: datetime) -> bool:
        """Open or filled, and its hours not yet past: what anyone may still see of it, and
        while its accepted workers may still call the poster."""
        return self.status in LIVE_REQUEST_STATUSES and self.ends_at > now


class GigOffer(Base):
    """One request offered to one worker (at most once), and what became of it."""

    __tablename__ = "gig_offers"
    __table_args__ = (
        UniqueConstraint("request_id", "worker_id"),
        # the expiry sweep reads live offers by deadline
        Index("ix_gig_offers_status_expires_at", "status", "expires_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("gig_requests.id"), index=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("gig_workers.id"), index=True)
    wave: Mapped[int] = mapped_column(Integer)
    rank: Mapped[int] = mapped_column(Integer)  # position within its wave, from 1
    distance_km: Mapped[float] = mapped_column(Float)
    score: Mapped[float] = mapped_column(Float)
    offered_at: Mapped[datetime] = mapped_column(DateTime)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    status: Mapped[str] = mapped_column(String(12), default=OfferStatus.OFFERED)
    responded_at: Mapped[datetime | None] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    request: Mapped[GigRequest] = relationship()
    worker: Mapped[GigWorker] = relationship()


class GigRating(Base):
    """A 1–5 rating after completion, worker → requester or requester → worker."""

    __tablename__ = "gig_ratings"
    __table_args__ = (
        UniqueConstraint("request_id", "worker_id", "direction"),
        CheckConstraint("score BETWEEN 1 AND 5", name="score_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("gig_requests.id"), index=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("gig_workers.id"), index=True)
    direction: Mapped[str] = mapped_column(String(20))  # RatingDirection
    score: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str | None] = mapped_column(Text)
    rater_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class GigEvent(Base):
    """One state change of a worker, request or offer: the history the queue is rebuilt beside."""

    __tablename__ = "gig_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    subject: Mapped[str] = mapped_column(String(8))  # worker / request / offer
    request_id: Mapped[int | None] = mapped_column(ForeignKey("gig_requests.id"), index=True)
    worker_id: Mapped[int | None] = mapped_column(ForeignKey("gig_workers.id"), index=True)
    offer_id: Mapped[int | None] = mapped_column(ForeignKey("gig_offers.id"))
    from_status: Mapped[str | None] = mapped_column(String(12))
    to_status: Mapped[str] = mapped_column(String(12))
    note: Mapped[str | None] = mapped_column(Text)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
