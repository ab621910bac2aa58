"""`flask ranker cv|train`: the learned ranker, measured by grouped CV and trained for serving.

Candidates come from the same search path a seeker's search takes, in a throwaway instance.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy.orm import Session

from indexer.metrics import read_qrels, read_queries
from marketplace.database import utcnow
from marketplace.search.engine import SearchHolder, ranker_path
from marketplace.search.evaluation import INPUT_FILE, file_digest, throwaway_instance
from marketplace.search.ranking import candidates, query_context
from marketplace.search.services import build_query, search_jobs
from matching.features import FEATURE_NAMES
from matching.persistence import model_metadata, save_model
from matching.ranker import MODEL_KIND
from matching.training import JudgedQuery, fit, grouped_cv

ranker_cli = AppGroup("ranker", help="The learned ranker.")

CORPUS = click.option(
    "--corpus", required=True, type=INPUT_FILE, help="Postings CSV (jobs.csv schema)."
)
QUERIES = click.option("--queries", required=True, type=INPUT_FILE, help="JSON lines {qid, text}.")
QRELS = click.option(
    "--qrels", required=True, type=INPUT_FILE, help="TREC qrels: qid 0 job_id grade."
)


DEPTH = click.option(
    "--depth",
    type=click.IntRange(10, 1000),
    help="Candidates reranked per query (default: the RERANK_DEPTH setting).",
)


@dataclass(frozen=True)
class Gathered:
    judged: list[JudgedQuery]
    # every judgment per query by job id (judged postings the engine missed get negative ids)
    full: dict[str, dict[int, int]]


def _read_judgments(
    queries: Path, qrels: Path
) -> tuple[list[tuple[str, str]], dict[str, dict[str, int]]]:
    try:
        return read_queries(queries), read_qrels(qrels)
    except ValueError as error:
        raise click.BadParameter(str(error)) from None


def gather(
    holder: SearchHolder,
    session: Session,
    query_list: list[tuple[str, str]],
    judgments: dict[str, dict[str, int]],
    depth: int,
) -> Gathered:
    """Each judged query's candidates in the engine's order, with their grades."""
    by_source: dict[str, int] = {}
    judged: list[JudgedQuery] = []
    full: dict[str, dict[int, int]] = {}
    with click.progressbar(query_list, label="gathering candidates", file=sys.stderr) as bar:
        for qid, text in bar:
            page = search_jobs(holder, session, text, limit=depth, ranker=None)
            by_source.update({hit.job.source_id or "": hit.job.id for hit in page.hits})
            found = candidates(
                [(hit.job, hit.score) for hit in page.hits], holder.tokenizer, holder.engine
            )
            grades = judgments.get(qid, {})
            context = query_context(build_query(holder, session, text), text, holder.tokenizer)
            judged.append(
                JudgedQuery(
                    qid,
                    context,
                    found,
                    {by_source[s]: g for s, g in grades.items() if s in by_source},
                )
            )
            full[qid] = {by_source.get(s, -i - 1): g for i, (s, g) in enumerate(grades.items())}
    return Gathered(judged, full)


@ranker_cli.command("cv")
@CORPUS
@QUERIES
@QRELS
@click.option("--folds", default=5, show_default=True, help="Folds, split by query.")
@DEPTH
@click.option("--per-query", is_flag=True, help="Print each query's NDCG@10 too.")
def cv_command(
    corpus: Path, queries: Path, qrels: Path, folds: int, depth: int | None, per_query: bool
) -> None:
    """NDCG@10 of the engine alone and reranked, each query scored by a model that never saw it."""
    query_list, judgments = _read_judgments(queries, qrels)
    if folds < 2 or folds > len(query_list):
        raise click.BadParameter(f"--folds must be between 2 and {len(query_list)}")
    depth = depth or int(current_app.config["RERANK_DEPTH"])
    now: datetime = utcnow()
    with throwaway_instance(corpus, "fts5") as (holder, session):
        gathered = gather(holder, session, query_list, judgments, depth)
        with click.progressbar(length=folds, label="cross-validating", file=sys.stderr) as bar:
            report = grouped_cv(
                gathered.judged, now, folds=folds, judged=gathered.full, progress=bar.update
            )
    if per_query:
        for qid in sorted(report.engine):
            click.echo(
                f"{qid}\tengine {report.engine[qid]:.3f}\treranked {report.reranked[qid]:.3f}"
            )
    worst, loss = report.worst_loss()
    click.echo(f"queries: {len(gathered.judged)}, folds: {folds} (split by query), depth: {depth}")
    click.echo(f"NDCG@10 engine    {report.engine_mean:.4f}")
    click.echo(f"NDCG@10 reranked  {report.reranked_mean:.4f}")
    click.echo(f"largest loss on one query: {worst} {loss:+.3f}")
    click.echo(
        f"unjudged in top 10: engine {report.unjudged_engine}, "
        f"reranked {report.unjudged_reranked} of {10 * len(gathered.judged)}"
    )


@ranker_cli.command("train")
@CORPUS
@QUERIES
@QRELS
@DEPTH
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to save the model (default: the instance folder, where search loads it).",
)
def train_command(
    corpus: Path, queries: Path, qrels: Path, depth: int | None, out: Path | None
) -> None:
    """Train the ranker on graded judgments over a corpus and save it with its metadata."""
    query_list, judgments = _read_judgments(queries, qrels)
    depth = depth or int(current_app.config["RERANK_DEPTH"])
    out = out or ranker_path(current_app.instance_path)
    now: datetime = utcnow()
    with throwaway_instance(corpus, "fts5") as (holder, session):
        gathered = gather(holder, session, query_list, judgments, depth)
        click.echo("fitting the model ...", err=True)
        model = fit(gathered.judged, now)
    pairs = sum(len(q.candidates) for q in gathered.judged)
    graded = sum(len(q.grades) for q in gathered.judged)
    metadata = model_metadata(
        MODEL_KIND,
        FEATURE_NAMES,
        training={
            "source": "judgments",
            "corpus": corpus.name,
            "queries": len(gathered.judged),
            "queries_sha256": file_digest(queries),
            "qrels_sha256": file_digest(qrels),
            "candidates": pairs,
            "graded_candidates": graded,
            "depth": depth,
        },
    )
    save_model(out, model, metadata)
    click.echo(
        f"trained on {len(gathered.judged)} queries, {pairs} candidates ({graded} graded), "
        f"depth {depth}"
    )
    click.echo(f"saved to {out}")
