"""`flask eval search`: relevance of the search path on judged queries, in a throwaway instance.

The corpus is imported and indexed into a temporary database and index (never the live ones);
each query then goes through `search_jobs`, the same path a seeker's search takes.
"""

from __future__ import annotations

import hashlib
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

from indexer.metrics import (
    QueryScores,
    Summary,
    read_qrels,
    read_queries,
    run_lines,
    score_query,
)
from marketplace.database import get_database, upgrade
from marketplace.jobs.importer import count_rows, import_jobs
from marketplace.search.engine import (
    SearchHolder,
    get_search,
    load_ranker,
    ranker_path,
    rebuild_index,
)
from marketplace.search.services import search_jobs
from matching.persistence import ModelRefused, read_metadata
from matching.ranker import Ranker

eval_cli = AppGroup("eval", help="Evaluate search relevance on judged queries.")

DEPTH = 100  # ranked postings kept per query (Recall@100, TREC run)


INPUT_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


@eval_cli.command("search")
@click.option("--corpus", required=True, type=INPUT_FILE, help="Postings CSV (jobs.csv schema).")
@click.option("--queries", required=True, type=INPUT_FILE, help="JSON lines {qid, text}.")
@click.option("--qrels", required=True, type=INPUT_FILE, help="TREC qrels: qid 0 job_id grade.")
@click.option(
    "--engine",
    type=click.Choice(["fts5", "elasticsearch"]),
    default="fts5",
    show_default=True,
)
@click.option(
    "--run-out", type=click.Path(dir_okay=False, path_type=Path), help="Write a TREC run."
)
@click.option(
    "--ranker",
    "ranker_choice",
    default="instance",
    show_default=True,
    help="The model that reranks: 'instance' (the trained one, if any), 'none', or a model "
    "file inside the instance folder.",
)
@click.option("--per-query", is_flag=True, help="Print each query's scores too.")
def search_command(
    corpus: Path,
    queries: Path,
    qrels: Path,
    engine: str,
    run_out: Path | None,
    ranker_choice: str,
    per_query: bool,
) -> None:
    """Print NDCG@10, MRR@10 and Recall@100 of the search path over the judged queries,
    for the engine alone and reranked by the learned ranker, side by side."""
    try:
        query_list = read_queries(queries)
        judgments = read_qrels(qrels)
    except ValueError as error:
        raise click.BadParameter(str(error)) from None
    if engine == "elasticsearch" and not current_app.config["ES_URL"]:
        raise click.UsageError("--engine elasticsearch needs ES_URL")
    ranker, label = _ranker(ranker_choice)
    results = _evaluate(corpus, query_list, judgments, engine, ranker)
    click.echo(f"engine: {engine}, queries: {len(query_list)}, ranker: {label}")
    if ranker is not None and _trained_on(ranker_choice, queries):
        click.echo(
            "note: the model was trained on these queries, so the reranked figures flatter it; "
            "`flask ranker cv` gives the honest ones (each query scored by a model that never "
            "saw it)"
        )
    _print(results, per_query)
    if run_out is not None:
        run = results[-1][2]
        run_out.write_text("\n".join(run) + "\n", encoding="utf-8")
        click.echo(f"run written to {run_out}")


def _ranker(choice: str) -> tuple[Ranker | None, str]:
    """The model `--ranker` names, and how to describe it."""
    instance = current_app.instance_path
    if choice == "none":
        return None, "none (engine order)"
    path = ranker_path(instance) if choice == "instance" else Path(choice)
    if choice == "instance" and not path.exists():
        return None, "none (no trained model in the instance folder: `flask ranker train`)"
    try:
        return load_ranker(path, instance), str(path)
    except ModelRefused as error:
        raise click.BadParameter(str(error), param_hint="--ranker") from None


def _trained_on(choice: str, queries: Path) -> bool:
    path = ranker_path(current_app.instance_path) if choice == "instance" else Path(choice)
    training = read_metadata(path).training
    return bool(training.get("queries_sha256") == file_digest(queries))


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _print(results: list[tuple[str, list[QueryScores], list[str]]], per_query: bool) -> None:
    summaries = [(name, Summary.of(scores)) for name, scores, _run in results]
    if per_query:
        for name, scores, _run in results:
            for item in scores:
                click.echo(
                    f"{name}\t{item.qid}\tNDCG@10 {item.ndcg10:.3f}\tMRR@10 {item.mrr10:.3f}\t"
                    f"R@100 {item.recall100:.3f}\tunjudged@10 {item.unjudged10}"
                )
    click.echo(f"{'':<20}" + "".join(f"{name:>10}" for name, _ in summaries))
    rows: list[tuple[str, list[str]]] = [
        ("NDCG@10", [f"{s.ndcg10:.4f}" for _, s in summaries]),
        ("MRR@10", [f"{s.mrr10:.4f}" for _, s in summaries]),
        ("Recall@100", [f"{s.recall100:.4f}" for _, s in summaries]),
        ("unjudged in top 10", [f"{s.unjudged10}/{10 * s.queries}" for _, s in summaries]),
    ]
    for label, cells in rows:
        click.echo(f"{label:<20}" + "".join(f"{cell:>10}" for cell in cells))


@contextmanager
def throwaway_instance(corpus: Path, engine: str) -> Iterator[tuple[SearchHolder, Session]]:
    """A temporary database and index holding `corpus` (never the live instance)."""
    from marketplace import create_app

    workdir = Path(tempfile.mkdtemp(prefix="jiuye-eval-"))
    url = f"sqlite:///{workdir / 'eval.sqlite3'}"
    config = {
        "DATABASE_URL": url,
        "FTS5_PATH": str(workdir / "search.sqlite3"),
        "REDIS_URL": None,
        "SECRET_KEY": "eval",
        "ES_URL": current_app.config["ES_URL"] if engine == "elasticsearch" else None,
        "ES_TIMEOUT": current_app.config["ES_TIMEOUT"],
        "ES_INDEX_PREFIX": f"jiuye-eval-{workdir.name.lower()}",
    }
    try:
        upgrade(url)
        app = create_app(config)
        with app.app_context():
            database = get_database(app)
            with click.progressbar(
                length=count_rows(corpus), label="importing corpus", file=sys.stderr
            ) as bar:
                import_jobs(database.session, corpus, progress=bar)
            holder = get_search(app)
            session = database.session()
            try:
                rebuild_index(holder, session, label="indexing corpus")
                yield holder, session
            finally:
                session.close()
                drop = getattr(holder.engine, "drop", None)
                if callable(drop):
                    drop()
                database.dispose()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _evaluate(
    corpus: Path,
    query_list: list[tuple[str, str]],
    judgments: dict[str, dict[str, int]],
    engine: str,
    ranker: Ranker | None,
) -> list[tuple[str, list[QueryScores], list[str]]]:
    """(name, per-query scores, TREC run) for the engine alone and, with a model, reranked."""
    models: list[tuple[str, Ranker | None]] = [("engine", None)]
    if ranker is not None:
        models.append(("reranked", ranker))
    results: list[tuple[str, list[QueryScores], list[str]]] = []
    with throwaway_instance(corpus, engine) as (holder, session):
        for name, model in models:
            scores: list[QueryScores] = []
            run: list[str] = []
            label = f"running queries ({name})"
            with click.progressbar(query_list, label=label, file=sys.stderr) as bar:
                for qid, text in bar:
                    page = search_jobs(holder, session, text, limit=DEPTH, ranker=model)
                    ranking = [
                        # a run's scores must fall as the rank rises: use the rank itself
                        (hit.job.source_id or str(hit.job.id), float(DEPTH - position))
                        for position, hit in enumerate(page.hits)
                    ]
                    docs = [doc for doc, _ in ranking]
                    scores.append(score_query(qid, docs, judgments.get(qid, {})))
                    run.extend(run_lines(qid, ranking, f"jiuye-{engine}-{name}"))
            results.append((name, scores, run))
    return results
