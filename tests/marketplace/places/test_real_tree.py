"""The real Weihai tree (2,768 villages and communities) with real town points and centres."""

from __future__ import annotations

import csv
import xml.etree.ElementTree as ET

from flask import Flask
from sqlalchemy import select

from marketplace.database import get_database
from marketplace.places.coverage import coverage
from marketplace.places.coverage_map import coverage_svg
from marketplace.places.models import Place, ServicePoint
from marketplace.places.network import import_network
from tests.datafiles import data_file

WEIHAI_VILLAGES = 2768


def test_the_real_tree_imports_and_its_coverage_adds_up(app: Flask) -> None:
    tree = data_file("admin_divisions_cn/weihai_county_town_village.csv")
    towns = data_file("geo/shandong_town_points_geonames.csv")
    counties = data_file("geo/adcode_centroids_cpca.csv")
    with towns.open(encoding="utf-8") as handle:
        trusted = {
            row["town_code"]
            for row in csv.DictReader(handle)
            if row["town_code"].startswith("3710")
            and row["match_status"] in ("matched_unique", "matched_nearest")
        }
    with tree.open(encoding="utf-8") as handle:
        located = sum(1 for row in csv.DictReader(handle) if row["town_code"] in trusted)

    with get_database(app).session() as session:
        report = import_network(session, tree, towns, counties)
        session.commit()
        assert report.bad == []
        assert report.created == {"city": 1, "county": 7, "town": 73, "village": WEIHAI_VILLAGES}
        assert report.town_points == len(trusted)
        assert report.precision["town"] == located
        assert import_network(session, tree, towns, counties).changed == 0

        # a point at every county centre that has one, and at the first 12 located towns
        stations = [
            *session.scalars(select(Place).where(Place.level == "county", Place.lat.is_not(None))),
            *session.scalars(
                select(Place)
                .where(Place.level == "town", Place.precision == "town")
                .order_by(Place.code)
                .limit(12)
            ),
        ]
        for place in stations:
            session.add(
                ServicePoint(name=f"{place.name}服务站", level=place.level, place_code=place.code,
                             lat=place.lat, lng=place.lng, datum=place.datum)
            )  # fmt: skip
        session.commit()
        result = coverage(session)
        svg = coverage_svg(
            result, session.scalars(select(Place)), session.scalars(select(ServicePoint))
        )

    assert result.villages == WEIHAI_VILLAGES
    assert result.counted + result.unknown == WEIHAI_VILLAGES
    assert result.counted == located
    assert result.covered + result.uncovered == result.counted
    assert sum(len(rows) for rows in result.uncovered_by_town.values()) == result.uncovered
    assert sum(len(names) for names in result.unknown_by_town.values()) == result.unknown
    assert sum(county.villages for county in result.counties) == WEIHAI_VILLAGES
    assert 0 < result.covered < result.counted
    assert any("GCJ-02" in note for note in result.notes)  # county centres mixed with WGS-84
    root = ET.fromstring(svg)  # noqa: S314 (our own output)
    assert len(root.findall(".//{http://www.w3.org/2000/svg}circle[@class='radius']")) == len(
        stations
    )
