"""`flask eval search`: metrics over judged queries from a throwaway index."""

from __future__ import annotations

import json
from pathlib import Path

from flask import Flask

from indexer.metrics import condensed_ndcg_at, mrr_at, ndcg_at, recall_at
from tests.marketplace.test_importer import posting, write_csv


def test_metrics_follow_the_trec_definitions() -> None:
    judged = {"a": 3, "b": 2, "c": 0, "d": 1}
    assert ndcg_at(["a", "b", "d"], judged) == 1.0
    assert ndcg_at(["c", "a"], judged) < 1.0
    assert mrr_at(["c", "d", "b"], judged) == 1 / 3  # grade 1 is not relevant
    assert recall_at(["a", "x"], judged) == 0.5


def test_judged_only_ndcg_leaves_out_what_the_pool_never_saw() -> None:
    judged = {"a": 3, "b": 2, "c": 0}
    # two unjudged postings push the judged ones down: a miss each for plain NDCG
    ranking = ["x", "a", "y", "b"]
    assert ndcg_at(ranking, judged) < 0.7
    assert condensed_ndcg_at(ranking, judged) == 1.0
    # a judged non-relevant posting still costs
    assert condensed_ndcg_at(["c", "x", "a", "b"], judged) == ndcg_at(["c", "a", "b"], judged) < 1.0


def forklift_files(tmp_path: Path, text: str, grades: dict[str, int]) -> tuple[Path, Path, Path]:
    """Three postings (a forklift driver, a warehouse keeper, an accountant), the query q1
    and its judgments."""
    corpus = write_csv(
        tmp_path / "jobs.csv",
        [
            posting(1, title="叉车司机", description="持叉车证，负责仓库装卸"),
            posting(2, title="仓库管理员", description="负责出入库，会开叉车优先"),
            posting(3, title="会计", description="负责账务"),
        ],
    )
    queries = tmp_path / "queries.jsonl"
    queries.write_text(
        json.dumps({"qid": "q1", "text": text}, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    qrels = tmp_path / "qrels.tsv"
    qrels.write_text("".join(f"q1\t0\t{doc}\t{g}\n" for doc, g in grades.items()), "utf-8")
    return corpus, queries, qrels


def test_eval_search_prints_the_measures_and_writes_a_run(app: Flask, tmp_path: Path) -> None:
    corpus, queries, qrels = forklift_files(
        tmp_path, "叉车司机", {"TEST_00001": 3, "TEST_00002": 1}
    )
    run = tmp_path / "run.txt"
    result = app.test_cli_runner().invoke(
        args=[
            "eval", "search", "--corpus", str(corpus), "--queries", str(queries),
            "--qrels", str(qrels), "--run-out", str(run),
        ]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "ranker: none (no trained model" in result.output
    assert row(result.output, "NDCG@10") == ["1.0000"]
    assert row(result.output, "MRR@10") == ["1.0000"]
    assert row(result.output, "unjudged in top 10") == ["0/10"]
    assert row(result.output, "NDCG@10 judged only") == ["1.0000"]
    first = run.read_text(encoding="utf-8").splitlines()[0].split()
    assert first[:4] == ["q1", "Q0", "TEST_00001", "1"]
    assert first[5] == "jiuye-fts5-engine"


def test_eval_search_lists_the_top_postings_nobody_judged(app: Flask, tmp_path: Path) -> None:
    # posting 2 (仓库管理员) is not judged
    corpus, queries, qrels = forklift_files(tmp_path, "叉车 仓库", {"TEST_00001": 3})
    out = tmp_path / "unjudged.tsv"
    result = app.test_cli_runner().invoke(
        args=[
            "eval", "search", "--corpus", str(corpus), "--queries", str(queries),
            "--qrels", str(qrels), "--ranker", "none", "--unjudged-out", str(out),
        ]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "1 unjudged top-10 postings written" in result.output
    assert row(result.output, "unjudged in top 10") == ["1/10"]
    header, line = out.read_text(encoding="utf-8").splitlines()
    assert header.split("\t") == ["qid", "query", "job_id", "best_rank", "orders", "title", "city"]
    qid, text, job_id, rank, orders, title, city = line.split("\t")
    assert (qid, text, job_id, orders, title, city) == (
        "q1", "叉车 仓库", "TEST_00002", "engine", "仓库管理员", "威海市",
    )  # fmt: skip
    assert rank in {"1", "2"}


def row(output: str, label: str) -> list[str]:
    """The cells of the table row `label` in `flask eval search`'s output."""
    # the label is padded to its column: "NDCG@10" is not "NDCG@10 judged only"
    line = next(
        line
        for line in output.splitlines()
        if line.startswith(label) and line[len(label) : len(label) + 2] == "  "
    )
    return line[len(label) :].split()


def test_eval_search_refuses_a_malformed_qrels_file(app: Flask, tmp_path: Path) -> None:
    corpus = write_csv(tmp_path / "jobs.csv", [posting(1)])
    queries = tmp_path / "q.jsonl"
    queries.write_text('{"qid": "q1", "text": "普工"}\n', encoding="utf-8")
    qrels = tmp_path / "qrels.tsv"
    qrels.write_text("q1 TEST_00001 3\n", encoding="utf-8")
    result = app.test_cli_runner().invoke(
        args=["eval", "search", "--corpus", str(corpus), "--queries", str(queries),
              "--qrels", str(qrels)]
    )  # fmt: skip
    assert result.exit_code != 0
    assert "expected 'qid 0 doc_id grade'" in result.output
