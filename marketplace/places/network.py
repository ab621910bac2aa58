"""Import the county → town → village/community tree and its points into `places`.

Idempotent: a place is written only when its name, parent, kind or point changes. A point is
never replaced by a less precise one, so a place's own point survives later, rougher imports.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from marketplace.places.models import Datum, Place, PlaceLevel, Precision
from marketplace.places.weihai import CITY_CODE, CITY_NAME

TREE_COLUMNS = {
    "county_code",
    "county_name",
    "town_code",
    "town_name",
    "village_code",
    "village_name",
    "kind",
}
TOWN_POINT_COLUMNS = {"town_code", "lng_wgs84", "lat_wgs84", "match_status"}
COUNTY_POINT_COLUMNS = {"adcode", "longitude", "latitude"}
# GeoNames matches we trust: one candidate, or the nearest of several to the county centre.
# "ambiguous_nearest" picked between equally plausible places, so it is left out.
TRUSTED_MATCHES = {"matched_unique", "matched_nearest"}
KINDS = {"village", "community"}
# Best first; a point only replaces another of the same or a better rank.
PRECISION_RANK = {Precision.EXACT: 3, Precision.TOWN: 2, Precision.COUNTY: 1, Precision.UNKNOWN: 0}
# A generous box around Shandong: a point outside it is a reading error, not a place.
LNG_RANGE, LAT_RANGE = (114.0, 123.5), (34.0, 38.5)


class BadRow(ValueError):
    """A row that cannot go in; the message is the reason shown in the report."""


@dataclass(frozen=True)
class Point:
    lng: float
    lat: float
    datum: str | None
    precision: str


@dataclass
class ImportReport:
    rows: int = 0
    created: Counter[str] = field(default_factory=Counter)  # by level
    updated: Counter[str] = field(default_factory=Counter)
    unchanged: int = 0
    precision: Counter[str] = field(default_factory=Counter)  # villages by precision
    town_points: int = 0  # trusted town points read
    county_points: int = 0
    bad: list[tuple[str, int, str]] = field(default_factory=list)  # (file, line, reason)

    def skip(self, source: str, line: int, reason: str) -> None:
        self.bad.append((source, line, reason))

    @property
    def changed(self) -> int:
        return sum(self.created.values()) + sum(self.updated.values())

    def lines(self) -> list[str]:
        levels = ("city", "county", "town", "village")
        out = [
            f"rows read: {self.rows}",
            "created: " + ", ".join(f"{level} {self.created[level]}" for level in levels),
            "updated: " + ", ".join(f"{level} {self.updated[level]}" for level in levels),
            f"unchanged: {self.unchanged}",
            f"points read: {self.town_points} towns, {self.county_points} counties",
            "villages by precision: "
            + ", ".join(f"{p.value} {self.precision[p.value]}" for p in Precision),
            f"bad rows: {len(self.bad)}",
        ]
        out += [f"  {source} line {line}: {reason}" for source, line, reason in self.bad[:30]]
        if len(self.bad) > 30:
            out.append(f"  … and {len(self.bad) - 30} more")
        return out


@dataclass
class _Node:
    code: str
    name: str
    level: str
    parent_code: str | None
    kind: str | None = None


# -- reading -------------------------------------------------------------------------------


def _rows(path: Path, required: set[str]) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, row) pairs; the line is the physical line the row starts on."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = required - set(reader.fieldnames or ())
        if missing:
            raise BadRow(f"{path.name}: missing columns {', '.join(sorted(missing))}")
        line = reader.line_num + 1
        for row in reader:
            yield line, {k: (v or "").strip() for k, v in row.items() if k is not None}
            line = reader.line_num + 1


def _code(row: dict[str, str], name: str, digits: int, prefix: str = "") -> str:
    value = row.get(name, "")
    if not re.fullmatch(rf"\d{{{digits}}}", value):
        raise BadRow(f"{name} is not {digits} digits: {value[:20]!r}")
    if not value.startswith(prefix):
        raise BadRow(f"{name} {value} is not under {prefix}")
    return value


def _coordinates(row: dict[str, str], lng_name: str, lat_name: str) -> tuple[float, float] | None:
    raw_lng, raw_lat = row.get(lng_name, ""), row.get(lat_name, "")
    if not raw_lng and not raw_lat:
        return None
    try:
        lng, lat = float(raw_lng), float(raw_lat)
    except ValueError:
        raise BadRow(f"coordinates are not numbers: {raw_lng[:15]!r}, {raw_lat[:15]!r}") from None
    if not (LNG_RANGE[0] <= lng <= LNG_RANGE[1] and LAT_RANGE[0] <= lat <= LAT_RANGE[1]):
        raise BadRow(f"coordinates outside Shandong: {lng}, {lat}")
    return lng, lat


def read_tree(path: Path, report: ImportReport, progress: Any = None) -> dict[str, _Node]:
    """The city, counties, towns and villages of a tree CSV, parents before children."""
    nodes: dict[str, _Node] = {CITY_CODE: _Node(CITY_CODE, CITY_NAME, PlaceLevel.CITY, None)}
    city_prefix = CITY_CODE[:4]
    for line, row in _rows(path, TREE_COLUMNS):
        report.rows += 1
        if progress is not None:
            progress.update(1)
        try:
            county = _code(row, "county_code", 6, city_prefix)
            town = _code(row, "town_code", 9, county)
            village = _code(row, "village_code", 12, town)
            names = {key: row[f"{key}_name"] for key in ("county", "town", "village")}
            empty = [key for key, name in names.items() if not name]
            if empty:
                raise BadRow(f"{empty[0]}_name is empty")
            if row["kind"] not in KINDS:
                raise BadRow(f"kind is not village or community: {row['kind'][:20]!r}")
            if village in nodes:
                raise BadRow(f"village_code {village} appears twice")
            # A county or town must keep one name throughout the file.
            for code, name in ((county, names["county"]), (town, names["town"])):
                if code in nodes and nodes[code].name != name:
                    raise BadRow(f"{code} is {nodes[code].name}, here {name}")
        except BadRow as error:
            report.skip(path.name, line, str(error))
            continue
        nodes.setdefault(county, _Node(county, names["county"], PlaceLevel.COUNTY, CITY_CODE))
        nodes.setdefault(town, _Node(town, names["town"], PlaceLevel.TOWN, county))
        nodes[village] = _Node(village, names["village"], PlaceLevel.VILLAGE, town, row["kind"])
    rank = {PlaceLevel.CITY: 0, PlaceLevel.COUNTY: 1, PlaceLevel.TOWN: 2, PlaceLevel.VILLAGE: 3}
    return dict(sorted(nodes.items(), key=lambda item: (rank[PlaceLevel(item[1].level)], item[0])))


def read_town_points(path: Path, report: ImportReport) -> dict[str, Point]:
    """Trusted GeoNames town points (WGS-84), by 9-digit town code."""
    points: dict[str, Point] = {}
    for line, row in _rows(path, TOWN_POINT_COLUMNS):
        if row["match_status"] not in TRUSTED_MATCHES or not row["town_code"].startswith(
            CITY_CODE[:4]
        ):
            continue
        try:
            code = _code(row, "town_code", 9)
            lng_lat = _coordinates(row, "lng_wgs84", "lat_wgs84")
            if lng_lat is None:
                raise BadRow(f"{row['match_status']} but no coordinates")
        except BadRow as error:
            report.skip(path.name, line, str(error))
            continue
        points[code] = Point(*lng_lat, Datum.WGS84, Precision.TOWN)
    report.town_points = len(points)
    return points


def read_county_points(path: Path, report: ImportReport) -> dict[str, Point]:
    """County (and city) centres from the cpca centroid file, by 6-digit code.

    The file does not say its datum; it is most likely GCJ-02 (see the data README), which is
    what we record, so that a later conversion knows which points to convert.
    """
    points: dict[str, Point] = {}
    for line, row in _rows(path, COUNTY_POINT_COLUMNS):
        adcode = row["adcode"]
        if not adcode.startswith(CITY_CODE[:4]):
            continue
        try:
            code = _code(row, "adcode", 12)[:6]
            lng_lat = _coordinates(row, "longitude", "latitude")
        except BadRow as error:
            report.skip(path.name, line, str(error))
            continue
        if lng_lat is not None:  # some units (the development zones) have no centre
            points[code] = Point(*lng_lat, Datum.GCJ02, Precision.COUNTY)
    report.county_points = len([code for code in points if code != CITY_CODE])
    return points


# -- points --------------------------------------------------------------------------------


def _existing_point(place: Place | None) -> Point | None:
    if place is None or place.lat is None or place.lng is None:
        return None
    return Point(place.lng, place.lat, place.datum, place.precision)


def _better(new: Point | None, old: Point | None) -> Point | None:
    """The point to keep: the new one unless the old one is more precise."""
    if new is None:
        return old
    if old is None:
        return new
    return (
        new
        if PRECISION_RANK[Precision(new.precision)] >= PRECISION_RANK[Precision(old.precision)]
        else old
    )


def _inherited(parent: Point | None, ceiling: Precision) -> Point | None:
    """A parent's point as a child's: never more precise than the parent's level (`ceiling`)."""
    if parent is None:
        return None
    if PRECISION_RANK[Precision(parent.precision)] > PRECISION_RANK[ceiling]:
        return Point(parent.lng, parent.lat, parent.datum, ceiling)
    return parent


# -- writing -------------------------------------------------------------------------------


def import_network(
    session: Session,
    tree_csv: Path,
    town_points_csv: Path | None = None,
    county_points_csv: Path | None = None,
    progress: Any = None,
) -> ImportReport:
    """Upsert the city, counties, towns and villages of `tree_csv` with their best points.

    Runs inside the caller's transaction (it flushes, never commits). A file that lacks a
    required column raises BadRow before anything is written.
    """
    report = ImportReport()
    town_points = read_town_points(town_points_csv, report) if town_points_csv else {}
    county_points = read_county_points(county_points_csv, report) if county_points_csv else {}
    nodes = read_tree(tree_csv, report, progress)
    existing = {place.code: place for place in session.scalars(select(Place))}
    resolved: dict[str, Point | None] = {}
    level_order = (PlaceLevel.CITY, PlaceLevel.COUNTY, PlaceLevel.TOWN, PlaceLevel.VILLAGE)
    for level in level_order:
        for node in (node for node in nodes.values() if node.level == level):
            place = existing.get(node.code)
            point = _better(
                _source_point(node, town_points, county_points, resolved), _existing_point(place)
            )
            resolved[node.code] = point
            if level == PlaceLevel.VILLAGE:
                report.precision[point.precision if point else Precision.UNKNOWN] += 1
            _upsert(session, report, node, place, point)
        # Parents are flushed before their children are added: the self-referencing foreign
        # key is set by code, so the unit of work cannot order the inserts itself.
        session.flush()
    return report


def _source_point(
    node: _Node,
    town_points: dict[str, Point],
    county_points: dict[str, Point],
    resolved: dict[str, Point | None],
) -> Point | None:
    """The point this import offers a place: its own from a file, else its parent's."""
    if node.level in (PlaceLevel.CITY, PlaceLevel.COUNTY):
        return county_points.get(node.code)
    if node.level == PlaceLevel.TOWN:
        own = town_points.get(node.code)
        return own if own is not None else _inherited(resolved.get(node.code[:6]), Precision.COUNTY)
    # villages: their town's point (at best town precision), else their county's
    town = resolved.get(node.code[:9])
    if town is not None:
        return _inherited(town, Precision.TOWN)
    return _inherited(resolved.get(node.code[:6]), Precision.COUNTY)


def _upsert(
    session: Session, report: ImportReport, node: _Node, place: Place | None, point: Point | None
) -> None:
    values: dict[str, object] = {
        "name": node.name,
        "level": node.level,
        "parent_code": node.parent_code,
        "kind": node.kind,
        "lng": point.lng if point else None,
        "lat": point.lat if point else None,
        "datum": point.datum if point else None,
        "precision": point.precision if point else Precision.UNKNOWN,
    }
    if place is None:
        session.add(Place(code=node.code, **values))
        report.created[node.level] += 1
        return
    if point is None:  # keep whatever the place had (nothing, by _better)
        values = {k: v for k, v in values.items() if k not in ("lng", "lat", "datum", "precision")}
    changed = {k: v for k, v in values.items() if getattr(place, k) != v}
    if not changed:
        report.unchanged += 1
        return
    for key, value in changed.items():
        setattr(place, key, value)
    report.updated[node.level] += 1


def count_rows(path: Path) -> int:
    """Data rows in a CSV (for the progress bar)."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return sum(1 for _ in csv.DictReader(handle))
