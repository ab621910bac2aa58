"""The 5 km service-circle coverage report: which villages have a service point near them.

Only villages located to town precision or better are counted; the others are listed as
"location unknown" rather than guessed covered or uncovered from a county centre.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from indexer.geo import distance_km
from marketplace.places.models import Place, PlaceLevel, Precision, ServicePoint

LOCATED = {Precision.EXACT, Precision.TOWN}
COVERED, UNCOVERED, UNKNOWN = "covered", "uncovered", "unknown"


@dataclass(frozen=True)
class VillageDistance:
    code: str
    name: str
    distance_km: float | None  # to the nearest service point; None when there is none
    nearest: str | None  # that point's name


@dataclass
class CountyCoverage:
    code: str
    name: str
    villages: int = 0
    counted: int = 0
    covered: int = 0
    unknown: int = 0

    @property
    def share(self) -> float | None:
        return self.covered / self.counted if self.counted else None


@dataclass
class CoverageReport:
    radius_km: float
    villages: int = 0
    counted: int = 0
    covered: int = 0
    unknown: int = 0
    service_points: int = 0  # with a usable point
    # town code → its uncovered villages, nearest first; town code → names of unknown villages
    uncovered_by_town: dict[str, list[VillageDistance]] = field(default_factory=dict)
    unknown_by_town: dict[str, list[str]] = field(default_factory=dict)
    town_names: dict[str, str] = field(default_factory=dict)
    counties: list[CountyCoverage] = field(default_factory=list)
    status: dict[str, str] = field(default_factory=dict)  # village code → covered/...
    notes: list[str] = field(default_factory=list)

    @property
    def uncovered(self) -> int:
        return self.counted - self.covered

    @property
    def share(self) -> float | None:
        return self.covered / self.counted if self.counted else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "radius_km": self.radius_km,
            "villages": self.villages,
            "counted": self.counted,
            "covered": self.covered,
            "covered_share": self.share,
            "uncovered": self.uncovered,
            "location_unknown": self.unknown,
            "service_points": self.service_points,
            "counties": [{**asdict(county), "share": county.share} for county in self.counties],
            "uncovered_by_town": {
                code: {"town": self.town_names.get(code), "villages": [asdict(v) for v in rows]}
                for code, rows in self.uncovered_by_town.items()
            },
            "unknown_by_town": {
                code: {"town": self.town_names.get(code), "villages": names}
                for code, names in self.unknown_by_town.items()
            },
            "notes": self.notes,
        }

    def lines(self, detail: int = 10) -> list[str]:
        """A plain-text summary; `detail` caps the towns listed in each list."""
        out = [
            f"radius: {self.radius_km:g} km, service points with a location: {self.service_points}",
            f"villages: {self.villages}, counted (located to town or better): {self.counted}",
            f"covered: {self.covered} ({_percent(self.share)}), uncovered: {self.uncovered}",
            f"location unknown: {self.unknown}",
            "per county:",
        ]
        for county in self.counties:
            out.append(
                f"  {county.name} {county.code}: villages {county.villages}, counted "
                f"{county.counted}, covered {county.covered} ({_percent(county.share)}), "
                f"unknown {county.unknown}"
            )
        towns = sorted(self.uncovered_by_town.items(), key=lambda item: -len(item[1]))
        out.append(f"uncovered by town ({len(towns)} towns):")
        for code, rows in towns[:detail]:
            nearest = rows[0].distance_km
            where = f", nearest point {nearest:.1f} km" if nearest is not None else ""
            out.append(f"  {self.town_names.get(code, code)}: {len(rows)} villages{where}")
        unknown = sorted(self.unknown_by_town.items(), key=lambda item: -len(item[1]))
        out.append(f"location unknown by town ({len(unknown)} towns):")
        for code, names in unknown[:detail]:
            sample = "、".join(names[:5]) + ("…" if len(names) > 5 else "")
            out.append(f"  {self.town_names.get(code, code)}: {len(names)} ({sample})")
        out += [f"note: {note}" for note in self.notes]
        return out


def _percent(share: float | None) -> str:
    return "n/a" if share is None else f"{share:.1%}"


def located_points(session: Session) -> list[tuple[str, float, float, str | None]]:
    """(name, lat, lng, datum) of each service point that has a usable location.

    A point without its own coordinates stands at its place's point, but only when that place
    is located to town precision or better; a county centre would overstate coverage.
    """
    out = []
    rows = session.execute(select(ServicePoint, Place).join(Place)).all()
    for point, place in rows:
        if point.lat is not None and point.lng is not None:
            out.append((point.name, point.lat, point.lng, point.datum))
        elif place.lat is not None and place.lng is not None and place.precision in LOCATED:
            out.append((point.name, place.lat, place.lng, place.datum))
    return out


def coverage(session: Session, radius_km: float = 5.0) -> CoverageReport:
    """The share of located villages within `radius_km` of a service point, and what is not."""
    report = CoverageReport(radius_km=radius_km)
    places = list(session.scalars(select(Place).where(Place.level != PlaceLevel.VILLAGE)))
    names = {place.code: place.name for place in places}
    report.town_names = {p.code: p.name for p in places if p.level == PlaceLevel.TOWN}
    counties = {
        p.code: CountyCoverage(p.code, p.name) for p in places if p.level == PlaceLevel.COUNTY
    }
    points = located_points(session)
    report.service_points = len(points)
    datums = {datum for *_, datum in points}
    villages = session.scalars(
        select(Place).where(Place.level == PlaceLevel.VILLAGE).order_by(Place.code)
    )
    uncovered: dict[str, list[VillageDistance]] = defaultdict(list)
    unknown: dict[str, list[str]] = defaultdict(list)
    for village in villages:
        report.villages += 1
        town_code = village.parent_code or village.code[:9]
        county = counties.setdefault(
            village.code[:6], CountyCoverage(village.code[:6], names.get(village.code[:6], ""))
        )
        county.villages += 1
        if village.precision not in LOCATED or village.lat is None or village.lng is None:
            report.unknown += 1
            county.unknown += 1
            unknown[town_code].append(village.name)
            report.status[village.code] = UNKNOWN
            continue
        report.counted += 1
        county.counted += 1
        datums.add(village.datum)
        nearest, name = _nearest(village.lat, village.lng, points)
        if nearest is not None and nearest <= radius_km:
            report.covered += 1
            county.covered += 1
            report.status[village.code] = COVERED
        else:
            report.status[village.code] = UNCOVERED
            rounded = None if nearest is None else round(nearest, 2)
            uncovered[town_code].append(VillageDistance(village.code, village.name, rounded, name))
    report.uncovered_by_town = dict(uncovered)
    report.unknown_by_town = dict(unknown)
    report.counties = [county for _, county in sorted(counties.items()) if county.villages]
    report.notes = _notes(report, datums)
    return report


def _nearest(
    lat: float, lng: float, points: list[tuple[str, float, float, str | None]]
) -> tuple[float | None, str | None]:
    best: tuple[float | None, str | None] = (None, None)
    for name, point_lat, point_lng, _ in points:
        distance = distance_km(lat, lng, point_lat, point_lng)
        if distance is not None and (best[0] is None or distance < best[0]):
            best = (distance, name)
    return best


def _notes(report: CoverageReport, datums: set[str | None]) -> list[str]:
    notes = [
        "Villages have no points of their own in the source data: a village located to town "
        "precision stands at its town's seat, so 'covered' means the town seat is within "
        f"{report.radius_km:g} km of a service point, not that the village itself is.",
    ]
    if report.unknown:
        notes.append(
            f"{report.unknown} villages are located only to their county (or not at all) and "
            "are left out of the share rather than guessed."
        )
    if not report.service_points:
        notes.append("No service point has a location, so nothing is covered.")
    known = sorted(datum for datum in datums if datum)
    if len(known) > 1:
        notes.append(
            f"Points mix datums ({', '.join(known)}); GCJ-02 is about 0.5 km off WGS-84, small "
            "beside the radius but enough to move a village at the edge."
        )
    return notes
