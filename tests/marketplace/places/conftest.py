"""A small hand-made Weihai tree (five villages, three kinds of point) written as the CSV files."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from pathlib import Path

import pytest

TREE_HEADER = [
    "county_code", "county_name", "town_code", "town_name", "village_code", "village_name", "kind",
]  # fmt: skip
TOWN_HEADER = [
    "town_code", "town_name", "county_code", "city_code", "pinyin", "geonames_name",
    "lng_wgs84", "lat_wgs84", "km_from_county_centroid", "match_status", "n_candidates",
]  # fmt: skip
COUNTY_HEADER = ["adcode", "name", "longitude", "latitude"]

# 张村镇 has a town point; 羊亭镇 none (its villages take 环翠区's centre); 夏村镇's match is
# ambiguous (ignored, so 乳山市's centre); 临港区 has no centre at all, so 苘山镇 is unknown.
TREE = [
    ["371002", "环翠区", "371002100", "张村镇", "371002100201", "张村", "village"],
    ["371002", "环翠区", "371002100", "张村镇", "371002100202", "张村社区", "community"],
    ["371002", "环翠区", "371002101", "羊亭镇", "371002101201", "羊亭村", "village"],
    ["371083", "乳山市", "371083100", "夏村镇", "371083100201", "夏村", "village"],
    ["371073", "临港区", "371073113", "苘山镇", "371073113201", "苘山村", "village"],
]  # fmt: skip
TOWN_POINTS = [
    ["371002100", "张村镇", "371002", "3710", "zhangcun", "Zhangcun", "122.03134", "37.48464",
     "8.4", "matched_unique", "1"],
    ["371002101", "羊亭镇", "371002", "3710", "yangting", "", "", "", "", "unmatched", "0"],
    ["371083100", "夏村镇", "371083", "3710", "xiacun", "Xiacun", "121.56", "36.90", "3.0",
     "ambiguous_nearest", "2"],
    ["370102001", "解放路街道", "370102", "3701", "jiefanglu", "", "", "", "", "unmatched", "0"],
]  # fmt: skip
COUNTY_POINTS = [
    ["371000000000", "威海市", "122.120282", "37.513412"],
    ["371002000000", "环翠区", "122.123443", "37.50199"],
    ["371083000000", "乳山市", "121.539764", "36.919816"],
    ["371073000000", "临港区", "", ""],
    ["500233000000", "忠县", "108.039002", "30.299559"],
]


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


@pytest.fixture
def tree_csv(tmp_path: Path) -> Path:
    return write_csv(tmp_path / "tree.csv", TREE_HEADER, TREE)


@pytest.fixture
def town_points_csv(tmp_path: Path) -> Path:
    return write_csv(tmp_path / "towns.csv", TOWN_HEADER, TOWN_POINTS)


@pytest.fixture
def county_points_csv(tmp_path: Path) -> Path:
    return write_csv(tmp_path / "counties.csv", COUNTY_HEADER, COUNTY_POINTS)
