"""`flask dashboard wages`: the summary on the live database and on the real postings."""

from __future__ import annotations

import json

from flask import Flask
from sqlalchemy.orm import Session

from indexer.salary import Salary, SalaryUnit
from marketplace.jobs.models import JobStatus
from tests.datafiles import data_file
from tests.marketplace import factories


def _postings(session: Session, city: str, district: str, pays: list[int]) -> None:
    for pay in pays:
        factories.job(
            session,
            status=JobStatus.PUBLISHED,
            city=city,
            district=district,
            occupation_code="6-18-02-04",
            occupation_name="焊工",
            salary=Salary(min=pay - 1000, max=pay + 1000, unit=SalaryUnit.MONTH),
        )
    session.commit()


def test_summary_of_the_live_database_for_one_city(cli_app: Flask, session: Session) -> None:
    _postings(session, "威海市", "环翠区", [5000, 6000, 7000])
    _postings(session, "威海市", "文登区", [6500])
    _postings(session, "烟台市", "芝罘区", [9000, 9000, 9000])

    result = cli_app.test_cli_runner().invoke(args=["dashboard", "wages", "--min-count", "3"])

    assert result.exit_code == 0, result.output
    assert "postings used: 4" in result.output
    assert "occupations passing: 1 of 1" in result.output
    assert "districts passing: 1 of 2" in result.output
    assert "cells: 1 shown, 1 suppressed" in result.output
    assert "P25 5,750  median 6,250  P75 6,625" in result.output


def test_json_per_city_including_all_cities(cli_app: Flask, session: Session) -> None:
    _postings(session, "威海市", "环翠区", [5000, 6000])
    _postings(session, "烟台市", "芝罘区", [9000, 9000, 9000])
    cli_app.config["WAGE_MIN_COUNT"] = 2

    result = cli_app.test_cli_runner().invoke(
        args=["dashboard", "wages", "--json", "--city", "威海市", "--city", "all"]
    )

    assert result.exit_code == 0, result.output
    weihai, everywhere = (json.loads(line) for line in result.stdout.splitlines())
    assert (weihai["city"], weihai["postings"], weihai["cells_shown"]) == ("威海市", 2, 1)
    assert weihai["top_occupations"][0]["median"] == 5500
    assert (everywhere["city"], everywhere["postings"], everywhere["districts_shown"]) == (
        "all",
        5,
        2,
    )


def test_corpus_options_need_a_corpus(cli_app: Flask) -> None:
    result = cli_app.test_cli_runner().invoke(args=["dashboard", "wages", "--limit", "5"])
    assert result.exit_code == 2
    assert "go with --corpus" in result.output


def test_real_postings_in_a_throwaway_instance(cli_app: Flask) -> None:
    """The first 400 real postings: imported, summarised, and the live database untouched."""
    corpus = data_file("jobs_jobhunting/jobs.csv")

    result = cli_app.test_cli_runner().invoke(
        args=[
            "dashboard",
            "wages",
            "--corpus",
            str(corpus),
            "--limit",
            "400",
            "--city",
            "all",
            "--min-count",
            "10",
            "--json",
        ]
    )

    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    # nearly every posting states pay; a few are 面议 or of unknown unit
    assert 300 <= summary["postings"] + summary["without_pay"] <= 400
    assert summary["postings"] > 300
    assert 1 <= summary["districts_shown"] < summary["districts"]
    assert summary["min_count"] == 10
