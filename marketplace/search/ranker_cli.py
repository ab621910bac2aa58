"""`flask ranker cv`: how much the learned ranker lifts the engine, by grouped cross-validation.

Candidates come from the same search path a seeker's search takes, in a throwaway instance.
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

import click
from flask.cli import AppGroup

from indexer.metrics import read_qrels, read_queries
from marketplace.database import utcnow
from marketplace.search.evaluation import INPUT_FILE, throwaway_instance
from marketplace.search.ranking import candidates, query_context
from marketplace.search.services import build_query, search_jobs
from matching.training import JudgedQuery, grouped_cv

ranker_cli = AppGroup("ranker", help="The learned ranker.")


@ranker_cli.command("cv")
@click.option("--corpus", required=True, type=INPUT_FILE, help="Postings CSV (jobs.csv schema).")
@click.option("--queries", required=True, type=INPUT_FILE, help="JSON lines {qid, text}.")
@click.option("--qrels", required=True, type=INPUT_FILE, help="TREC qrels: qid 0 job_id grade.")
@click.option("--folds", default=5, show_default=True, help="Folds, split by query.")
@click.option("--depth", default=100, show_default=True, help="Candidates reranked per query.")
@click.option("--per-query", is_flag=True, help="Print each query's NDCG@10 too.")
def cv_command(
    corpus: Path, queries: Path, qrels: Path, folds: int, depth: int, per_query: bool
) -> None:
    """NDCG@10 of the engine alone and reranked, each query scored by a model that never saw it."""
    try:
        query_list = read_queries(queries)
        judgments = read_qrels(qrels)
    except ValueError as error:
        raise click.BadParameter(str(error)) from None
    if folds < 2 or folds > len(query_list):
        raise click.BadParameter(f"--folds must be between 2 and {len(query_list)}")
    now: datetime = utcnow()
    with throwaway_instance(corpus, "fts5") as (holder, session):
        by_source: dict[str, int] = {}
        judged: list[JudgedQuery] = []
        full: dict[str, dict[int, int]] = {}
        with click.progressbar(query_list, label="gathering candidates", file=sys.stderr) as bar:
            for qid, text in bar:
                page = search_jobs(holder, session, text, limit=depth)
                by_source.update({hit.job.source_id or "": hit.job.id for hit in page.hits})
                found = candidates([(hit.job, hit.score) for hit in page.hits], holder.tokenizer)
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
                # judged postings the engine never returned still count in the ideal DCG
                full[qid] = {by_source.get(s, -i - 1): g for i, (s, g) in enumerate(grades.items())}
        with click.progressbar(length=folds, label="cross-validating", file=sys.stderr) as bar:
            report = grouped_cv(judged, now, folds=folds, judged=full, progress=bar.update)
    if per_query:
        for qid in sorted(report.engine):
            click.echo(
                f"{qid}\tengine {report.engine[qid]:.3f}\treranked {report.reranked[qid]:.3f}"
            )
    worst, loss = report.worst_loss()
    click.echo(f"queries: {len(judged)}, folds: {folds} (split by query), depth: {depth}")
    click.echo(f"NDCG@10 engine    {report.engine_mean:.4f}")
    click.echo(f"NDCG@10 reranked  {report.reranked_mean:.4f}")
    click.echo(f"largest loss on one query: {worst} {loss:+.3f}")
    click.echo(
        f"unjudged in top 10: engine {report.unjudged_engine}, "
        f"reranked {report.unjudged_reranked} of {10 * len(judged)}"
    )
