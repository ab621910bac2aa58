"""Weihai's city, its 7 county-level units and 73 towns/streets: official codes and rough points.

Codes are GB/T 2260 + NBS 2023 (facts); points are our own WGS-84 approximations, not survey data.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from typing import TypedDict

from marketplace.places.models import Datum, PlaceLevel, Precision

CITY_CODE = "371000"
CITY_NAME = "威海市"
# The city's point is the seat in 环翠区.
CITY_POINT = (122.12, 37.51)  # (lng, lat)

KM_PER_DEGREE_LAT = 111.2


@dataclass(frozen=True)
class County:
    code: str
    name: str
    short_name: str  # how people say it: 环翠, 高新区 ...
    lng: float
    lat: float
    # Compass bearing (degrees clockwise from north) that points away from the sea, so that a
    # point derived from the centre lands inland rather than in the Yellow Sea.
    inland_bearing: float


COUNTIES: tuple[County, ...] = (
    County("371002", "环翠区", "环翠", 122.12, 37.50, 225),
    County("371003", "文登区", "文登", 122.06, 37.20, 330),
    County("371082", "荣成市", "荣成", 122.49, 37.17, 260),
    County("371083", "乳山市", "乳山", 121.54, 36.92, 0),
    County("371071", "威海火炬高技术产业开发区", "高新区", 122.05, 37.52, 190),
    County("371072", "威海经济技术开发区", "经区", 122.16, 37.45, 240),
    County("371073", "威海临港经济技术开发区", "临港区", 121.98, 37.34, 200),
)

# Town/street code → (name, our approximate (lng, lat) of its seat, or None where we do not
# know it well enough; those get a derived point marked with county precision).
TOWNS: dict[str, tuple[str, tuple[float, float] | None]] = {
    # 环翠区
    "371002001": ("环翠楼街道", (122.118, 37.508)),
    "371002002": ("鲸园街道", (122.128, 37.520)),
    "371002003": ("竹岛街道", (122.120, 37.492)),
    "371002011": ("孙家疃街道", None),
    "371002012": ("嵩山街道", None),
    "371002100": ("张村镇", (122.035, 37.465)),
    "371002101": ("羊亭镇", (121.975, 37.430)),
    "371002102": ("温泉镇", None),
    "371002109": ("桥头镇", None),
    # 文登区
    "371003001": ("龙山路街道", (122.057, 37.196)),
    "371003002": ("天福路街道", (122.065, 37.190)),
    "371003003": ("环山路街道", (122.045, 37.205)),
    "371003100": ("文登营镇", (122.090, 37.270)),
    "371003101": ("大水泊镇", (122.210, 37.230)),
    "371003102": ("张家产镇", None),
    "371003103": ("高村镇", None),
    "371003104": ("泽库镇", None),
    "371003105": ("侯家镇", None),
    "371003106": ("宋村镇", None),
    "371003107": ("泽头镇", None),
    "371003108": ("小观镇", None),
    "371003109": ("葛家镇", None),
    "371003110": ("米山镇", (121.950, 37.270)),
    "371003111": ("界石镇", None),
    "371003400": ("开发区办事处", None),
    # 威海火炬高技术产业开发区
    "371071004": ("怡园街道", (122.080, 37.525)),
    "371071007": ("田和街道", (122.060, 37.515)),
    "371071108": ("初村镇", (121.990, 37.490)),
    # 威海经济技术开发区
    "371072008": ("皇冠街道", (122.140, 37.480)),
    "371072009": ("凤林街道", (122.130, 37.465)),
    "371072010": ("西苑街道", (122.105, 37.470)),
    "371072103": ("崮山镇", (122.240, 37.410)),
    "371072105": ("泊于镇", (122.200, 37.380)),
    # 威海临港经济技术开发区
    "371073107": ("草庙子镇", (121.980, 37.360)),
    "371073112": ("汪疃镇", (122.060, 37.320)),
    "371073113": ("苘山镇", (121.900, 37.370)),
    # 荣成市 (港湾, 桃园, 王连, 东山, 斥山 and 宁津 make up the 石岛 area)
    "371082001": ("宁津街道", (122.560, 36.960)),
    "371082002": ("港湾街道", (122.420, 36.880)),
    "371082003": ("桃园街道", (122.430, 36.900)),
    "371082004": ("王连街道", None),
    "371082005": ("东山街道", None),
    "371082006": ("斥山街道", None),
    "371082007": ("崖头街道", (122.490, 37.160)),
    "371082008": ("城西街道", (122.460, 37.160)),
    "371082009": ("寻山街道", None),
    "371082010": ("崂山街道", None),
    "371082101": ("俚岛镇", (122.590, 37.250)),
    "371082102": ("成山镇", (122.570, 37.380)),
    "371082103": ("埠柳镇", None),
    "371082104": ("港西镇", (122.470, 37.410)),
    "371082105": ("夏庄镇", None),
    "371082106": ("崖西镇", None),
    "371082107": ("荫子镇", None),
    "371082108": ("滕家镇", None),
    "371082109": ("大疃镇", None),
    "371082110": ("上庄镇", None),
    "371082111": ("虎山镇", None),
    "371082112": ("人和镇", None),
    # 乳山市
    "371083001": ("城区街道", (121.540, 36.920)),
    "371083100": ("夏村镇", (121.560, 36.900)),
    "371083101": ("乳山口镇", (121.480, 36.850)),
    "371083102": ("海阳所镇", (121.680, 36.830)),
    "371083103": ("白沙滩镇", (121.620, 36.860)),
    "371083104": ("大孤山镇", (121.750, 36.930)),
    "371083105": ("南黄镇", None),
    "371083106": ("冯家镇", None),
    "371083107": ("下初镇", None),
    "371083108": ("午极镇", None),
    "371083109": ("育黎镇", None),
    "371083110": ("崖子镇", None),
    "371083111": ("诸往镇", None),
    "371083112": ("乳山寨镇", None),
    "371083114": ("徐家镇", None),
}


# Checked once by hand against a public gazetteer (nothing copied): these of our points were
# 5–13 km out, so they are kept but marked with county precision rather than town precision.
ROUGH_POINTS = frozenset(
    {
        "371002101",  # 羊亭镇
        "371003100",  # 文登营镇
        "371003101",  # 大水泊镇
        "371072009",  # 凤林街道
        "371072010",  # 西苑街道
        "371072105",  # 泊于镇
        "371073107",  # 草庙子镇
        "371073112",  # 汪疃镇
        "371082001",  # 宁津街道
        "371083102",  # 海阳所镇
        "371083103",  # 白沙滩镇
        "371083104",  # 大孤山镇
    }
)


class PlaceRow(TypedDict):
    code: str
    name: str
    level: str
    parent_code: str | None
    lat: float
    lng: float
    precision: str
    datum: str


def county(code: str) -> County:
    """The county-level unit with this 6-digit code (or the county of a longer code)."""
    for unit in COUNTIES:
        if unit.code == code[:6]:
            return unit
    raise KeyError(code)


def towns_of(county_code: str) -> list[str]:
    """The town codes under a county, in code order."""
    return sorted(code for code in TOWNS if code[:6] == county_code)


def town_name(code: str) -> str:
    return TOWNS[code][0]


def offset_point(lng: float, lat: float, bearing: float, km: float) -> tuple[float, float]:
    """The point `km` away along a compass bearing (flat-earth; fine for a few km)."""
    radians = math.radians(bearing)
    north_km, east_km = km * math.cos(radians), km * math.sin(radians)
    d_lat = north_km / KM_PER_DEGREE_LAT
    d_lng = east_km / (KM_PER_DEGREE_LAT * math.cos(math.radians(lat)))
    return round(lng + d_lng, 5), round(lat + d_lat, 5)


def _derived_point(code: str) -> tuple[float, float]:
    # Stable across runs and machines: the town code, not a random generator, picks the spot,
    # 2–8 km from the county centre within ±35° of its inland bearing.
    digest = hashlib.sha256(code.encode()).digest()
    spread, reach = digest[0] / 255, digest[1] / 255
    unit = county(code)
    return offset_point(
        unit.lng, unit.lat, unit.inland_bearing + (spread - 0.5) * 70, 2 + 6 * reach
    )


def town_point(code: str) -> tuple[float, float, Precision]:
    """A town's (lng, lat) and how precise it is: its own seat, or derived from its county."""
    point = TOWNS[code][1]
    if point is not None:
        return point[0], point[1], Precision.COUNTY if code in ROUGH_POINTS else Precision.TOWN
    lng, lat = _derived_point(code)
    return lng, lat, Precision.COUNTY


def weihai_places() -> list[PlaceRow]:
    """The city, then its counties, then their towns, parents always before children."""
    rows: list[PlaceRow] = [
        PlaceRow(
            code=CITY_CODE,
            name=CITY_NAME,
            level=PlaceLevel.CITY,
            parent_code=None,
            lng=CITY_POINT[0],
            lat=CITY_POINT[1],
            precision=Precision.COUNTY,
            datum=Datum.WGS84,
        )
    ]
    for unit in COUNTIES:
        rows.append(
            PlaceRow(
                code=unit.code,
                name=unit.name,
                level=PlaceLevel.COUNTY,
                parent_code=CITY_CODE,
                lng=unit.lng,
                lat=unit.lat,
                precision=Precision.COUNTY,
                datum=Datum.WGS84,
            )
        )
    for unit in COUNTIES:
        for code in towns_of(unit.code):
            lng, lat, precision = town_point(code)
            rows.append(
                PlaceRow(
                    code=code,
                    name=town_name(code),
                    level=PlaceLevel.TOWN,
                    parent_code=unit.code,
                    lng=lng,
                    lat=lat,
                    precision=precision,
                    datum=Datum.WGS84,
                )
            )
    return rows
