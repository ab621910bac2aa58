"""Benchmark of the learned ranker's cost in a search: reranking the engine's top candidates.

Builds a throwaway instance holding the real postings (the same path `flask eval search`
uses), trains a ranker on the dev judgments, then for each dev query times:
(1) the model alone — `featurize` + `predict` + the sort — over N candidates (default 300);
(2) a whole first page through `search_jobs` with the model and without it, at depth N: the
    difference is what reranking adds to a seeker's search (fetching N postings and their
    indexed words, features, the model).
Each query runs `--repeat` times; the figures are p50/p99 over all runs. Target (issue 4):
reranking 300 candidates under 10 ms at p99.

Run: .venv/bin/python bench/bench_rerank.py [--depth 300] [--repeat 20]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from indexer.metrics import read_qrels, read_queries  # noqa: E402
from marketplace import create_app  # noqa: E402
from marketplace.database import utcnow  # noqa: E402
from marketplace.search.evaluation import throwaway_instance  # noqa: E402
from marketplace.search.ranker_cli import gather  # noqa: E402
from marketplace.search.services import search_jobs  # noqa: E402
from matching.features import featurize  # noqa: E402
from matching.ranker import model_order, model_scores  # noqa: E402
from matching.training import fit  # noqa: E402

TARGET_P99_MS = 10.0


def percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def data_dir() -> Path:
    return Path(os.environ.get("JIUYE_DATA_DIR", REPO.parent / "shared" / "data"))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--depth", type=int, default=300, help="candidates reranked")
    parser.add_argument("--repeat", type=int, default=20, help="runs of each query")
    args = parser.parse_args(argv)
    corpus = data_dir() / "jobs_jobhunting" / "jobs.csv"
    relevance = REPO.parent / "shared" / "relevance"
    if not corpus.exists():
        print(f"bench_rerank: {corpus} not found; set JIUYE_DATA_DIR", file=sys.stderr)
        return 2
    queries = read_queries(relevance / "queries_dev.jsonl")
    judgments = read_qrels(relevance / "qrels_dev.tsv")
    host = create_app({"SECRET_KEY": "bench", "REDIS_URL": None})
    now: datetime = utcnow()
    with host.app_context(), throwaway_instance(corpus, "fts5") as (holder, session):
        gathered = gather(holder, session, queries, judgments, args.depth)
        model = fit(gathered.judged, now)
        alone: list[float] = []
        for _ in range(args.repeat):
            for judged in gathered.judged:
                start = time.perf_counter()
                scores = model_scores(model, featurize(judged.context, judged.candidates, now))
                if scores is not None:
                    model_order(scores, judged.candidates)
                alone.append((time.perf_counter() - start) * 1000)
        with_model: list[float] = []
        engine_only: list[float] = []
        for _ in range(args.repeat):
            for _qid, text in queries:
                for ranker, times in ((model, with_model), (None, engine_only)):
                    start = time.perf_counter()
                    search_jobs(holder, session, text, limit=20, ranker=ranker, depth=args.depth)
                    times.append((time.perf_counter() - start) * 1000)
    sizes = [len(judged.candidates) for judged in gathered.judged]
    python = platform.python_version()
    print(f"machine: {os.cpu_count()} CPUs, Python {python}, {platform.machine()}")
    print(f"load average: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    print(
        f"queries: {len(queries)}, candidates per query: median {statistics.median(sizes):.0f}, "
        f"max {max(sizes)} (depth {args.depth}), runs per query: {args.repeat}"
    )
    print(
        f"(1) model alone (features + predict + sort): p50 {percentile(alone, 0.5):.2f} ms, "
        f"p99 {percentile(alone, 0.99):.2f} ms (target p99 < {TARGET_P99_MS:.0f} ms)"
    )
    print(
        f"(2) first page, engine only: p50 {percentile(engine_only, 0.5):.2f} ms, "
        f"p99 {percentile(engine_only, 0.99):.2f} ms"
    )
    print(
        f"    first page, reranked:    p50 {percentile(with_model, 0.5):.2f} ms, "
        f"p99 {percentile(with_model, 0.99):.2f} ms"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
