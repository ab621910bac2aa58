"""The learned ranker, its fallback, and cross-validation that never scores a trained query."""

from __future__ import annotations

import logging
import math
from dataclasses import replace
from datetime import datetime

import pytest

from matching.features import Candidate, QueryContext, featurize
from matching.ranker import Ranker, key_enterprises_first, rerank
from matching.training import JudgedQuery, fit, grouped_cv

NOW = datetime(2026, 11, 26)


def candidates(qid: int) -> list[Candidate]:
    """Ten postings per query: the engine ranks the relevant ones (full title match) last."""
    out = []
    for rank in range(1, 11):
        relevant = rank > 7
        title = ("焊工", "学徒") if relevant else ("学徒",)
        out.append(
            Candidate(
                job_id=qid * 100 + rank,
                engine_score=20.0 - rank,
                engine_rank=rank,
                title_words=title,
                words=frozenset(title),
                compact_title="".join(title),
            )
        )
    return out


def judged(qid: int) -> JudgedQuery:
    found = candidates(qid)
    grades = {c.job_id: 3 for c in found if "焊工" in c.title_words}
    return JudgedQuery(f"q{qid:02d}", QueryContext(words=("焊工", "学徒")), found, grades)


def test_without_a_model_the_engine_order_stands() -> None:
    found = candidates(1)
    assert [c for c, _ in rerank(None, QueryContext(), found, NOW)] == found


def test_a_model_for_other_features_is_refused_with_a_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    ranker = fit([judged(n) for n in range(6)], NOW, Ranker(min_samples_leaf=5))
    ranker.feature_names_ = ("something", "else")
    found = candidates(9)
    with caplog.at_level(logging.WARNING):
        order = [c for c, _ in rerank(ranker, QueryContext(words=("焊工",)), found, NOW)]
    assert order == found
    assert "features do not match" in caplog.text


def test_the_model_learns_what_makes_a_posting_relevant() -> None:
    ranker = fit([judged(n) for n in range(20)], NOW, Ranker(min_samples_leaf=5))
    order = [c for c, _ in rerank(ranker, judged(99).context, candidates(99), NOW)]
    assert {c.engine_rank for c in order[:3]} == {8, 9, 10}


def test_the_engine_prior_orders_what_the_model_cannot_tell_apart_and_yields_to_evidence() -> None:
    context = judged(99).context
    # every candidate graded alike: the trees learn nothing, only the prior orders them
    alike = [replace(q, grades={c.job_id: 1 for c in q.candidates}) for q in map(judged, range(6))]
    flat = fit(alike, NOW, Ranker(min_samples_leaf=5, engine_prior=0.05))
    reversed_engine = list(reversed(candidates(99)))
    scored = rerank(flat, context, reversed_engine, NOW)
    assert [c.engine_rank for c, _ in scored] == list(range(1, 11))
    by_rank = {c.engine_rank: score for c, score in scored}
    # 0.05 × ln(1 + 10 / rank) grade points over the model's (constant) score
    assert by_rank[1] - by_rank[10] == pytest.approx(0.05 * (math.log(11) - math.log(2)))
    # without it the scores tie exactly (the order then falls back on the engine's rank)
    bare = fit(alike, NOW, Ranker(min_samples_leaf=5, engine_prior=0.0))
    assert len({round(score, 9) for _, score in rerank(bare, context, reversed_engine, NOW)}) == 1
    # clear evidence (a full title match, learned) still outweighs the prior
    learned = fit([judged(n) for n in range(20)], NOW, Ranker(min_samples_leaf=5))
    order = [c for c, _ in rerank(learned, context, candidates(99), NOW)]
    assert {c.engine_rank for c in order[:3]} == {8, 9, 10}


def test_a_model_saved_before_the_prior_existed_scores_without_it() -> None:
    ranker = fit([judged(n) for n in range(6)], NOW, Ranker(min_samples_leaf=5))
    rows = featurize(judged(99).context, candidates(99), NOW)
    del ranker.engine_prior  # as unpickled from an older file
    assert ranker.predict(rows) == pytest.approx(ranker.model_.predict(rows))
    assert ranker.parameters()["engine_prior"] == 0.0


def test_cross_validation_scores_each_query_once_with_a_model_that_never_saw_it() -> None:
    class Recording(Ranker):
        def fit(self, features, grades):  # type: ignore[no-untyped-def]
            self.rows_ = len(features)
            return super().fit(features, grades)

    queries = [judged(n) for n in range(10)]
    folds: list[Recording] = []

    def make() -> Recording:
        folds.append(Recording(min_samples_leaf=5))
        return folds[-1]

    report = grouped_cv(queries, NOW, folds=5, make=make)
    assert sorted(report.engine) == sorted(q.qid for q in queries)
    # each fold trains on the other 8 queries' 10 candidates: never on its own two
    assert [model.rows_ for model in folds] == [80] * 5
    assert report.reranked_mean > report.engine_mean


def test_cross_validation_measures_the_key_enterprise_lift_in_both_orders() -> None:
    def with_a_key_enterprise(qid: int) -> JudgedQuery:
        query = judged(qid)
        # one engine tier (scores within 2% of the first); the last posting is a key
        # enterprise's, relevant, and the lift brings it into the top 10
        tier = [replace(c, engine_score=10.0 - 0.01 * c.engine_rank) for c in query.candidates]
        last = query.candidates[-1]
        found = tier + [
            replace(last, job_id=qid * 100 + 11 + extra, engine_rank=11 + extra, engine_score=9.9)
            for extra in (0, 1)
        ]
        grades = {c.job_id: 3 for c in found if "焊工" in c.title_words}
        return replace(query, candidates=found, grades=grades)

    queries = [with_a_key_enterprise(n) for n in range(10)]
    key_jobs = {q.candidates[-1].job_id for q in queries}
    report = grouped_cv(
        queries, NOW, folds=5, make=lambda: Ranker(min_samples_leaf=5), key_jobs=key_jobs
    )

    assert report.key_in_top10["engine"] == 0
    assert report.key_in_top10["engine+key"] == len(queries)  # first in its tier
    # a relevant posting rose past irrelevant ones: the lifted engine order scores better
    assert report.mean(report.lifted["engine+key"]) > report.engine_mean
    assert sorted(report.lifted["reranked+key"]) == sorted(q.qid for q in queries)
    assert report.key_in_top10["reranked+key"] >= report.key_in_top10["reranked"]


def test_key_enterprises_rise_within_a_tier_and_never_past_it() -> None:
    # engine scores: 10, 9.9 and 9.85 are one tier (within 2% of 10); 7 starts another
    scores = [10.0, 9.9, 9.85, 7.0, 6.9]
    is_key = [False, False, True, False, True]

    order = key_enterprises_first(scores, is_key, model=False)

    assert order == [2, 0, 1, 4, 3]
    # model scores: a 0.15-grade tier
    assert key_enterprises_first([2.0, 1.9, 1.5], [False, True, True], model=True) == [1, 0, 2]
    # a score above the tier's first (the synonym tier restarting) starts a new tier
    assert key_enterprises_first([5.0, 4.95, 9.0], [False, False, True], model=False) == [0, 1, 2]
    assert key_enterprises_first([], [], model=True) == []


def test_within_a_tier_the_wanted_kind_follows_the_key_enterprises() -> None:
    scores = [10.0, 9.9, 9.85, 7.0, 6.9]
    is_key = [False, False, True, False, False]
    wanted = [False, True, False, False, True]

    order = key_enterprises_first(scores, is_key, model=False, wanted=wanted)

    # key first, then the wanted kind, then the rest; never past the tier at 7.0
    assert order == [2, 1, 0, 4, 3]
