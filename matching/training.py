"""Training sets from graded judgments, fitting, and honest evaluation by grouped CV.

Never score a query the model trained on: folds are split by query.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
import numpy.typing as npt

from indexer.metrics import condensed_ndcg_at, ndcg_at
from matching.features import Candidate, QueryContext, featurize
from matching.ranker import Ranker, rerank


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


def grouped_cv(
    queries: Sequence[JudgedQuery],
    now: datetime,
    folds: int = 5,
    make: Callable[[], Ranker] = Ranker,
    judged: dict[str, dict[int, int]] | None = None,
    progress: Callable[[int], None] | None = None,
) -> CvReport:
    """Engine vs reranked NDCG@10 per query, each query scored by a model that never saw it.

    `judged` gives the full judgments per query (by job id) when the candidates miss some.
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
            reranked = [c for c, _score in rerank(model, q.context, q.candidates, now)]
            report.engine[q.qid] = _ndcg(q.candidates, as_text)
            report.reranked[q.qid] = _ndcg(reranked, as_text)
            report.unjudged_engine += sum(1 for c in q.candidates[:10] if c.job_id not in grades)
            report.unjudged_reranked += sum(1 for c in reranked[:10] if c.job_id not in grades)
            report.engine_judged_only[q.qid] = _condensed(q.candidates, as_text)
            report.reranked_judged_only[q.qid] = _condensed(reranked, as_text)
        if progress is not None:
            progress(1)
    return report
