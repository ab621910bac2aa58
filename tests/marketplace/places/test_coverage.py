"""The coverage report counts located villages only; the radius is inclusive; the SVG map."""

from __future__ import annotations

import json
import math
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session

from marketplace.database import get_database
from marketplace.places.coverage import coverage
from marketplace.places.coverage_map import coverage_svg
from marketplace.places.models import Datum, Place, ServicePoint

pytestmark = pytest.mark.postgres

EARTH_KM = 6371.0088  # the haversine radius the report uses
SEAT = (37.40, 122.00)  # (lat, lng) of a made-up town seat
SVG = "{http://www.w3.org/2000/svg}"


def north_of(lat: float, km: float) -> float:
    return lat + math.degrees(km / EARTH_KM)


def place(code: str, name: str, level: str, parent: str | None, **fields: object) -> Place:
    return Place(code=code, name=name, level=level, parent_code=parent, **fields)


def village(code: str, name: str, lat: float | None, precision: str) -> Place:
    lng = SEAT[1] if lat is not None else None
    return place(
        code, name, "village", code[:9], kind="village", lat=lat, lng=lng,
        precision=precision, datum=Datum.WGS84 if lat is not None else None,
    )  # fmt: skip


def build_network(session: Session) -> None:
    """One county, two towns; villages at 4.9 and 5.1 km, one exact, two not located."""
    session.add(place("371000", "威海市", "city", None))
    session.flush()
    session.add(
        place("371002", "环翠区", "county", "371000", lat=37.5, lng=122.1, precision="county")
    )
    session.flush()
    session.add_all([
        place("371002100", "张村镇", "town", "371002", lat=SEAT[0], lng=SEAT[1], precision="town"),
        place("371002101", "羊亭镇", "town", "371002"),
    ])  # fmt: skip
    session.flush()
    session.add_all([
        village("371002100201", "近村", north_of(SEAT[0], 4.9), "town"),
        village("371002100202", "远村", north_of(SEAT[0], 5.1), "town"),
        village("371002100203", "测绘村", north_of(SEAT[0], 1.0), "exact"),
        village("371002101201", "羊亭村", 37.5, "county"),  # at the county centre: not counted
        village("371002101202", "无点村", None, "unknown"),
    ])  # fmt: skip
    session.add(
        ServicePoint(name="张村镇就业服务站", level="town", place_code="371002100",
                     lat=SEAT[0], lng=SEAT[1], datum=Datum.WGS84)
    )  # fmt: skip
    session.commit()


@pytest.fixture
def network(app: Flask) -> Flask:
    with get_database(app).session() as session:
        build_network(session)
    return app


def test_only_villages_located_to_town_or_better_are_counted(network: Flask) -> None:
    with get_database(network).session() as session:
        report = coverage(session)

    assert (report.villages, report.counted, report.unknown) == (5, 3, 2)
    assert report.villages == report.counted + report.unknown
    assert report.unknown_by_town == {"371002101": ["羊亭村", "无点村"]}
    assert report.town_names["371002101"] == "羊亭镇"
    [county] = report.counties
    assert (county.villages, county.counted, county.covered, county.unknown) == (5, 3, 2, 2)


def test_a_village_at_4_9_km_is_covered_and_one_at_5_1_km_is_not(network: Flask) -> None:
    with get_database(network).session() as session:
        report = coverage(session, radius_km=5.0)

    assert report.status["371002100201"] == "covered"
    assert report.status["371002100202"] == "uncovered"
    assert (report.covered, report.uncovered) == (2, 1)
    assert report.share == pytest.approx(2 / 3)
    [far] = report.uncovered_by_town["371002100"]
    assert (far.name, far.distance_km, far.nearest) == ("远村", 5.1, "张村镇就业服务站")


def test_a_wider_radius_covers_more(network: Flask) -> None:
    with get_database(network).session() as session:
        assert coverage(session, radius_km=5.2).covered == 3


def test_with_no_service_points_nothing_is_covered_and_the_report_says_why(app: Flask) -> None:
    with get_database(app).session() as session:
        build_network(session)
        session.query(ServicePoint).delete()
        report = coverage(session)

    assert (report.counted, report.covered, report.service_points) == (3, 0, 0)
    assert report.uncovered_by_town["371002100"][0].distance_km is None
    assert any("No service point" in note for note in report.notes)
    assert any("town's seat" in note for note in report.notes)


def test_the_map_is_well_formed_accessible_and_draws_one_circle_per_service_point(
    network: Flask,
) -> None:
    with get_database(network).session() as session:
        session.add(
            ServicePoint(name="环翠区公益性零工市场", level="county", place_code="371002",
                         lat=37.5, lng=122.1, datum=Datum.WGS84)
        )  # fmt: skip
        session.commit()
        report = coverage(session)
        svg = coverage_svg(
            report, session.scalars(select(Place)), session.scalars(select(ServicePoint))
        )

    root = ET.fromstring(svg)  # noqa: S314 (our own output, not untrusted input)
    assert root.get("role") == "img"
    assert root.get("aria-label")
    assert root.find(f"{SVG}title") is not None
    assert "个村居" in (root.findtext(f"{SVG}desc") or "")
    circles = root.findall(f".//{SVG}circle[@class='radius']")
    assert len(circles) == 2
    villages = root.findall(f".//{SVG}circle")
    statuses = [c.get("class") for c in villages if (c.get("class") or "").startswith("village")]
    assert sorted(statuses) == ["village covered", "village covered", "village uncovered"]
    legend = " ".join(root.find(f".//{SVG}g[@class='legend']").itertext())  # type: ignore[union-attr]
    assert "已覆盖村居 2" in legend
    assert "未覆盖村居 1" in legend
    assert "位置不明村居 2" in legend
    assert "环翠区" in " ".join(root.itertext())


def test_the_cli_imports_and_reports_coverage(
    app: Flask, runner: FlaskCliRunner, tree_csv: Path, town_points_csv: Path,
    county_points_csv: Path, tmp_path: Path,
) -> None:  # fmt: skip
    result = runner.invoke(
        args=["places", "import-network", str(tree_csv), "--town-points", str(town_points_csv),
              "--county-points", str(county_points_csv)]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "created: city 1, county 3, town 4, village 5" in result.output
    with get_database(app).session() as session:
        session.add(
            ServicePoint(name="张村镇就业服务站", level="town", place_code="371002100",
                         lat=37.49, lng=122.03, datum=Datum.WGS84)
        )  # fmt: skip
        session.commit()

    svg = tmp_path / "map.svg"
    result = runner.invoke(args=["places", "coverage", "--svg", str(svg)])
    assert result.exit_code == 0, result.output
    assert "villages: 5, counted (located to town or better): 2" in result.output
    assert "covered: 2 (100.0%), uncovered: 0" in result.output
    assert "location unknown: 3" in result.output
    ET.parse(svg)  # noqa: S314 (our own output)

    result = runner.invoke(args=["places", "coverage", "--radius", "0.5", "--json"])
    figures = json.loads(result.output)
    assert (figures["counted"], figures["covered"], figures["location_unknown"]) == (2, 0, 3)
    assert figures["uncovered_by_town"]["371002100"]["town"] == "张村镇"


def test_the_cli_refuses_a_file_without_the_tree_columns(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("code,name\n371002,环翠区\n", encoding="utf-8")

    result = runner.invoke(args=["places", "import-network", str(wrong)])

    assert result.exit_code == 1
    assert "missing columns" in result.output
