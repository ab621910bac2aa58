"""Relevance measures over TREC qrels: NDCG@k (gain 2^grade − 1), MRR@k, Recall@k; file readers.

Unjudged postings count as not relevant. Beside that, `condensed_ndcg_at` scores the ranking
with its unjudged postings removed (Sakai's condensed lists): when a system finds postings the
judgments' pool never saw, the two figures part, and the gap says how much the pool decides.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

Qrels = dict[str, dict[str, int]]  # qid → doc id → grade
RELEVANT_GRADE = 2  # MRR and recall count grade ≥ 2 as relevant


def read_queries(path: Path) -> list[tuple[str, str]]:
    """(qid, text) from a JSON-lines file of {"qid": ..., "text": ...}."""
    queries: list[tuple[str, str]] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            queries.append((str(record["qid"]), str(record["text"])))
        except (json.JSONDecodeError, KeyError, TypeError) as error:
            raise ValueError(f"{path}:{number}: not a query object ({error})") from None
    return queries


def read_qrels(path: Path) -> Qrels:
    """TREC qrels: `qid 0 doc_id grade` per line (tabs or spaces)."""
    qrels: Qrels = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        parts = line.split()
        if not parts:
            continue
        if len(parts) != 4 or not parts[3].lstrip("-").isdigit():
            raise ValueError(f"{path}:{number}: expected 'qid 0 doc_id grade'")
        qrels.setdefault(parts[0], {})[parts[2]] = int(parts[3])
    return qrels


def dcg(grades: Iterable[int]) -> float:
    return float(sum((2**grade - 1) / math.log2(rank + 2) for rank, grade in enumerate(grades)))


def ndcg_at(ranking: Sequence[str], judged: Mapping[str, int], k: int = 10) -> float:
    ideal = dcg(sorted((g for g in judged.values() if g > 0), reverse=True)[:k])
    if ideal == 0:
        return 0.0
    return dcg(max(judged.get(doc, 0), 0) for doc in ranking[:k]) / ideal


def condensed_ndcg_at(ranking: Sequence[str], judged: Mapping[str, int], k: int = 10) -> float:
    """NDCG@k of the ranking with its unjudged postings left out (the judged keep their order)."""
    return ndcg_at([doc for doc in ranking if doc in judged], judged, k)


def mrr_at(ranking: Sequence[str], judged: Mapping[str, int], k: int = 10) -> float:
    for rank, doc in enumerate(ranking[:k], 1):
        if judged.get(doc, 0) >= RELEVANT_GRADE:
            return 1.0 / rank
    return 0.0


def recall_at(ranking: Sequence[str], judged: Mapping[str, int], k: int = 100) -> float:
    relevant = {doc for doc, grade in judged.items() if grade >= RELEVANT_GRADE}
    if not relevant:
        return 0.0
    return len(relevant.intersection(ranking[:k])) / len(relevant)


@dataclass(frozen=True)
class QueryScores:
    qid: str
    ndcg10: float
    mrr10: float
    recall100: float
    unjudged10: int
    condensed_ndcg10: float  # unjudged postings left out


def score_query(qid: str, ranking: Sequence[str], judged: Mapping[str, int]) -> QueryScores:
    return QueryScores(
        qid=qid,
        ndcg10=ndcg_at(ranking, judged, 10),
        mrr10=mrr_at(ranking, judged, 10),
        recall100=recall_at(ranking, judged, 100),
        unjudged10=sum(1 for doc in ranking[:10] if doc not in judged),
        condensed_ndcg10=condensed_ndcg_at(ranking, judged, 10),
    )


@dataclass(frozen=True)
class Summary:
    queries: int
    ndcg10: float
    mrr10: float
    recall100: float
    unjudged10: int  # over all queries' top 10s
    condensed_ndcg10: float

    @staticmethod
    def of(scores: Sequence[QueryScores]) -> Summary:
        n = len(scores) or 1
        return Summary(
            queries=len(scores),
            ndcg10=sum(s.ndcg10 for s in scores) / n,
            mrr10=sum(s.mrr10 for s in scores) / n,
            recall100=sum(s.recall100 for s in scores) / n,
            unjudged10=sum(s.unjudged10 for s in scores),
            condensed_ndcg10=sum(s.condensed_ndcg10 for s in scores) / n,
        )


def run_lines(qid: str, ranking: Sequence[tuple[str, float]], tag: str) -> list[str]:
    """TREC run format: `qid Q0 doc_id rank score tag`."""
    return [
        f"{qid} Q0 {doc} {rank} {score:.6f} {tag}" for rank, (doc, score) in enumerate(ranking, 1)
    ]
