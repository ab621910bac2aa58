"""`flask ranker train`, `flask eval search --ranker`, and search pages reordered by the model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from flask import Flask

from marketplace.database import get_database
from marketplace.search.engine import get_search, ranker_path, rebuild_index
from marketplace.search.services import search_jobs
from matching.persistence import read_metadata
from tests.marketplace.search.test_evaluation import row
from tests.marketplace.test_importer import posting, write_csv

WORDS = (
    "焊工", "电工", "叉车", "厨师", "保洁", "会计", "仓管", "木工", "瓦工", "司机",
    "保安", "油工", "钳工", "车工", "铣工", "水工", "架子工", "花匠", "茶艺师", "面点师",
)  # fmt: skip
PER_WORD = 20  # enough candidates for the model's large leaves (at least 100 each)


def corpus_rows() -> list[dict[str, str]]:
    """Per word, postings alike but for pay: the judged-relevant ones state their pay, and the
    engine (which never looks at pay) puts them last."""
    rows = []
    n = 0
    for word in WORDS:
        for i in range(PER_WORD):
            n += 1
            paid = i >= PER_WORD // 2
            rows.append(
                posting(
                    n,
                    title=f"{word}",
                    # the unpaid ones mention the word twice: the engine ranks them first
                    description=f"招{word}。" + ("" if paid else f"{word}岗位。"),
                    salary_min="6000" if paid else "",
                    salary_max="8000" if paid else "",
                    salary_unit_guess="month" if paid else "",
                )
            )
    return rows


@pytest.fixture
def files(judged_files: tuple[Path, Path, Path]) -> list[str]:
    """The three options every judged command takes."""
    corpus, queries, qrels = judged_files
    return ["--corpus", str(corpus), "--queries", str(queries), "--qrels", str(qrels)]


@pytest.fixture
def judged_files(tmp_path: Path) -> tuple[Path, Path, Path]:
    corpus = write_csv(tmp_path / "jobs.csv", corpus_rows())
    queries = tmp_path / "queries.jsonl"
    queries.write_text(
        "".join(
            json.dumps({"qid": f"q{i}", "text": word}, ensure_ascii=False) + "\n"
            for i, word in enumerate(WORDS)
        ),
        encoding="utf-8",
    )
    qrels = tmp_path / "qrels.tsv"
    lines = []
    n = 0
    for i, _word in enumerate(WORDS):
        for j in range(PER_WORD):
            n += 1
            grade = 2 if j >= PER_WORD // 2 else 0
            lines.append(f"q{i}\t0\tTEST_{n:05d}\t{grade}\n")
    qrels.write_text("".join(lines), encoding="utf-8")
    return corpus, queries, qrels


@pytest.fixture
def instance(app: Flask, tmp_path: Path) -> Path:
    app.instance_path = str(tmp_path / "instance")
    return Path(app.instance_path)


def test_train_saves_a_model_that_eval_shows_beside_the_engine(
    app: Flask, instance: Path, files: list[str]
) -> None:
    runner = app.test_cli_runner()

    trained = runner.invoke(args=["ranker", "train", *files, "--depth", "50"])

    assert trained.exit_code == 0, trained.output
    assert f"trained on {len(WORDS)} queries, {len(WORDS) * PER_WORD} candidates" in trained.output
    metadata = read_metadata(ranker_path(instance))
    assert metadata.kind == "ranker"
    assert metadata.training["queries"] == len(WORDS)
    assert metadata.training["parameters"]["engine_prior"] == 0.1

    evaluated = runner.invoke(args=["eval", "search", *files])

    assert evaluated.exit_code == 0, evaluated.output
    assert f"ranker: {ranker_path(instance)}" in evaluated.output
    assert "trained on these queries" in evaluated.output  # the figures are not honest ones
    engine, reranked = (float(cell) for cell in row(evaluated.output, "NDCG@10"))
    assert reranked > engine + 0.2  # the model learned that the judges wanted pay stated

    without = runner.invoke(args=["eval", "search", *files, "--ranker", "none"])
    assert without.exit_code == 0, without.output
    assert len(row(without.output, "NDCG@10")) == 1


def test_cv_scores_each_query_with_a_model_that_never_saw_it(
    app: Flask, instance: Path, files: list[str]
) -> None:

    result = app.test_cli_runner().invoke(args=["ranker", "cv", *files, "--folds", "4"])

    assert result.exit_code == 0, result.output
    assert f"queries: {len(WORDS)}, folds: 4 (split by query)" in result.output
    figures = dict(
        line.rsplit(None, 1)
        for line in result.output.splitlines()
        if line.split()[:2] in (["NDCG@10", "engine"], ["NDCG@10", "reranked"])
    )
    # the held-out queries' words were never trained on, yet "pay stated" carries over
    assert float(figures["NDCG@10 reranked"]) > float(figures["NDCG@10 engine"]) + 0.2
    # every candidate is judged here, so leaving out the unjudged changes nothing
    assert "unjudged in top 10: engine 0, reranked 0" in result.output
    judged_only = next(line for line in result.output.splitlines() if "judged only" in line)
    assert judged_only.endswith(
        f"engine {float(figures['NDCG@10 engine']):.4f}, "
        f"reranked {float(figures['NDCG@10 reranked']):.4f}"
    )
    assert not ranker_path(instance).exists()  # cross-validation saves no model


def test_eval_refuses_a_model_from_outside_the_instance_folder(
    app: Flask, instance: Path, files: list[str], tmp_path: Path
) -> None:
    runner = app.test_cli_runner()
    outside = tmp_path / "elsewhere" / "ranker.model"
    trained = runner.invoke(args=["ranker", "train", *files, "--out", str(outside)])
    assert trained.exit_code == 0, trained.output

    result = runner.invoke(args=["eval", "search", *files, "--ranker", str(outside)])

    assert result.exit_code != 0
    assert "outside" in result.output


def test_search_pages_follow_the_instance_model_and_the_engine_without_one(
    app: Flask, instance: Path, judged_files: tuple[Path, Path, Path], files: list[str]
) -> None:
    corpus = judged_files[0]
    runner = app.test_cli_runner()
    assert runner.invoke(args=["jobs", "import", str(corpus)]).exit_code == 0
    with app.app_context():
        holder = get_search(app)
        session = get_database(app).session()
        rebuild_index(holder, session)

        half = PER_WORD // 2
        engine_page = search_jobs(holder, session, "焊工", limit=half)
        assert not engine_page.reranked  # no model yet: the engine's order, no error
        assert all(hit.job.salary_min is None for hit in engine_page.hits)

        assert runner.invoke(args=["ranker", "train", *files]).exit_code == 0
        first = search_jobs(holder, session, "焊工", limit=half)
        second = search_jobs(holder, session, "焊工", offset=half, limit=half)
        session.close()

    assert first.reranked
    assert all(hit.job.salary_min == 6000 for hit in first.hits)  # the paid ones rise
    assert [hit.rank for hit in first.hits] == list(range(1, half + 1))
    # page two holds the rest, no posting twice
    assert all(hit.job.salary_min is None for hit in second.hits)
    assert not {h.job.id for h in first.hits} & {h.job.id for h in second.hits}


def test_eval_measures_the_key_enterprise_lift(
    app: Flask, instance: Path, files: list[str]
) -> None:

    result = app.test_cli_runner().invoke(
        args=["eval", "search", *files, "--ranker", "none", "--key-share", "0.3"]
    )

    assert result.exit_code == 0, result.output
    assert len(row(result.output, "NDCG@10")) == 2  # engine, engine+key
    without, lifted = (float(cell) for cell in row(result.output, "key share of top 10"))
    assert lifted > without  # key postings rose within their tiers


def test_cv_measures_the_key_enterprise_lift(app: Flask, files: list[str]) -> None:

    result = app.test_cli_runner().invoke(
        args=["ranker", "cv", *files, "--folds", "4", "--key-share", "0.5"]
    )

    assert result.exit_code == 0, result.output
    lines = {line.split(":")[0]: line for line in result.output.splitlines() if "lift," in line}
    assert set(lines) == {"key-enterprise lift, engine", "key-enterprise lift, reranked"}
    for line in lines.values():
        shares = line.rsplit("top 10s ", 1)[1].split(" -> ")
        # half the employers flagged: key postings show, and the lift never shows fewer
        assert 0 < float(shares[0]) <= float(shares[1])
