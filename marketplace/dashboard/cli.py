"""`flask dashboard wages`: the market wage-level table's summary, live or on a postings file.

With `--corpus` the postings go into a throwaway instance (never the live one), are labelled
with an occupation classifier when one is at hand, and the table is computed there.
"""

from __future__ import annotations

import csv
import json
import logging
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy.orm import Session

from marketplace.dashboard import metrics
from marketplace.dashboard.wages import DEFAULT_MIN_COUNT, WageTable, wage_table
from marketplace.database import get_database
from marketplace.occupations import services as occupations
from marketplace.search.evaluation import throwaway_instance
from matching.occupations import OccupationClassifier
from matching.persistence import ModelRefused

dashboard_cli = AppGroup("dashboard", help="The staff dashboard's figures.")

_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


@contextmanager
def _quiet_logs() -> Iterator[None]:
    """Keep INFO logs (they go to stdout) out of output that must be exactly one JSON line."""
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.WARNING)
    try:
        yield
    finally:
        root.setLevel(level)


def first_rows(path: Path, limit: int, workdir: Path) -> Path:
    """A copy of the first `limit` data rows of a CSV (for a quick run)."""
    out = workdir / path.name
    with (
        path.open(encoding="utf-8-sig", newline="") as source,
        out.open("w", encoding="utf-8", newline="") as target,
    ):
        reader = csv.reader(source)
        writer = csv.writer(target)
        for index, row in enumerate(reader):
            if index > limit:
                break
            writer.writerow(row)
    return out


def _classifier(
    session: Session, instance_path: str, occupation_file: Path | None, labeled: Path | None
) -> tuple[OccupationClassifier | None, str]:
    """The classifier to label the corpus with, and how it was obtained.

    With `occupation_file` the classification is imported into the throwaway database and a
    classifier is fitted there (with labelled titles when given; no cross-validation, which
    `flask occupation train` does); else the instance's trained model, if there is one.
    """
    if occupation_file is not None:
        occupations.import_occupations(session, occupation_file)
        session.commit()
        pairs = occupations.read_labeled_titles(labeled)[0] if labeled else []
        classifier = occupations.new_classifier(session)
        classifier.fit(occupations.training_occupations(session), pairs)
        return classifier, f"fitted here on {occupation_file.name} + {len(pairs)} labelled titles"
    try:
        classifier, metadata = occupations.load_classifier(instance_path)
    except (ModelRefused, occupations.OccupationError) as error:
        return None, f"none ({error}); occupations left empty"
    return classifier, f"the instance's model trained at {metadata.trained_at}"


def _class_names(classifier: OccupationClassifier | None) -> dict[str, str]:
    if classifier is None:
        return {}
    return {
        str(c): str(n) for c, n in zip(classifier.classes_, classifier.class_names_, strict=True)
    }


Result = tuple[str | None, WageTable, int]  # city (None: all), table, postings without pay


def _compute(
    session: Session, cities: list[str | None], min_count: int, names: dict[str, str]
) -> list[Result]:
    merged = {**names, **metrics.occupation_names(session)}
    results: list[Result] = []
    for city in cities:
        postings, missing = metrics.wage_postings(session, city)
        results.append((city, wage_table(postings, min_count, merged), missing))
    return results


def _corpus_results(
    corpus: Path,
    cities: list[str | None],
    min_count: int,
    occupation_file: Path | None,
    labeled: Path | None,
) -> tuple[list[Result], str]:
    instance_path = current_app.instance_path
    with throwaway_instance(corpus, "fts5") as (_holder, session):
        classifier, how = _classifier(session, instance_path, occupation_file, labeled)
        if classifier is not None:
            database = get_database()
            with click.progressbar(
                length=occupations.count_jobs(session), label="labelling", file=sys.stderr
            ) as bar:
                occupations.label_jobs(database.session, classifier, progress=bar.update)
            session.expire_all()
        return _compute(session, cities, min_count, _class_names(classifier)), how


@dashboard_cli.command("wages")
@click.option(
    "--city",
    "city_names",
    multiple=True,
    help="A city, or 'all' for every city; repeat for several. Default: 威海市.",
)
@click.option("--min-count", type=click.IntRange(min=1), help="Default: WAGE_MIN_COUNT or 30.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON line per city.")
@click.option("--corpus", type=_FILE, help="Compute on this postings CSV in a throwaway instance.")
@click.option("--limit", type=click.IntRange(min=1), help="Only the corpus's first N rows.")
@click.option(
    "--occupations", "occupation_file", type=_FILE, help="csco2022.csv: fit a classifier."
)
@click.option("--labeled", type=_FILE, help="Labelled titles to fit it with (job_name, code).")
@click.option("--top", default=10, show_default=True, help="Occupations to list.")
def wages_command(
    city_names: tuple[str, ...],
    min_count: int | None,
    as_json: bool,
    corpus: Path | None,
    limit: int | None,
    occupation_file: Path | None,
    labeled: Path | None,
    top: int,
) -> None:
    """Summarise the market wage-level table: postings used, what passes the minimum count."""
    if (occupation_file is not None or labeled is not None or limit) and corpus is None:
        raise click.UsageError("--occupations, --labeled and --limit go with --corpus")
    threshold = min_count or int(current_app.config.get("WAGE_MIN_COUNT", DEFAULT_MIN_COUNT))
    cities = [None if c in ("all", "全部") else c for c in city_names or (metrics.WEIHAI,)]
    with _quiet_logs() if as_json else _no_change():
        if corpus is None:
            session = get_database().session()
            try:
                results = _compute(session, cities, threshold, {})
            finally:
                session.close()
            how = "as labelled in the database"
        else:
            workdir = Path(tempfile.mkdtemp(prefix="jiuye-wages-"))
            try:
                source = first_rows(corpus, limit, workdir) if limit else corpus
                results, how = _corpus_results(source, cities, threshold, occupation_file, labeled)
            finally:
                shutil.rmtree(workdir, ignore_errors=True)
    for city, table, missing in results:
        _report(table, city, missing, how, as_json, top)


@contextmanager
def _no_change() -> Iterator[None]:
    yield


def _report(
    table: WageTable, city: str | None, missing: int, how: str, as_json: bool, top: int
) -> None:
    summary = {
        **table.summary(),
        "city": city or "all",
        "without_pay": missing,
        "occupations_by": how,
    }
    if as_json:
        summary["top_occupations"] = [
            {
                "code": c.occupation_code,
                "name": c.occupation,
                "count": c.count,
                "p25": c.p25,
                "median": c.median,
                "p75": c.p75,
            }
            for c in sorted(table.occupations_shown, key=lambda cell: -cell.count)[:top]
        ]
        click.echo(json.dumps(summary, ensure_ascii=False))
        return
    click.echo(f"city: {city or 'all cities'}; occupations: {how}")
    click.echo(
        f"postings used: {table.postings} (left out, no monthly equivalent: {missing}); "
        f"minimum count: {table.min_count}"
    )
    click.echo(f"occupations passing: {summary['occupations_shown']} of {summary['occupations']}")
    click.echo(f"districts passing: {summary['districts_shown']} of {summary['districts']}")
    click.echo(
        f"occupation × district cells: {summary['cells_shown']} shown, "
        f"{summary['cells_suppressed']} suppressed"
    )
    for cell in sorted(table.occupations_shown, key=lambda cell: -cell.count)[:top]:
        click.echo(
            f"  {cell.occupation_code or '':<11} {cell.occupation[:16]:<16} n={cell.count:<6} "
            f"P25 {cell.p25:,.0f}  median {cell.median:,.0f}  P75 {cell.p75:,.0f}"
        )
