"""Server-rendered SVG charts (bar, grouped bar, line): no script, no web font.

Each chart carries a <title> and a <desc>, writes every value beside its mark as text, and
is drawn from the same numbers as the data table shown with it. Pure string building.
"""

from __future__ import annotations

from collections.abc import Sequence
from xml.sax.saxutils import escape, quoteattr

FONT = "'Noto Sans CJK SC', 'WenQuanYi Micro Hei', 'Microsoft YaHei', sans-serif"
# blue, orange, green: distinct for the common colour-vision deficiencies, ≥ 4.5:1 on white
COLOURS = ("#0550ae", "#bc4c00", "#1a7f37")
TEXT = "#1f2328"
WIDTH = 640
LABEL_WIDTH = 170
BAR_AREA = WIDTH - LABEL_WIDTH - 90
ROW = 26
TOP = 40

Series = tuple[str, Sequence[float | None]]


def _number(value: float | None, percent: bool = False) -> str:
    if value is None:
        return "—"
    if percent:
        return f"{value:.0%}"
    return f"{value:,.0f}" if value == int(value) else f"{value:,.1f}"


def _open(chart_id: str, title: str, desc: str, height: int) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{WIDTH}" '
        f'height="{height}" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" font-family={quoteattr(FONT)} '
        'font-size="13">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>',
        f'<text x="0" y="18" font-size="15" font-weight="bold" fill="{TEXT}">'
        f"{escape(title)}</text>",
    ]


def _legend(series: Sequence[Series], y: int) -> list[str]:
    out = [f'<g class="legend" transform="translate(0 {y})">']
    x = 0
    for index, (name, _) in enumerate(series):
        colour = COLOURS[index % len(COLOURS)]
        out.append(
            f'<rect x="{x}" y="-10" width="12" height="12" fill="{colour}"/>'
            f'<text x="{x + 16}" y="0" fill="{TEXT}">{escape(name)}</text>'
        )
        x += 30 + 14 * len(name)
    out.append("</g>")
    return out


def _clip(label: str, limit: int = 12) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def grouped_bar_chart(
    chart_id: str, title: str, labels: Sequence[str], series: Sequence[Series], desc: str = ""
) -> str:
    """Horizontal bars, one group per label and one bar per series, each with its value."""
    if not labels:
        return empty_chart(chart_id, title)
    per_group = len(series)
    bar = 14 if per_group > 1 else 18
    group_height = per_group * bar + 10
    legend = 24 if per_group > 1 else 0
    height = TOP + legend + len(labels) * group_height + 10
    peak = max((v or 0 for _, values in series for v in values), default=0) or 1
    out = _open(chart_id, title, desc or _describe(labels, series), height)
    if legend:
        out += _legend(series, TOP)
    for row, label in enumerate(labels):
        top = TOP + legend + row * group_height
        out.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{top + per_group * bar / 2 + 4:.0f}" '
            f'text-anchor="end" fill="{TEXT}">{escape(_clip(label))}'
            + (f"<title>{escape(label)}</title>" if len(label) > 12 else "")
            + "</text>"
        )
        for index, (name, values) in enumerate(series):
            value = values[row]
            length = round((value or 0) / peak * BAR_AREA, 1)
            y = top + index * bar
            colour = COLOURS[index % len(COLOURS)]
            out.append(
                f'<rect class="bar" x="{LABEL_WIDTH}" y="{y}" width="{length}" '
                f'height="{bar - 2}" fill="{colour}"><title>{escape(label)} {escape(name)}：'
                f"{_number(value)}</title></rect>"
                f'<text class="value" x="{LABEL_WIDTH + length + 4}" y="{y + bar - 5}" '
                f'fill="{TEXT}">{_number(value)}</text>'
            )
    out.append("</svg>")
    return "\n".join(out)


def bar_chart(
    chart_id: str,
    title: str,
    labels: Sequence[str],
    values: Sequence[float | None],
    name: str = "",
    desc: str = "",
) -> str:
    """Horizontal bars, one per label, each with its value written beside it."""
    return grouped_bar_chart(chart_id, title, labels, [(name or title, values)], desc)


def line_chart(
    chart_id: str,
    title: str,
    labels: Sequence[str],
    series: Sequence[Series],
    desc: str = "",
    percent: bool = False,
) -> str:
    """Lines over time (labels are the x positions); each point's value is written above it.

    A missing value (None) breaks the line instead of pretending to be zero.
    """
    if not labels:
        return empty_chart(chart_id, title)
    legend = 24
    plot_top, plot_height, left, right = TOP + legend + 16, 180, 50, WIDTH - 20
    height = plot_top + plot_height + 44
    values = [v for _, vs in series for v in vs if v is not None]
    # a rate is drawn against 100%, so that 40% does not look like a collapse
    peak = max([*values, 1.0] if percent else values, default=0) or 1
    step = (right - left) / max(len(labels) - 1, 1)
    # with many points only every few carry a written value and an axis label, or they collide
    every = max(1, round(len(labels) / 13))
    out = _open(chart_id, title, desc or _describe(labels, series, percent), height)
    out += _legend(series, TOP)
    base = plot_top + plot_height
    out.append(f'<line x1="{left}" y1="{base}" x2="{right}" y2="{base}" stroke="#8c959f"/>')
    for index, label in enumerate(labels):
        if index % every == 0 or index == len(labels) - 1:
            x = left + index * step
            out.append(
                f'<text x="{x:.1f}" y="{base + 18}" text-anchor="middle" font-size="11" '
                f'fill="{TEXT}">{escape(label[5:] if len(label) == 10 else label)}</text>'
            )
    for number, (name, points) in enumerate(series):
        colour = COLOURS[number % len(COLOURS)]
        segments: list[list[tuple[float, float]]] = [[]]
        for index, value in enumerate(points):
            if value is None:
                segments.append([])
                continue
            xy = (left + index * step, base - value / peak * plot_height)
            segments[-1].append(xy)
            out.append(
                f'<circle cx="{xy[0]:.1f}" cy="{xy[1]:.1f}" r="3" fill="{colour}">'
                f"<title>{escape(labels[index])} {escape(name)}：{_number(value, percent)}"
                "</title></circle>"
            )
            if index % every == 0 or index == len(points) - 1:
                out.append(
                    f'<text class="value" x="{xy[0]:.1f}" y="{xy[1] - 7:.1f}" '
                    f'text-anchor="middle" font-size="11" fill="{colour}">'
                    f"{_number(value, percent)}</text>"
                )
        for segment in segments:
            if len(segment) > 1:
                path = " ".join(f"{x:.1f},{y:.1f}" for x, y in segment)
                out.append(
                    f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>'
                )
    out.append("</svg>")
    return "\n".join(out)


def empty_chart(chart_id: str, title: str) -> str:
    """The frame of a chart with nothing to draw: says so rather than drawing zero."""
    out = _open(chart_id, title, "暂无数据", 60)
    out.append(f'<text x="0" y="46" fill="{TEXT}">暂无数据</text></svg>')
    return "\n".join(out)


def _describe(labels: Sequence[str], series: Sequence[Series], percent: bool = False) -> str:
    """A sentence per series for the <desc>: every value, so a screen reader has them all."""
    parts = []
    for name, values in series:
        items = "，".join(
            f"{label} {_number(value, percent)}"
            for label, value in zip(labels, values, strict=True)
        )
        parts.append(f"{name}：{items}。")
    return "".join(parts)
