"""The staff dashboard: the plan's targets and the labour market in charts and tables.

Thin: `metrics` queries, `charts` draws, templates lay out. Every page is staff only except
the published wage levels (`/staff/dashboard/wages/public`), which hold no personal data.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Blueprint, Response, abort, current_app, render_template, request, url_for
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import Session

from marketplace.accounts.auth import role_required
from marketplace.dashboard import charts, metrics
from marketplace.dashboard.tables import Table, csv_text, numbers
from marketplace.dashboard.wages import DEFAULT_MIN_COUNT, WageTable, wage_table
from marketplace.database import db_session, utcnow
from marketplace.places.coverage import coverage
from marketplace.places.coverage_map import coverage_svg
from marketplace.places.models import Place, ServicePoint

bp = Blueprint("dashboard", __name__, url_prefix="/staff/dashboard")

ALL_CITIES = ("all", "全部")


@dataclass
class Panel:
    """One table with its chart (already SVG) and where to download it."""

    table: Table
    chart: Markup
    csv_url: str


def _weeks() -> int:
    raw = request.args.get("weeks", "12")
    return int(raw) if raw.isdigit() and int(raw) in metrics.PERIODS else 12


def _tables(session: Session, weeks: int) -> dict[str, Table]:
    period = metrics.Period(weeks, utcnow())
    tables = [
        metrics.vacancies_and_hires(session, "industry", period),
        metrics.vacancies_and_hires(session, "district", period),
        metrics.gig_weeks(session, period),
        metrics.key_enterprise_trend(session, period),
        metrics.coverage_table(coverage(session)),
    ]
    tables += metrics.events_vs_target(session, period) or []
    return {table.name: table for table in tables}


def _chart(table: Table) -> Markup:
    labels = [str(cell) for cell in table.column(0)]
    chart_id = f"chart-{table.name}"
    if table.name.startswith("vacancies-by-"):
        # the 15 largest groups are drawn; the table beside the chart holds them all
        series = [(table.headers[2], numbers(table.column(2))[:15])]
        series.append((table.headers[3], numbers(table.column(3))[:15]))
        svg = charts.grouped_bar_chart(chart_id, table.title, labels[:15], series)
    elif table.name == "gigs-by-week":
        svg = charts.grouped_bar_chart(
            chart_id,
            "每周发布与招满的零工需求",
            labels,
            [(table.headers[1], numbers(table.column(1))), ("已招满", numbers(table.column(2)))],
        ) + charts.line_chart(
            f"{chart_id}-rate",
            "每周招满率",
            labels,
            [("招满率", [_float(cell) for cell in table.column(3)])],
            percent=True,
        )
    elif table.name == "events-by-district":
        svg = charts.grouped_bar_chart(
            chart_id,
            "各区县有专场招聘的周数与应有周数",
            labels,
            [(table.headers[2], numbers(table.column(2))), ("应有周数", numbers(table.column(3)))],
        )
    elif table.name == "events-by-month":
        svg = charts.grouped_bar_chart(
            chart_id,
            table.title,
            labels,
            [("举办场次", numbers(table.column(1))), ("月均目标", numbers(table.column(3)))],
        )
    elif table.name == "key-enterprise-trend":
        svg = charts.line_chart(
            chart_id, table.title, labels, [(table.headers[2], numbers(table.column(2)))]
        )
    elif table.name == "service-coverage":
        svg = charts.bar_chart(
            chart_id,
            table.title,
            labels,
            [None if cell is None else 100 * float(cell) for cell in table.column(4)],
            name="覆盖率（%）",
        )
    else:
        svg = charts.bar_chart(chart_id, table.title, labels, numbers(table.column(1)))
    return Markup(svg)  # noqa: S704 - built by charts, which escapes every text it writes


def _float(cell: Any) -> float | None:
    return None if cell is None else float(cell)


@bp.get("/")
@role_required("staff")
def index() -> str:
    weeks = _weeks()
    tables = _tables(db_session(), weeks)
    panels = {
        name: Panel(table, _chart(table), url_for(".table_csv", name=name, weeks=weeks))
        for name, table in tables.items()
    }
    return render_template(
        "dashboard/index.html",
        panels=panels,
        weeks=weeks,
        periods=metrics.PERIODS,
        events_ready="events-by-district" in panels,
    )


@bp.get("/<name>.csv")
@role_required("staff")
def table_csv(name: str) -> Response:
    if name == "wages":
        return _csv(_wage_table_rows(_wage_levels(_city())), _city_slug())
    table = _tables(db_session(), _weeks()).get(name)
    if table is None:
        abort(404)
    return _csv(table)


@bp.get("/coverage.svg")
@role_required("staff")
def coverage_map() -> Response:
    session = db_session()
    report = coverage(session)
    svg = coverage_svg(
        report, session.scalars(select(Place)), session.scalars(select(ServicePoint))
    )
    return Response(svg, mimetype="image/svg+xml")


def _csv(table: Table, suffix: str = "") -> Response:
    filename = f"{table.name}{suffix}.csv"
    return Response(
        csv_text(table),
        mimetype="text/csv",
        headers={"Content-Disposition": f"attachment; filename={filename}"},
    )


# -- wage levels ------------------------------------------------------------------------------


def _city() -> str | None:
    """The city asked for (威海市 by default); None means every city."""
    raw = request.args.get("city", "").strip()
    if raw in ALL_CITIES:
        return None
    return raw[:40] or metrics.WEIHAI


def _city_slug() -> str:
    city = _city()
    return "-all" if city is None else ""


def min_count() -> int:
    value = current_app.config.get("WAGE_MIN_COUNT", DEFAULT_MIN_COUNT)
    return max(1, int(value))


def _wage_levels(city: str | None) -> WageTable:
    session = db_session()
    postings, _missing = metrics.wage_postings(session, city)
    return wage_table(postings, min_count(), metrics.occupation_names(session))


def _wage_table_rows(table: WageTable) -> Table:
    return metrics.wage_levels_table(table)


def _wages_page(template: str) -> str:
    city = _city()
    table = _wage_levels(city)
    csv_endpoint = ".public_wages_csv" if template.endswith("public.html") else ".table_csv"
    csv_args: dict[str, Any] = {"city": city or "all"}
    if csv_endpoint == ".table_csv":
        csv_args["name"] = "wages"
    return render_template(
        template,
        table=table,
        city=city,
        cities=metrics.cities(db_session()),
        csv_url=url_for(csv_endpoint, **csv_args),
        chart=_wage_chart(table),
    )


def _wage_chart(table: WageTable) -> Markup:
    shown = sorted(table.occupations_shown, key=lambda cell: -(cell.median or 0))[:15]
    svg = charts.grouped_bar_chart(
        "chart-wages",
        "各职业月工资中位数（元）",
        [cell.occupation for cell in shown],
        [("中位数", [cell.median for cell in shown]), ("P75", [cell.p75 for cell in shown])],
    )
    return Markup(svg)  # noqa: S704 - built by charts, which escapes every text it writes


@bp.get("/wages")
@role_required("staff")
def wages() -> str:
    return _wages_page("dashboard/wages.html")


@bp.get("/wages/public")
def public_wages() -> str:
    """The published wage levels: figures and counts only, open to anyone."""
    return _wages_page("dashboard/wages_public.html")


@bp.get("/wages/public.csv")
def public_wages_csv() -> Response:
    return _csv(_wage_table_rows(_wage_levels(_city())), _city_slug())
