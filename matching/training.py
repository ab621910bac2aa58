"""Training sets from graded judgments, fitting, and honest evaluation by grouped CV.

Never score a query the model trained on: folds are split by query.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
import numpy.typing as npt

from indexer.metrics import condensed_ndcg_at, ndcg_at
from matching.features import Candidate, QueryContext, featurize
from matching.ranker import Ranker, key_enterprises_first, rerank


@dataclass(frozen=True)
class JudgedQuery:
    qid: str
    context: QueryContext
    candidates: Sequence[Candidate]  # in the engine's order
    grades: dict[int, int]  # job id → grade (unjudged postings are absent)


@dataclass
class CvReport:
    folds: int
    engine: dict[str, float] = field(default_factory=dict)  # qid → NDCG@10
    reranked: dict[str, float] = field(default_factory=dict)
    unjudged_engine: int = 0  # postings in top 10s with no judgment
    unjudged_reranked: int = 0
    # NDCG@10 with the unjudged postings left out (indexer.metrics.condensed_ndcg_at)
    engine_judged_only: dict[str, float] = field(default_factory=dict)
    reranked_judged_only: dict[str, float] = field(default_factory=dict)
    # with `key_jobs`: NDCG@10 per query of each order with key enterprises lifted within
    # their tier ("engine+key", "reranked+key"), and key-enterprise postings in each order's
    # top 10s (the four orders)
    lifted: dict[str, dict[str, float]] = field(default_factory=dict)
    key_in_top10: Counter[str] = field(default_factory=Counter)

    @property
    def engine_mean(self) -> float:
        return self.mean(self.engine)

    @property
    def reranked_mean(self) -> float:
        return self.mean(self.reranked)

    @staticmethod
    def mean(values: dict[str, float]) -> float:
        """The mean over the queries of one of the per-query dicts above (0 when empty)."""
        return float(np.mean(list(values.values()))) if values else 0.0

    def worst_loss(self) -> tuple[str, float]:
        losses = {qid: self.engine[qid] - self.reranked[qid] for qid in self.engine}
        qid = max(losses, key=lambda key: losses[key])
        return qid, losses[qid]


def training_matrix(
    queries: Sequence[JudgedQuery], now: datetime
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    blocks = [featurize(q.context, q.candidates, now) for q in queries]
    grades = [
        np.array([q.grades.get(c.job_id, 0) for c in q.candidates], dtype=np.float64)
        for q in queries
    ]
    return np.vstack(blocks), np.concatenate(grades)


def fit(queries: Sequence[JudgedQuery], now: datetime, ranker: Ranker | None = None) -> Ranker:
    features, grades = training_matrix(queries, now)
    return (ranker or Ranker()).fit(features, grades)


def _ndcg(order: Sequence[Candidate], grades: dict[str, int]) -> float:
    return ndcg_at([str(c.job_id) for c in order], grades, 10)


def _condensed(order: Sequence[Candidate], grades: dict[str, int]) -> float:
    return condensed_ndcg_at([str(c.job_id) for c in order], grades, 10)


def _lift_keys(
    ranked: Sequence[tuple[Candidate, float]], key_jobs: AbstractSet[int], *, model: bool
) -> list[Candidate]:
    """The ranked candidates with key enterprises first within each tier, as search does."""
    order = key_enterprises_first(
        [score for _c, score in ranked], [c.job_id in key_jobs for c, _s in ranked], model=model
    )
    return [ranked[i][0] for i in order]


def grouped_cv(
    queries: Sequence[JudgedQuery],
    now: datetime,
    folds: int = 5,
    make: Callable[[], Ranker] = Ranker,
    judged: dict[str, dict[int, int]] | None = None,
    progress: Callable[[int], None] | None = None,
    key_jobs: AbstractSet[int] | None = None,
) -> CvReport:
    """Engine vs reranked NDCG@10 per query, each query scored by a model that never saw it.

    `judged` gives the full judgments per query (by job id) when the candidates miss some;
    with `key_jobs` (key enterprises' postings) both orders are also scored with those lifted
    within their tier. Only the lift sees them, not the model, as with the model `make ranker`
    trains on judgments in a throwaway instance where no employer is flagged (its trees never
    split on the flag; one trained `--from-log` on this instance's log does see real flags).
    """
    report = CvReport(folds=folds)
    order = sorted(range(len(queries)), key=lambda i: queries[i].qid)
    for fold in range(folds):
        held = [queries[i] for n, i in enumerate(order) if n % folds == fold]
        train = [queries[i] for n, i in enumerate(order) if n % folds != fold]
        model = fit(train, now, make())
        for q in held:
            grades = (judged or {}).get(q.qid, q.grades)
            as_text = {str(job_id): grade for job_id, grade in grades.items()}
            scored = rerank(model, q.context, q.candidates, now)
            reranked = [c for c, _score in scored]
            if key_jobs is not None:
                orders = {
                    "engine": list(q.candidates),
                    "engine+key": _lift_keys(
                        [(c, c.engine_score) for c in q.candidates], key_jobs, model=False
                    ),
                    "reranked": reranked,
                    "reranked+key": _lift_keys(scored, key_jobs, model=True),
                }
                for name, ranked in orders.items():
                    if name.endswith("+key"):
                        report.lifted.setdefault(name, {})[q.qid] = _ndcg(ranked, as_text)
                    report.key_in_top10[name] += sum(c.job_id in key_jobs for c in ranked[:10])
            report.engine[q.qid] = _ndcg(q.candidates, as_text)
            report.reranked[q.qid] = _ndcg(reranked, as_text)
            report.unjudged_engine += sum(1 for c in q.candidates[:10] if c.job_id not in grades)
            report.unjudged_reranked += sum(1 for c in reranked[:10] if c.job_id not in grades)
            report.engine_judged_only[q.qid] = _condensed(q.candidates, as_text)
            report.reranked_judged_only[q.qid] = _condensed(reranked, as_text)
        if progress is not None:
            progress(1)
    return report
