"""The coverage report drawn as an SVG map from the places' own coordinates (no map tiles).

An equirectangular projection around the drawn area's mean latitude: across Weihai (about
0.8° of latitude) it distorts distances by well under 1%, so a 5 km circle is drawn as a circle.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from xml.sax.saxutils import escape, quoteattr

from marketplace.places.coverage import COVERED, LOCATED, UNCOVERED, CoverageReport
from marketplace.places.models import Place, PlaceLevel, ServicePoint

KM_PER_DEGREE = 111.2
WIDTH = 900
MARGIN = 30
HEADER = 50
LEGEND = 120
COLOURS = {COVERED: "#1a7f37", UNCOVERED: "#cf222e"}  # green / red, both ≥ 4.5:1 on white
POINT_COLOUR = "#0550ae"
FONT = "'Noto Sans CJK SC', 'WenQuanYi Micro Hei', 'Microsoft YaHei', sans-serif"


def _point_of(
    point: ServicePoint, places: dict[str, Place]
) -> tuple[float, float] | None:  # (lng, lat)
    if point.lat is not None and point.lng is not None:
        return point.lng, point.lat
    place = places.get(point.place_code)
    # the same rule as the report: a place's point stands in only when it is precise enough
    if place and place.lat is not None and place.lng is not None and place.precision in LOCATED:
        return place.lng, place.lat
    return None


def coverage_svg(
    report: CoverageReport, places: Iterable[Place], points: Iterable[ServicePoint]
) -> str:
    """An accessible SVG map: villages coloured by coverage, service points with their circles."""
    by_code = {place.code: place for place in places}
    # Villages at town precision share their town seat's point: one dot per spot, its area
    # growing with the number of villages there, so a stack of 40 villages reads as such.
    spots: dict[tuple[float, float, str], list[Place]] = defaultdict(list)
    for place in by_code.values():
        status = report.status.get(place.code)
        if place.level != PlaceLevel.VILLAGE or status not in COLOURS:
            continue
        if place.lng is not None and place.lat is not None:  # always, for a counted village
            spots[(place.lng, place.lat, status)].append(place)
    stations = [(point, xy) for point in points if (xy := _point_of(point, by_code)) is not None]
    counties = [p for p in by_code.values() if p.level == PlaceLevel.COUNTY]

    coords = [(lng, lat) for lng, lat, _ in spots] + [xy for _, xy in stations]
    if not coords:  # nothing located: an empty frame around Weihai rather than an error
        coords = [(121.5, 36.8), (122.7, 37.6)]
    pad = report.radius_km / KM_PER_DEGREE
    lat0 = sum(lat for _, lat in coords) / len(coords)
    cos0 = math.cos(math.radians(lat0))
    west, east = min(c[0] for c in coords) - pad / cos0, max(c[0] for c in coords) + pad / cos0
    south, north = min(c[1] for c in coords) - pad, max(c[1] for c in coords) + pad
    scale = (WIDTH - 2 * MARGIN) / max((east - west) * cos0, 1e-6)  # px per degree of latitude
    height = round(HEADER + (north - south) * scale + MARGIN + LEGEND)

    def project(lng: float, lat: float) -> tuple[float, float]:
        return (
            round(MARGIN + (lng - west) * cos0 * scale, 1),
            round(HEADER + (north - lat) * scale, 1),
        )

    radius_px = round(report.radius_km / KM_PER_DEGREE * scale, 1)
    share = "无" if report.share is None else f"{report.share:.1%}"
    title = f"威海市村居服务网络 {report.radius_km:g} 公里服务圈覆盖图"
    desc = (
        f"{report.villages} 个村居中，{report.counted} 个定位到镇级或更精确，其中 "
        f"{report.covered} 个在服务站 {report.radius_km:g} 公里内（{share}），"
        f"{report.uncovered} 个未覆盖；{report.unknown} 个位置不明，未绘出。"
        f"共 {len(stations)} 个服务站。"
    )
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" role="img" aria-labelledby="map-title map-desc" '
        f"aria-label={quoteattr(title)} font-family={quoteattr(FONT)}>",
        f'<title id="map-title">{escape(title)}</title>',
        f'<desc id="map-desc">{escape(desc)}</desc>',
        f'<rect width="{WIDTH}" height="{height}" fill="#ffffff"/>',
        f'<text x="{MARGIN}" y="32" font-size="20" font-weight="bold" fill="#1f2328">'
        f"{escape(title)}</text>",
        '<g class="service-circles" fill="#0550ae" fill-opacity="0.06" stroke="#0550ae" '
        'stroke-opacity="0.5" stroke-width="1">',
    ]
    for point, (lng, lat) in stations:
        x, y = project(lng, lat)
        out.append(
            f'<circle class="radius" cx="{x}" cy="{y}" r="{radius_px}">'
            f"<title>{escape(point.name)}（{report.radius_km:g} 公里）</title></circle>"
        )
    out.append('</g><g class="villages" stroke="#ffffff" stroke-width="0.5">')
    for (lng, lat, status), group in sorted(spots.items(), key=lambda item: -len(item[1])):
        x, y = project(lng, lat)
        r = round(2 + 1.2 * math.sqrt(len(group) - 1), 1)
        label = "已覆盖" if status == COVERED else "未覆盖"
        town = by_code.get(group[0].parent_code or "")
        where = town.name if town else group[0].name
        out.append(
            f'<circle class="village {status}" cx="{x}" cy="{y}" r="{r}" '
            f'fill="{COLOURS[status]}"><title>{escape(where)}：{len(group)} 个村居，'
            f"{label}</title></circle>"
        )
    out.append(f'</g><g class="service-points" fill="{POINT_COLOUR}" stroke="#ffffff">')
    for point, (lng, lat) in stations:
        x, y = project(lng, lat)
        out.append(
            f'<rect class="station" x="{x - 4}" y="{y - 4}" width="8" height="8" '
            f'transform="rotate(45 {x} {y})"><title>{escape(point.name)}</title></rect>'
        )
    out.append('</g><g class="county-labels" font-size="14" fill="#1f2328" text-anchor="middle">')
    for county in sorted(counties, key=lambda place: place.code):
        anchor = _label_point(county, by_code, report)
        if anchor is not None:
            x, y = project(*anchor)
            out.append(
                f'<text x="{x}" y="{y - 8}" stroke="#ffffff" stroke-width="3" '
                f'paint-order="stroke">{escape(county.name)}</text>'
            )
    out.append("</g>")
    out += _legend(report, height, len(stations))
    out.append("</svg>")
    return "\n".join(out)


def _label_point(
    county: Place, places: dict[str, Place], report: CoverageReport
) -> tuple[float, float] | None:
    """Where to write a county's name: the middle of its drawn villages, else its own point."""
    drawn = [
        (p.lng, p.lat)
        for p in places.values()
        if p.code.startswith(county.code)
        and report.status.get(p.code) in COLOURS
        and p.lng is not None
        and p.lat is not None
    ]
    if drawn:
        return sum(x for x, _ in drawn) / len(drawn), sum(y for _, y in drawn) / len(drawn)
    if county.lng is not None and county.lat is not None:
        return county.lng, county.lat
    return None


def _legend(report: CoverageReport, height: int, stations: int) -> list[str]:
    top = height - LEGEND + 10
    rows = [
        (
            f'<circle cx="8" cy="0" r="5" fill="{COLOURS[COVERED]}"/>',
            f"已覆盖村居 {report.covered}",
        ),
        (
            f'<circle cx="8" cy="0" r="5" fill="{COLOURS[UNCOVERED]}"/>',
            f"未覆盖村居 {report.uncovered}",
        ),
        (
            f'<rect x="4" y="-4" width="8" height="8" fill="{POINT_COLOUR}" '
            'transform="rotate(45 8 0)"/>',
            f"服务站 {stations}（圆圈为 {report.radius_km:g} 公里服务圈）",
        ),
        ("", f"位置不明村居 {report.unknown}（只定位到区县，未绘出）"),
        ("", "村居无独立坐标，按所属镇（街道）驻地绘制；点越大，该处村居越多"),
    ]
    out = [f'<g class="legend" transform="translate({MARGIN} {top})" font-size="13">']
    for index, (mark, text) in enumerate(rows):
        out.append(
            f'<g transform="translate(0 {index * 20})">{mark}'
            f'<text x="22" y="4" fill="#1f2328">{escape(text)}</text></g>'
        )
    out.append("</g>")
    return out
