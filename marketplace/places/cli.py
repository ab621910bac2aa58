"""`flask places`: import the county → town → village service network; the coverage report."""

from __future__ import annotations

import json
from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy import select

from marketplace.database import get_database, transaction
from marketplace.places.coverage import coverage
from marketplace.places.coverage_map import coverage_svg
from marketplace.places.models import Place, ServicePoint
from marketplace.places.network import BadRow, count_rows, import_network

places_cli = AppGroup("places", help="The service network: places, service points, coverage.")

_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


@places_cli.command("import-network")
@click.argument("tree", type=_FILE)
@click.option("--town-points", type=_FILE, help="GeoNames town points (WGS-84) CSV.")
@click.option("--county-points", type=_FILE, help="County centres (cpca adcodes, GCJ-02) CSV.")
def import_network_command(
    tree: Path, town_points: Path | None, county_points: Path | None
) -> None:
    """Import the county–town–village TREE CSV with points; safe to repeat."""
    try:
        with (
            click.progressbar(length=count_rows(tree), label=f"importing {tree.name}") as bar,
            transaction() as session,
        ):
            report = import_network(session, tree, town_points, county_points, progress=bar)
    except BadRow as error:  # a missing column: nothing was written
        raise click.ClickException(str(error)) from error
    for line in report.lines():
        click.echo(line)


@places_cli.command("coverage")
@click.option("--radius", default=5.0, show_default=True, help="Service circle radius in km.")
@click.option(
    "--svg", "svg_path", type=click.Path(dir_okay=False, path_type=Path), help="Write a map."
)
@click.option("--json", "as_json", is_flag=True, help="Print the whole report as JSON.")
def coverage_command(radius: float, svg_path: Path | None, as_json: bool) -> None:
    """Share of villages within RADIUS km of a service point (located villages only)."""
    session = get_database().session()
    try:
        report = coverage(session, radius_km=radius)
        if svg_path is not None:
            svg = coverage_svg(
                report, session.scalars(select(Place)), session.scalars(select(ServicePoint))
            )
            svg_path.write_text(svg, encoding="utf-8")
    finally:
        session.close()
    if as_json:
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        for line in report.lines():
            click.echo(line)
    if svg_path is not None and not as_json:
        click.echo(f"map written to {svg_path}")
