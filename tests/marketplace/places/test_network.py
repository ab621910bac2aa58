"""Importing the service network: inherited points and their precision, idempotency, bad rows."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from marketplace.database import get_database
from marketplace.places.models import Datum, Place, Precision
from marketplace.places.network import BadRow, ImportReport, import_network
from tests.marketplace.places.conftest import TREE, TREE_HEADER, write_csv

pytestmark = pytest.mark.postgres


def run_import(app: Flask, *paths: Path | None) -> ImportReport:
    with get_database(app).session() as session:
        report = import_network(session, *paths)  # type: ignore[arg-type]
        session.commit()
    return report


def places(app: Flask) -> dict[str, Place]:
    with get_database(app).session() as session:
        return {place.code: place for place in session.scalars(select(Place))}


def test_import_builds_the_tree_with_levels_parents_and_kinds(
    app: Flask, tree_csv: Path, town_points_csv: Path, county_points_csv: Path
) -> None:
    report = run_import(app, tree_csv, town_points_csv, county_points_csv)

    stored = places(app)
    assert report.created == {"city": 1, "county": 3, "town": 4, "village": 5}
    assert report.bad == []
    assert stored["371000"].name == "威海市"
    assert stored["371002"].parent_code == "371000"
    assert stored["371002100"].parent_code == "371002"
    assert stored["371002100202"].parent_code == "371002100"
    assert stored["371002100202"].kind == "community"
    assert stored["371002100201"].kind == "village"
    assert stored["371002100"].kind is None


def test_villages_inherit_their_towns_point_else_their_countys_else_none(
    app: Flask, tree_csv: Path, town_points_csv: Path, county_points_csv: Path
) -> None:
    report = run_import(app, tree_csv, town_points_csv, county_points_csv)

    stored = places(app)
    town = stored["371002100"]
    assert (town.lng, town.lat, town.precision, town.datum) == (
        122.03134, 37.48464, Precision.TOWN, Datum.WGS84,
    )  # fmt: skip
    village = stored["371002100201"]
    assert (village.lng, village.lat, village.precision) == (122.03134, 37.48464, Precision.TOWN)
    county = stored["371002"]
    assert (county.lng, county.precision, county.datum) == (122.123443, "county", Datum.GCJ02)
    # no town point: the county's centre, at county precision
    assert (stored["371002101201"].lng, stored["371002101201"].precision) == (122.123443, "county")
    # an ambiguous GeoNames match is not trusted
    assert (stored["371083100201"].lng, stored["371083100201"].precision) == (121.539764, "county")
    unknown = stored["371073113201"]
    assert (unknown.lng, unknown.lat, unknown.precision) == (None, None, Precision.UNKNOWN)
    assert report.precision == {"town": 2, "county": 2, "unknown": 1}
    assert report.town_points == 1
    assert report.county_points == 2


def test_a_second_import_changes_nothing(
    app: Flask, tree_csv: Path, town_points_csv: Path, county_points_csv: Path
) -> None:
    run_import(app, tree_csv, town_points_csv, county_points_csv)
    before = {code: vars(place).copy() for code, place in places(app).items()}

    report = run_import(app, tree_csv, town_points_csv, county_points_csv)

    assert report.changed == 0
    assert report.unchanged == 13
    after = {code: vars(place).copy() for code, place in places(app).items()}
    strip = {"_sa_instance_state"}
    assert {c: {k: v for k, v in p.items() if k not in strip} for c, p in before.items()} == {
        c: {k: v for k, v in p.items() if k not in strip} for c, p in after.items()
    }


def test_a_more_precise_point_is_never_replaced_by_a_rougher_one(
    app: Flask, tree_csv: Path, town_points_csv: Path, county_points_csv: Path
) -> None:
    run_import(app, tree_csv)
    with get_database(app).session() as session:
        # a surveyed village, and a town someone located by hand that GeoNames does not know
        village = session.get_one(Place, "371002100201")
        village.lng, village.lat, village.precision = 122.04, 37.49, Precision.EXACT
        village.datum = Datum.WGS84
        town = session.get_one(Place, "371002101")
        town.lng, town.lat, town.precision, town.datum = 122.03, 37.42, "town", Datum.WGS84
        session.commit()

    report = run_import(app, tree_csv, town_points_csv, county_points_csv)

    stored = places(app)
    assert (stored["371002100201"].lng, stored["371002100201"].precision) == (122.04, "exact")
    assert (stored["371002101"].lng, stored["371002101"].precision) == (122.03, "town")
    # ... and the hand-located town's villages now inherit its point at town precision
    assert (stored["371002101201"].lng, stored["371002101201"].precision) == (122.03, "town")
    assert report.precision == {"exact": 1, "town": 2, "unknown": 1, "county": 1}


def test_a_rough_town_point_is_upgraded_when_a_better_one_arrives(
    app: Flask, tree_csv: Path, town_points_csv: Path, county_points_csv: Path
) -> None:
    run_import(app, tree_csv, None, county_points_csv)
    assert places(app)["371002100201"].precision == Precision.COUNTY

    report = run_import(app, tree_csv, town_points_csv, county_points_csv)

    stored = places(app)
    assert (stored["371002100201"].lng, stored["371002100201"].precision) == (122.03134, "town")
    assert report.updated == {"town": 1, "village": 2}


def test_bad_rows_are_reported_with_line_and_reason_and_the_rest_go_in(
    app: Flask, tmp_path: Path
) -> None:
    rows = [
        *TREE[:2],
        ["371002", "环翠区", "371002100", "张村镇", "371002999201", "错村", "village"],  # line 4
        ["371002", "环翠区", "371002100", "张村镇", "371002100203", "", "village"],
        ["371002", "环翠区", "371002100", "张村镇", "371002100204", "某村", "hamlet"],
        ["371002", "环翠区", "371002100", "张村镇", "3710021002", "短村", "village"],
        ["371002", "环翠区", "371002100", "张村镇", "371002100201", "重复村", "village"],
        ["370102", "历下区", "370102001", "解放路街道", "370102001001", "外村", "village"],
        ["371002", "环翠区", "371002100", "别名镇", "371002100205", "改名村", "village"],
    ]  # fmt: skip
    tree = write_csv(tmp_path / "tree.csv", TREE_HEADER, rows)

    report = run_import(app, tree)

    assert report.bad == [
        ("tree.csv", 4, "village_code 371002999201 is not under 371002100"),
        ("tree.csv", 5, "village_name is empty"),
        ("tree.csv", 6, "kind is not village or community: 'hamlet'"),
        ("tree.csv", 7, "village_code is not 12 digits: '3710021002'"),
        ("tree.csv", 8, "village_code 371002100201 appears twice"),
        ("tree.csv", 9, "county_code 370102 is not under 3710"),
        ("tree.csv", 10, "371002100 is 张村镇, here 别名镇"),
    ]
    assert report.created["village"] == 2
    assert set(places(app)) == {"371000", "371002", "371002100", "371002100201", "371002100202"}
    assert any("line 4: village_code" in line for line in report.lines())


def test_a_bad_point_row_is_reported_and_skipped(
    app: Flask, tree_csv: Path, town_points_csv: Path, tmp_path: Path
) -> None:
    text = town_points_csv.read_text(encoding="utf-8").replace("122.03134", "east")
    town_points_csv.write_text(text, encoding="utf-8")

    report = run_import(app, tree_csv, town_points_csv)

    assert report.bad == [("towns.csv", 2, "coordinates are not numbers: 'east', '37.48464'")]
    assert places(app)["371002100201"].precision == Precision.UNKNOWN


def test_a_file_without_the_tree_columns_is_refused_before_anything_is_written(
    app: Flask, tmp_path: Path
) -> None:
    tree = write_csv(tmp_path / "tree.csv", ["code", "name"], [["371002", "环翠区"]])

    with pytest.raises(BadRow, match="missing columns"):
        run_import(app, tree)

    assert places(app) == {}
