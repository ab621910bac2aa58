"""The county → town → village service network and the service points attached to it."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import Float, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.database import Base


class PlaceLevel(StrEnum):
    CITY = "city"
    COUNTY = "county"
    TOWN = "town"
    VILLAGE = "village"


class Precision(StrEnum):
    """How precisely a point locates a place: its own point, or one inherited from a parent."""

    EXACT = "exact"
    TOWN = "town"
    COUNTY = "county"
    UNKNOWN = "unknown"


class Datum(StrEnum):
    WGS84 = "WGS-84"
    GCJ02 = "GCJ-02"


class Place(Base):
    """An administrative place with its official code (GB/T 2260 + NBS: 6, 9 or 12 digits)."""

    __tablename__ = "places"

    code: Mapped[str] = mapped_column(String(12), primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    level: Mapped[str] = mapped_column(String(10), index=True)
    parent_code: Mapped[str | None] = mapped_column(
        ForeignKey("places.code", ondelete="RESTRICT"), index=True
    )
    # village / community (from the name suffix 村委会 / 居委会·社区), empty above village level
    kind: Mapped[str | None] = mapped_column(String(12))
    lat: Mapped[float | None] = mapped_column(Float)
    lng: Mapped[float | None] = mapped_column(Float)
    datum: Mapped[str | None] = mapped_column(String(8))
    precision: Mapped[str] = mapped_column(String(8), default=Precision.UNKNOWN)

    parent: Mapped[Place | None] = relationship(remote_side=[code])


class ServicePoint(Base):
    """A county, town or village/community service point (村居服务站) at one place."""

    __tablename__ = "service_points"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    level: Mapped[str] = mapped_column(String(10))  # county / town / village
    place_code: Mapped[str] = mapped_column(ForeignKey("places.code"), index=True)
    address: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(20))
    lat: Mapped[float | None] = mapped_column(Float)
    lng: Mapped[float | None] = mapped_column(Float)
    datum: Mapped[str | None] = mapped_column(String(8))

    place: Mapped[Place] = relationship()
