"""`flask eval search`: relevance of the search path on judged queries, in a throwaway instance.

The corpus is imported and indexed into a temporary database and index (never the live ones);
each query then goes through `search_jobs`, the same path a seeker's search takes.
"""

from __future__ import annotations

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
from marketplace.search.engine import SearchHolder, get_search, rebuild_index
from marketplace.search.services import search_jobs

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
@click.option("--per-query", is_flag=True, help="Print each query's scores too.")
def search_command(
    corpus: Path,
    queries: Path,
    qrels: Path,
    engine: str,
    run_out: Path | None,
    per_query: bool,
) -> None:
    """Print NDCG@10, MRR@10 and Recall@100 of the search path over the judged queries."""
    try:
        query_list = read_queries(queries)
        judgments = read_qrels(qrels)
    except ValueError as error:
        raise click.BadParameter(str(error)) from None
    if engine == "elasticsearch" and not current_app.config["ES_URL"]:
        raise click.UsageError("--engine elasticsearch needs ES_URL")
    scores, run = _evaluate(corpus, query_list, judgments, engine)
    summary = Summary.of(scores)
    if per_query:
        for item in scores:
            click.echo(
                f"{item.qid}\tNDCG@10 {item.ndcg10:.3f}\tMRR@10 {item.mrr10:.3f}\t"
                f"R@100 {item.recall100:.3f}\tunjudged@10 {item.unjudged10}"
            )
    click.echo(f"engine: {engine}, queries: {summary.queries}")
    click.echo(f"NDCG@10    {summary.ndcg10:.4f}")
    click.echo(f"MRR@10     {summary.mrr10:.4f}")
    click.echo(f"Recall@100 {summary.recall100:.4f}")
    click.echo(f"unjudged in top 10: {summary.unjudged10} of {10 * summary.queries}")
    if run_out is not None:
        run_out.write_text("\n".join(run) + "\n", encoding="utf-8")
        click.echo(f"run written to {run_out}")


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
) -> tuple[list[QueryScores], list[str]]:
    scores: list[QueryScores] = []
    run: list[str] = []
    with (
        throwaway_instance(corpus, engine) as (holder, session),
        click.progressbar(query_list, label="running queries", file=sys.stderr) as bar,
    ):
        for qid, text in bar:
            page = search_jobs(holder, session, text, limit=DEPTH)
            ranking = [(hit.job.source_id or str(hit.job.id), hit.score) for hit in page.hits]
            scores.append(score_query(qid, [doc for doc, _ in ranking], judgments.get(qid, {})))
            run.extend(run_lines(qid, ranking, f"jiuye-{engine}"))
    return scores, run
