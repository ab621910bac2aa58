"""The search outbox: changes reach the index through the drainer, and none is ever lost."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy.orm import Session

from marketplace.database import get_database, utcnow
from marketplace.jobs.models import JobStatus
from marketplace.jobs.services import change_status
from marketplace.search import outbox
from marketplace.search.engine import drain_in_process, get_search, rebuild_index
from marketplace.search.services import search_jobs
from tests.marketplace import factories


def found(app: Flask, text: str) -> list[str]:
    session = get_database(app).session()
    try:
        page = search_jobs(get_search(app), session, text)
        return [hit.job.title for hit in page.hits]
    finally:
        session.close()


def publish(session: Session, **fields: object) -> int:
    job = factories.job(session, **fields)
    change_status(session, job, JobStatus.PENDING_REVIEW)
    change_status(session, job, JobStatus.PUBLISHED)
    session.commit()
    return job.id


@pytest.fixture
def built(app: Flask) -> Flask:
    session = get_database(app).session()
    rebuild_index(get_search(app), session)
    session.close()
    return app


def test_a_published_job_is_searchable_after_the_drain(built: Flask) -> None:
    session = get_database(built).session()
    publish(session, title="海参加工工")
    assert outbox.pending_count(session) == 1  # written with the change itself
    assert found(built, "海参") == []
    drain_in_process(built)
    assert found(built, "海参") == ["海参加工工"]
    assert outbox.pending_count(session) == 0
    session.close()


def test_a_closed_job_disappears_from_search(built: Flask) -> None:
    session = get_database(built).session()
    job_id = publish(session, title="扇贝分拣工")
    drain_in_process(built)
    job = session.get(factories.Job, job_id)
    assert job is not None
    change_status(session, job, JobStatus.CLOSED)
    session.commit()
    drain_in_process(built)
    assert found(built, "扇贝") == []
    session.close()


def test_an_expired_job_is_removed_by_the_next_drain(built: Flask) -> None:
    session = get_database(built).session()
    job_id = publish(session, title="船舶涂装工")
    drain_in_process(built)
    job = session.get(factories.Job, job_id)
    assert job is not None
    job.expires_at = utcnow() - timedelta(minutes=1)
    session.commit()
    drain_in_process(built)
    assert found(built, "涂装") == []
    session.close()


def test_a_change_survives_a_crash_before_the_index_write(app: Flask) -> None:
    session = get_database(app).session()
    rebuild_index(get_search(app), session)
    publish(session, title="轮胎成型工")
    # the index is gone when the drainer runs (a crash, a full disk): the change waits
    get_search(app).engine.path.unlink()  # type: ignore[attr-defined]
    drain_in_process(app)
    assert outbox.pending_count(session) == 1
    rebuild_index(get_search(app), session)  # applies it and forgets the row
    assert found(app, "轮胎") == ["轮胎成型工"]
    assert outbox.pending_count(session) == 0
    session.close()


def test_flagging_a_key_enterprise_requeues_its_jobs(built: Flask) -> None:
    session = get_database(built).session()
    employer = factories.employer(session)
    for title in ("叉车司机", "仓管员"):
        publish(session, title=title, employer=employer)
    drain_in_process(built)
    employer.is_key_enterprise = True
    session.commit()
    assert outbox.pending_count(session) == 2
    drain_in_process(built)
    assert outbox.pending_count(session) == 0
    session.close()


def test_index_sync_command_applies_queued_changes(built: Flask) -> None:
    session = get_database(built).session()
    publish(session, title="家政服务员")
    session.close()
    result = built.test_cli_runner().invoke(args=["index", "sync"])
    assert result.exit_code == 0, result.output
    assert "applied 1 job changes" in result.output
    assert found(built, "家政") == ["家政服务员"]


def test_a_change_drained_during_a_rebuild_survives_the_swap(built: Flask) -> None:
    engine = get_search(built).engine
    real_rebuild = engine.rebuild

    def rebuild_while_a_job_is_published(documents, version):  # type: ignore[no-untyped-def]
        session = get_database(built).session()
        publish(session, title="网箱养殖工")
        session.close()
        drain_in_process(built)  # another worker drains it into the index being replaced
        return real_rebuild(documents, version)

    engine.rebuild = rebuild_while_a_job_is_published  # type: ignore[method-assign]
    session = get_database(built).session()
    rebuild_index(get_search(built), session)
    session.close()
    engine.rebuild = real_rebuild  # type: ignore[method-assign]
    assert found(built, "养殖") == ["网箱养殖工"]
