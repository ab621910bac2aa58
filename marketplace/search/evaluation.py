"""`flask eval search`: relevance of the search path on judged queries, in a throwaway instance.

The corpus is imported and indexed into a temporary database and index (never the live ones);
each query then goes through `search_jobs`, the same path a seeker's search takes.
"""

from __future__ import annotations

import hashlib
import random
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select, update
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
from marketplace.employers.models import Employer
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
KEY_SHARE = click.option(
    "--key-share",
    type=click.FloatRange(0, 0.9),
    default=0.0,
    help="Flag this share of the corpus's employers as key enterprises (seeded) and compare "
    "each order with and without their lift.",
)


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
@KEY_SHARE
@click.option("--per-query", is_flag=True, help="Print each query's scores too.")
@click.option(
    "--unjudged-out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the top-10 postings nobody judged (TSV), to extend the judgments with.",
)
def search_command(
    corpus: Path,
    queries: Path,
    qrels: Path,
    engine: str,
    run_out: Path | None,
    ranker_choice: str,
    key_share: float,
    per_query: bool,
    unjudged_out: Path | None,
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
    results = _evaluate(corpus, query_list, judgments, engine, ranker, key_share)
    click.echo(f"engine: {engine}, queries: {len(query_list)}, ranker: {label}")
    if ranker is not None and _trained_on(ranker_choice, queries):
        click.echo(
            "note: the model was trained on these queries, so the reranked figures flatter it; "
            "`flask ranker cv` gives the honest ones (each query scored by a model that never "
            "saw it)"
        )
    _print(results, per_query)
    if run_out is not None:
        run = results[-1].run
        run_out.write_text("\n".join(run) + "\n", encoding="utf-8")
        click.echo(f"run written to {run_out}")
    if unjudged_out is not None:
        count = write_unjudged(unjudged_out, dict(query_list), results)
        click.echo(f"{count} unjudged top-10 postings written to {unjudged_out}")


UNJUDGED_HEADER = ("qid", "query", "job_id", "best_rank", "orders", "title", "city")


def write_unjudged(path: Path, texts: dict[str, str], results: list[VariantResult]) -> int:
    """The postings in some order's top 10 that the qrels do not judge, one row each: what a
    judge reads to extend the judgments (the pool's blind spots are where our figures err)."""
    found: dict[tuple[str, str], tuple[int, list[str], str, str]] = {}
    for result in results:
        for shown in result.unjudged:
            key = (shown.qid, shown.doc)
            rank, orders, _title, _city = found.get(key, (shown.rank, [], "", ""))
            found[key] = (min(rank, shown.rank), [*orders, result.name], shown.title, shown.city)
    lines = ["\t".join(UNJUDGED_HEADER)]
    position = {qid: n for n, qid in enumerate(texts)}  # the queries file's order
    for (qid, doc), (rank, orders, title, city) in sorted(
        found.items(), key=lambda item: (position.get(item[0][0], len(position)), item[1][0])
    ):
        cells = (qid, texts.get(qid, ""), doc, str(rank), ",".join(orders), title, city)
        lines.append("\t".join(" ".join(cell.split()) for cell in cells))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(found)


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


def _print(results: list[VariantResult], per_query: bool) -> None:
    summaries = [(result.name, Summary.of(result.scores)) for result in results]
    if per_query:
        for result in results:
            for item in result.scores:
                click.echo(
                    f"{result.name}\t{item.qid}\tNDCG@10 {item.ndcg10:.3f}\t"
                    f"MRR@10 {item.mrr10:.3f}\tR@100 {item.recall100:.3f}\t"
                    f"unjudged@10 {item.unjudged10}\t"
                    f"judged-only NDCG@10 {item.condensed_ndcg10:.3f}"
                )
    width = max(10, *(len(name) + 2 for name, _ in summaries))
    click.echo(f"{'':<20}" + "".join(f"{name:>{width}}" for name, _ in summaries))
    rows: list[tuple[str, list[str]]] = [
        ("NDCG@10", [f"{s.ndcg10:.4f}" for _, s in summaries]),
        ("MRR@10", [f"{s.mrr10:.4f}" for _, s in summaries]),
        ("Recall@100", [f"{s.recall100:.4f}" for _, s in summaries]),
        ("unjudged in top 10", [f"{s.unjudged10}/{10 * s.queries}" for _, s in summaries]),
        # unjudged postings left out: how far the judgments' pool decides the NDCG above
        ("NDCG@10 judged only", [f"{s.condensed_ndcg10:.4f}" for _, s in summaries]),
        ("key share of top 10", [f"{result.key_share:.3f}" for result in results]),
    ]
    for label, cells in rows:
        click.echo(f"{label:<20}" + "".join(f"{cell:>{width}}" for cell in cells))


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


@dataclass(frozen=True)
class Variant:
    name: str
    ranker: Ranker | None
    key_lift: bool


@dataclass(frozen=True)
class Unjudged:
    """A posting in a query's top 10 that the judgments do not grade."""

    qid: str
    doc: str
    rank: int
    title: str
    city: str


@dataclass(frozen=True)
class VariantResult:
    name: str
    scores: list[QueryScores]
    run: list[str]
    key_share: float  # share of key-enterprise postings among the top 10s
    unjudged: list[Unjudged]


def variants(ranker: Ranker | None, key_share: float) -> list[Variant]:
    """What to compare: the engine, reranked (with a model); with and without the key lift
    when some employers are flagged."""
    models: list[tuple[str, Ranker | None]] = [("engine", None)]
    if ranker is not None:
        models.append(("reranked", ranker))
    if not key_share:
        return [Variant(name, model, key_lift=True) for name, model in models]
    return [
        Variant(name + suffix, model, key_lift=lift)
        for name, model in models
        for suffix, lift in (("", False), ("+key", True))
    ]


def flag_key_enterprises(session: Session, share: float, seed: int = 2023) -> int:
    """Flag a seeded random `share` of the employers as key enterprises (to measure the lift)."""
    ids = sorted(session.scalars(select(Employer.id)))
    # a measurement's sample, not a secret
    chosen = random.Random(seed).sample(ids, round(share * len(ids)))  # noqa: S311
    if chosen:
        session.execute(
            update(Employer).where(Employer.id.in_(chosen)).values(is_key_enterprise=True)
        )
        session.commit()
    return len(chosen)


def _evaluate(
    corpus: Path,
    query_list: list[tuple[str, str]],
    judgments: dict[str, dict[str, int]],
    engine: str,
    ranker: Ranker | None,
    key_share: float = 0.0,
) -> list[VariantResult]:
    """Per-query scores, a TREC run and the key-enterprise share for each variant."""
    results: list[VariantResult] = []
    with throwaway_instance(corpus, engine) as (holder, session):
        flagged = flag_key_enterprises(session, key_share) if key_share else 0
        if flagged:
            click.echo(f"flagged {flagged} employers as key enterprises (seeded)", err=True)
        for variant in variants(ranker, key_share):
            scores: list[QueryScores] = []
            run: list[str] = []
            unjudged: list[Unjudged] = []
            keys = shown = 0
            label = f"running queries ({variant.name})"
            with click.progressbar(query_list, label=label, file=sys.stderr) as bar:
                for qid, text in bar:
                    page = search_jobs(
                        holder,
                        session,
                        text,
                        limit=DEPTH,
                        ranker=variant.ranker,
                        key_lift=variant.key_lift,
                    )
                    ranking = [
                        # a run's scores must fall as the rank rises: use the rank itself
                        (hit.job.source_id or str(hit.job.id), float(DEPTH - position))
                        for position, hit in enumerate(page.hits)
                    ]
                    docs = [doc for doc, _ in ranking]
                    judged = judgments.get(qid, {})
                    scores.append(score_query(qid, docs, judged))
                    unjudged.extend(
                        Unjudged(qid, doc, rank, hit.job.title, hit.job.city or "")
                        for rank, (doc, hit) in enumerate(zip(docs, page.hits, strict=True), 1)
                        if rank <= 10 and doc not in judged
                    )
                    run.extend(run_lines(qid, ranking, f"jiuye-{engine}-{variant.name}"))
                    keys += sum(hit.job.employer.is_key_enterprise for hit in page.hits[:10])
                    shown += len(page.hits[:10])
            share = keys / shown if shown else 0
            results.append(VariantResult(variant.name, scores, run, share, unjudged))
    return results
