"""The interaction log of search: impressions and clicks written by the pages, and
`flask ranker train --from-log` learning from it."""

from __future__ import annotations

import html
import re
from datetime import timedelta
from pathlib import Path

import numpy as np
import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from indexer.salary import Salary, SalaryUnit
from marketplace.accounts.models import Role
from marketplace.database import get_database, utcnow
from marketplace.interactions.models import Interaction, InteractionEvent
from marketplace.jobs.models import Job, JobStatus
from marketplace.jobs.services import change_status
from marketplace.kiosk.views import COOKIE as KIOSK_COOKIE
from marketplace.search.engine import get_search, load_ranker, ranker_path, rebuild_index
from matching.persistence import read_metadata
from tests.marketplace import factories
from tests.marketplace.accounts import factories as account_factories
from tests.marketplace.accounts.helpers import log_in

WORDS = ("焊工", "电工", "叉车", "厨师", "保洁", "木工")


def publish(session: Session, title: str, paid: bool) -> Job:
    salary = Salary(6000, 8000, SalaryUnit.MONTH, None) if paid else None
    job = factories.job(session, title=title, description=f"招{title}。", salary=salary)
    if not paid:
        job.salary_monthly_min = job.salary_monthly_max = None
    change_status(session, job, JobStatus.PENDING_REVIEW)
    change_status(session, job, JobStatus.PUBLISHED)
    return job


def indexed_jobs(app: Flask, words: tuple[str, ...], per_word: int) -> dict[str, list[int]]:
    """`per_word` published postings per word, indexed; job ids by word."""
    session = get_database(app).session()
    ids = {
        word: [publish(session, word, paid=i % 2 == 1).id for i in range(per_word)]
        for word in words
    }
    session.commit()
    rebuild_index(get_search(app), session)
    session.close()
    return ids


def rows(app: Flask, event: InteractionEvent) -> list[Interaction]:
    session = get_database(app).session()
    try:
        statement = select(Interaction).where(Interaction.event == event.value)
        return list(session.scalars(statement.order_by(Interaction.id)))
    finally:
        session.close()


# --- the pages write the log -----------------------------------------------------------------


def test_a_results_page_logs_each_posting_at_its_overall_position(app: Flask) -> None:
    indexed_jobs(app, ("焊工",), 25)
    client = app.test_client()

    client.get("/search?q=焊工")
    client.get("/search?q=焊工&page=2")

    shown = rows(app, InteractionEvent.IMPRESSION)
    assert [row.position for row in shown] == [*range(1, 21), *range(21, 26)]
    assert len({row.job_id for row in shown}) == 25
    first = shown[0]
    assert first.query == "焊工"
    assert first.engine == "fts5"
    assert first.model_version is None  # no model: the engine's order
    assert first.session_id
    assert len({row.session_id for row in shown}) == 1
    assert first.user_id is None


def test_a_click_from_the_results_names_its_search_and_position(app: Flask) -> None:
    indexed_jobs(app, ("焊工",), 3)
    client = app.test_client()
    page = client.get("/search?q=焊工").get_data(as_text=True)
    links = [html.unescape(link) for link in re.findall(r'href="(/jobs/\d+\?[^"]*)"', page)]
    assert len(links) == 3

    assert client.get(links[1]).status_code == 200

    (click,) = rows(app, InteractionEvent.CLICK)
    impression = rows(app, InteractionEvent.IMPRESSION)[1]
    assert (click.job_id, click.query, click.position) == (impression.job_id, "焊工", 2)
    assert click.session_id == impression.session_id


def test_a_signed_in_seekers_impressions_carry_their_user_id(app: Flask) -> None:
    indexed_jobs(app, ("焊工",), 2)
    session = get_database(app).session()
    user = account_factories.user(session, role=Role.SEEKER)
    session.commit()
    user_id = user.id
    session.close()
    client = app.test_client()
    log_in(client, user.username, account_factories.PASSWORD)

    client.get("/search?q=焊工")

    assert {row.user_id for row in rows(app, InteractionEvent.IMPRESSION)} == {user_id}


def test_a_click_from_elsewhere_has_no_search(app: Flask) -> None:
    ids = indexed_jobs(app, ("焊工",), 1)
    app.test_client().get(f"/jobs/{ids['焊工'][0]}?q=焊工&pos=abc")
    (click,) = rows(app, InteractionEvent.CLICK)
    assert (click.query, click.position) == (None, None)


def test_no_impressions_without_words_or_on_a_kiosk_terminal(app: Flask) -> None:
    indexed_jobs(app, ("焊工",), 3)
    app.test_client().get("/search?kind=full_time")  # browsing by filters only
    kiosk = app.test_client()
    kiosk.set_cookie(KIOSK_COOKIE, "a-device")
    assert kiosk.get("/search?q=焊工").status_code == 200
    assert rows(app, InteractionEvent.IMPRESSION) == []


# --- `flask ranker train --from-log` -----------------------------------------------------------


@pytest.fixture
def instance(app: Flask, tmp_path: Path) -> Path:
    app.instance_path = str(tmp_path / "instance")
    return Path(app.instance_path)


def write_log(app: Flask, ids: dict[str, list[int]], sessions: int) -> None:
    """Seekers who open paid postings, more often near the top (propensity 1/position)."""
    rng = np.random.default_rng(7)
    session = get_database(app).session()
    start = utcnow() - timedelta(days=1)
    for word, jobs in ids.items():
        for n in range(sessions):
            browser = f"{word}-{n}"
            listed = [job for job in jobs if rng.random() < 0.7]
            for position, job_id in enumerate(listed, 1):
                at = start + timedelta(seconds=n)
                fields = {"job_id": job_id, "session_id": browser, "query": word, "at": at}
                session.add(
                    Interaction(event=InteractionEvent.IMPRESSION, position=position, **fields)
                )
                wanted = 0.8 if jobs.index(job_id) % 2 else 0.1
                if rng.random() < wanted / position:
                    session.add(
                        Interaction(event=InteractionEvent.CLICK, position=position, **fields)
                    )
    session.commit()
    session.close()


def test_train_from_log_writes_a_model_that_names_the_log(app: Flask, instance: Path) -> None:
    write_log(app, indexed_jobs(app, WORDS, 20), sessions=30)

    result = app.test_cli_runner().invoke(
        args=["ranker", "train", "--from-log", "--min-searches", "100", "--depth", "50"]
    )

    assert result.exit_code == 0, result.output
    assert f"trained on {len(WORDS) * 30} logged searches" in result.output
    path = ranker_path(instance)
    load_ranker(path, instance)  # a usable model for search
    training = read_metadata(path).training
    assert training["source"] == "interaction-log"
    assert training["searches"] == len(WORDS) * 30
    assert training["impressions"] == training["impressions_used"] > 0
    assert 0 < training["clicks"] < training["impressions"]
    assert training["propensities"][0] == 1.0
    assert training["propensities"][1] < 0.8  # the log's clicks fall with the position


def test_train_from_too_small_a_log_says_so_and_writes_nothing(app: Flask, instance: Path) -> None:
    write_log(app, indexed_jobs(app, WORDS[:1], 5), sessions=3)

    result = app.test_cli_runner().invoke(args=["ranker", "train", "--from-log"])

    assert result.exit_code != 0
    assert "holds 3 searches, fewer than --min-searches 200" in result.output
    assert not ranker_path(instance).exists()


def test_train_from_log_since_a_later_day_finds_nothing(app: Flask, instance: Path) -> None:
    write_log(app, indexed_jobs(app, WORDS[:1], 5), sessions=3)
    tomorrow = (utcnow() + timedelta(days=1)).date().isoformat()

    result = app.test_cli_runner().invoke(
        args=["ranker", "train", "--from-log", "--since", tomorrow, "--min-searches", "1"]
    )

    assert result.exit_code != 0
    assert f"holds 0 searches since {tomorrow}" in result.output
    assert not ranker_path(instance).exists()


def test_train_wants_judgments_or_the_log(app: Flask, instance: Path) -> None:
    result = app.test_cli_runner().invoke(args=["ranker", "train"])
    assert result.exit_code != 0
    assert "--from-log" in result.output
