"""`flask ranker cv|train`: the learned ranker, measured by grouped CV and trained for serving.

Candidates come from the same search path a seeker's search takes: in a throwaway instance
for judgments, in this instance for its interaction log (`train --from-log`).
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy.orm import Session

from indexer.engines.base import SearchUnavailable
from indexer.metrics import read_qrels, read_queries
from marketplace.database import get_database, utcnow
from marketplace.interactions.services import logged_events
from marketplace.jobs.models import Job
from marketplace.search.engine import SearchHolder, get_search, job_record, ranker_path
from marketplace.search.evaluation import (
    INPUT_FILE,
    KEY_SHARE,
    file_digest,
    flag_key_enterprises,
    throwaway_instance,
)
from marketplace.search.ranking import candidates, query_context
from marketplace.search.services import build_query, search_jobs
from matching.clicklog import PROPENSITY_FLOOR, estimate_propensities, shown_jobs, training_set
from matching.features import FEATURE_NAMES, Candidate, QueryContext
from matching.persistence import model_metadata, save_model
from matching.ranker import MODEL_KIND, Ranker
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


def query_candidates(
    holder: SearchHolder, session: Session, text: str, depth: int
) -> tuple[QueryContext, list[Candidate], list[Job]]:
    """A query's context and its best `depth` candidates in the engine's order, as search
    builds them (no model, no key-enterprise lift: the order the model reranks), with their
    jobs."""
    page = search_jobs(holder, session, text, limit=depth, ranker=None, key_lift=False)
    hits = [(job_record(hit.job), hit.score) for hit in page.hits]
    found = candidates(hits, holder.tokenizer, holder.engine)
    context = query_context(build_query(holder, session, text), text, holder.tokenizer)
    return context, found, [hit.job for hit in page.hits]


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
            context, found, jobs = query_candidates(holder, session, text, depth)
            by_source.update({job.source_id or "": job.id for job in jobs})
            grades = judgments.get(qid, {})
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
@KEY_SHARE
def cv_command(
    corpus: Path,
    queries: Path,
    qrels: Path,
    folds: int,
    depth: int | None,
    per_query: bool,
    key_share: float,
) -> None:
    """NDCG@10 of the engine alone and reranked, each query scored by a model that never saw it."""
    query_list, judgments = _read_judgments(queries, qrels)
    if folds < 2 or folds > len(query_list):
        raise click.BadParameter(f"--folds must be between 2 and {len(query_list)}")
    depth = depth or int(current_app.config["RERANK_DEPTH"])
    now: datetime = utcnow()
    with throwaway_instance(corpus, "fts5") as (holder, session):
        flagged = flag_key_enterprises(session, key_share) if key_share else 0
        if flagged:
            click.echo(f"flagged {flagged} employers as key enterprises (seeded)", err=True)
        gathered = gather(holder, session, query_list, judgments, depth)
        key_jobs, unflagged = _set_aside_key_flags(gathered.judged)
        with click.progressbar(length=folds, label="cross-validating", file=sys.stderr) as bar:
            report = grouped_cv(
                unflagged,
                now,
                folds=folds,
                judged=gathered.full,
                progress=bar.update,
                key_jobs=key_jobs if key_share else None,
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
    click.echo(
        f"NDCG@10 judged only (unjudged left out): engine "
        f"{report.mean(report.engine_judged_only):.4f}, "
        f"reranked {report.mean(report.reranked_judged_only):.4f}"
    )
    if key_share:
        shown = 10 * len(gathered.judged)
        means = {"engine": report.engine_mean, "reranked": report.reranked_mean}
        for name in ("engine", "reranked"):
            lifted = report.mean(report.lifted[f"{name}+key"])
            click.echo(
                f"key-enterprise lift, {name}: NDCG@10 {means[name]:.4f} -> {lifted:.4f}, "
                f"key share of top 10s {report.key_in_top10[name] / shown:.3f} -> "
                f"{report.key_in_top10[name + '+key'] / shown:.3f}"
            )


def _set_aside_key_flags(
    queries: Sequence[JudgedQuery],
) -> tuple[frozenset[int], list[JudgedQuery]]:
    """The key enterprises' postings, and the queries with their candidates unflagged: the
    model is trained and scored as `make ranker` trains it, where no employer is flagged."""
    key_jobs = frozenset(c.job_id for q in queries for c in q.candidates if c.is_key_enterprise)
    unflagged = [
        replace(q, candidates=[replace(c, is_key_enterprise=False) for c in q.candidates])
        for q in queries
    ]
    return key_jobs, unflagged


MIN_SEARCHES = 200  # fewer searches than this teach the model noise


@ranker_cli.command("train")
@click.option("--corpus", type=INPUT_FILE, help="Postings CSV (jobs.csv schema).")
@click.option("--queries", type=INPUT_FILE, help="JSON lines {qid, text}.")
@click.option("--qrels", type=INPUT_FILE, help="TREC qrels: qid 0 job_id grade.")
@click.option(
    "--from-log",
    is_flag=True,
    help="Train on this database's interaction log (impressions, clicks, applications, "
    "hires, position bias corrected) instead of judgments.",
)
@click.option(
    "--since",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="With --from-log: only the log from this day on (UTC).",
)
@click.option(
    "--min-searches",
    type=click.IntRange(1),
    default=MIN_SEARCHES,
    show_default=True,
    help="With --from-log: refuse to train on fewer logged searches.",
)
@DEPTH
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to save the model (default: the instance folder, where search loads it).",
)
def train_command(
    corpus: Path | None,
    queries: Path | None,
    qrels: Path | None,
    from_log: bool,
    since: datetime | None,
    min_searches: int,
    depth: int | None,
    out: Path | None,
) -> None:
    """Train the ranker on graded judgments over a corpus (or on the interaction log) and save
    it with its metadata."""
    depth = depth or int(current_app.config["RERANK_DEPTH"])
    out = out or ranker_path(current_app.instance_path)
    if from_log:
        if corpus or queries or qrels:
            raise click.UsageError("--from-log trains on the database: leave out the files")
        train_from_log(since, min_searches, depth, out)
        return
    if corpus is None or queries is None or qrels is None:
        raise click.UsageError("give --corpus, --queries and --qrels (or --from-log)")
    if since is not None:
        raise click.UsageError("--since goes with --from-log")
    train_from_judgments(corpus, queries, qrels, depth, out)


def train_from_judgments(corpus: Path, queries: Path, qrels: Path, depth: int, out: Path) -> None:
    query_list, judgments = _read_judgments(queries, qrels)
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
            "parameters": model.parameters(),
        },
    )
    save_model(out, model, metadata)
    click.echo(
        f"trained on {len(gathered.judged)} queries, {pairs} candidates ({graded} graded), "
        f"depth {depth}"
    )
    click.echo(f"saved to {out}")


def train_from_log(since: datetime | None, min_searches: int, depth: int, out: Path) -> None:
    """The ranker from the app's own interaction log, positives weighted by 1/propensity.

    Each logged query's candidates are built now, through the same search path as for
    judgments: a job since deleted, or no longer among its query's best `depth`, is left out.
    """
    now: datetime = utcnow()
    holder = get_search()
    session = get_database().session()
    try:
        shown = shown_jobs(logged_events(session, since))
        searches = len({s.search for s in shown})
        if searches < min_searches:
            from_when = f" since {since:%Y-%m-%d}" if since else ""
            raise click.ClickException(
                f"the interaction log holds {searches} searches{from_when}, fewer than "
                f"--min-searches {min_searches}: no model trained or written"
            )
        propensities = estimate_propensities(shown)
        found: dict[str, tuple[QueryContext, Sequence[Candidate]]] = {}
        texts = sorted({s.query for s in shown})
        with click.progressbar(texts, label="gathering candidates", file=sys.stderr) as bar:
            for text in bar:
                context, listed, _jobs = query_candidates(holder, session, text, depth)
                found[text] = (context, listed)
    except SearchUnavailable as error:
        raise click.ClickException(f"the search engine is unavailable: {error}") from None
    finally:
        session.close()
    data = training_set(shown, found, propensities, now)
    if data.used == 0:
        raise click.ClickException(
            "none of the logged postings is still among its query's candidates: no model written"
        )
    click.echo("fitting the model ...", err=True)
    model = Ranker().fit(data.features, data.grades, data.weights)
    outcomes = Counter(s.grade for s in shown)
    metadata = model_metadata(
        MODEL_KIND,
        FEATURE_NAMES,
        training={
            "source": "interaction-log",
            "since": since.date().isoformat() if since else None,
            "searches": searches,
            "queries": len(texts),
            "impressions": len(shown),
            "impressions_used": data.used,
            "clicks": sum(n for grade, n in outcomes.items() if grade >= 1),
            "applications": sum(n for grade, n in outcomes.items() if grade >= 2),
            "hires": outcomes.get(3, 0),
            "rows": len(data.grades),
            "depth": depth,
            "propensities": [round(p, 4) for p in propensities.by_position],
            "propensity_floor": PROPENSITY_FLOOR,
            "em_iterations": propensities.iterations,
            "pairs_at_several_positions": propensities.moved_pairs,
            "parameters": model.parameters(),
        },
    )
    save_model(out, model, metadata)
    top = ", ".join(f"{p:.2f}" for p in propensities.by_position[:5])
    click.echo(
        f"trained on {searches} logged searches, {len(shown)} impressions "
        f"({data.used} of postings still listed), {metadata.training['clicks']} opened; "
        f"propensity by position {top} ..."
    )
    click.echo(f"saved to {out}")
