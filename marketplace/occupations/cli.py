"""`flask occupation`: import the classification, train the classifier, label jobs, evaluate."""

from __future__ import annotations

import csv
import json
import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from marketplace.database import get_database, transaction
from marketplace.occupations import services
from matching.occupations import Accuracy
from matching.persistence import ModelRefused

occupation_cli = AppGroup("occupation", help="The occupation classification and job titles.")

_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


@contextmanager
def _errors() -> Iterator[None]:
    """Domain errors become a one-line message and exit status 1."""
    try:
        yield
    except (services.OccupationError, ModelRefused) as error:
        raise click.ClickException(str(error)) from error


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


def _count_rows(path: Path) -> int:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return sum(1 for _ in csv.DictReader(handle))


@occupation_cli.command("import")
@click.argument("path", type=_FILE, required=False)
@click.option("--builtin", is_flag=True, help="Import our own short list (for the demo).")
def import_command(path: Path | None, builtin: bool) -> None:
    """Import the classification from PATH (csco2022.csv format); safe to repeat."""
    if (path is None) == (not builtin):
        raise click.UsageError("give a CSV file or --builtin (one of them)")
    with _errors(), transaction() as session:
        if path is None:
            report = services.import_builtin_occupations(session)
        else:
            rows = _count_rows(path)
            with click.progressbar(length=rows, label=f"importing {path.name}") as bar:
                report = services.import_occupations(session, path, progress=bar.update)
    for line in report.lines():
        click.echo(line)


@occupation_cli.command("train")
@click.option("--labeled", type=_FILE, help="Labelled titles CSV (job_name, expected_code).")
def train_command(labeled: Path | None) -> None:
    """Train the classifier on the database's occupations (and labelled titles); save it."""
    pairs: list[tuple[str, str]] = []
    if labeled is not None:
        with _errors():
            pairs, skipped = services.read_labeled_titles(labeled)
        click.echo(f"labelled titles: {len(pairs)} (rows without title or code: {len(skipped)})")
    session = get_database().session()
    # with labelled titles: five cross-validation fits for the metrics, then the final fit
    steps = 6 if pairs else 1
    try:
        with _errors(), click.progressbar(length=steps, label="training") as bar:
            metadata = services.train_classifier(
                session, current_app.instance_path, pairs or None, progress=bar.update
            )
    finally:
        session.close()
    training = metadata.training
    click.echo(
        f"trained on {training['occupations']} occupations ({training['classes']} classes) and "
        f"{training['labeled_titles']} labelled titles"
    )
    if metadata.metrics:
        click.echo(f"cross-validated: {json.dumps(metadata.metrics, ensure_ascii=False)}")
    click.echo(f"saved to {services.model_path(current_app.instance_path)}")


@occupation_cli.command("label-jobs")
@click.option("--batch-size", default=2000, show_default=True, help="Jobs per transaction.")
def label_jobs_command(batch_size: int) -> None:
    """Set every job's occupation code and name from its title with the trained classifier."""
    with _errors():
        classifier, metadata = services.load_classifier(current_app.instance_path)
    database = get_database()
    session = database.session()
    try:
        total = services.count_jobs(session)
    finally:
        session.close()
    with click.progressbar(length=total, label="labelling jobs") as bar:
        report = services.label_jobs(
            database.session, classifier, batch_size=batch_size, progress=bar.update
        )
    click.echo(f"jobs labelled: {report.jobs}, codes changed: {report.changed}")
    click.echo(f"model trained at {metadata.trained_at}")


@occupation_cli.command("eval")
@click.option("--labeled", type=_FILE, required=True, help="CSV with job_name, expected_code.")
@click.option("--folds", default=5, show_default=True, help="Cross-validation folds.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON line.")
def eval_command(labeled: Path, folds: int, as_json: bool) -> None:
    """Top-1 accuracy, ours against the TF-IDF baseline (cross-validated over the titles)."""
    session = get_database().session()
    try:
        with _errors(), _quiet_logs() if as_json else nullcontext():
            pairs, skipped = services.read_labeled_titles(labeled)
            with click.progressbar(length=folds, label="cross-validating", file=sys.stderr) as bar:
                result = services.evaluate_labeled(session, pairs, folds, progress=bar.update)
    finally:
        session.close()
    if as_json:
        click.echo(json.dumps(result.as_dict()))
        return
    click.echo(
        f"{result.titles} labelled titles, {folds}-fold cross-validation grouped by title text"
        f" ({result.skipped} with a code not in the classification, {len(skipped)} incomplete)"
    )
    click.echo(f"{'':10}{'exact':>8}{'中类':>8}")
    for label, accuracy in (("ours", result.ours), ("baseline", result.baseline)):
        click.echo(_row(label, accuracy))


def _row(label: str, accuracy: Accuracy) -> str:
    return f"{label:10}{accuracy.exact:8.3f}{accuracy.major:8.3f}"
