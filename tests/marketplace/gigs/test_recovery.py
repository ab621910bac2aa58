"""Redis lost or behind: the queue is rebuilt from SQL with no lost request, no double booking."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import redis
from flask import Flask
from sqlalchemy.orm import Session

from marketplace.database import utcnow
from marketplace.errors import ServiceUnavailable
from marketplace.gigs import keys, queue, services, state
from marketplace.gigs.models import GigOffer, GigRequest, OfferStatus, RequestStatus
from marketplace.gigs.queue import ClaimResult
from marketplace.gigs.recovery import expected_state
from tests.marketplace.gigs import factories
from tests.marketplace.gigs.factories import NOW
from tests.services import RedisServer

pytestmark = pytest.mark.postgres

SOON = NOW + timedelta(seconds=5)


def assert_redis_matches_sql(session: Session, rds: redis.Redis) -> None:
    session.expire_all()
    assert queue.is_ready(rds)
    assert state.snapshot(rds) == expected_state(session)
    session.rollback()


def test_redis_killed_mid_dispatch_and_restarted_loses_nothing(
    session: Session, rds: redis.Redis, redis_server: RedisServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    workers = [factories.worker(session, rds, km=0.1 * n) for n in range(6)]
    earlier = factories.request(
        session, rds, headcount=1, urgent=True, starts_in=timedelta(hours=3)
    )
    booked = workers[0]
    services.accept_offer(
        session, rds, factories.offers_of(session, earlier.id)[booked.id].id, now=NOW
    )
    send_wave = queue.offer

    def crash_then_send(*args: Any, **kwargs: Any) -> None:
        redis_server.kill()  # after the wave is committed to SQL, before Redis hears of it
        send_wave(*args, **kwargs)

    monkeypatch.setattr(queue, "offer", crash_then_send)
    request = factories.request(session, rds, headcount=2, urgent=True)
    monkeypatch.undo()
    offers = factories.offers_of(session, request.id)
    assert set(offers) == {w.id for w in workers[1:]}  # the booked worker overlaps: not offered
    with pytest.raises(ServiceUnavailable):
        services.accept_offer(session, rds, offers[workers[1].id].id, now=SOON)

    redis_server.start()  # empty: no readiness key, so the next claim rebuilds first
    services.accept_offer(session, rds, offers[workers[1].id].id, now=SOON)
    assert_redis_matches_sql(session, rds)
    snapshot = state.snapshot(rds)
    assert set(snapshot.requests) == {earlier.id, request.id}
    assert snapshot.bookings[booked.id] == {
        (earlier.id, queue.epoch_ms(earlier.starts_at), queue.epoch_ms(earlier.ends_at))
    }
    assert snapshot.requests[request.id].remaining == 1


def test_after_a_restart_a_worker_still_cannot_be_double_booked(
    session: Session, rds: redis.Redis, redis_server: RedisServer
) -> None:
    worker = factories.worker(session, rds)
    factories.worker(session, rds)
    first = factories.request(session, rds, headcount=1, urgent=True)
    second = factories.request(session, rds, headcount=1, urgent=True)  # the same hours
    first_offer = factories.offers_of(session, first.id)[worker.id]
    second_offer = factories.offers_of(session, second.id)[worker.id]
    services.accept_offer(session, rds, first_offer.id, now=SOON)
    # accepting declined the clashing offer for the worker; had that not been saved (it is
    # allowed to fail), the offer would still be open: the guard must hold after a restart
    factories.fresh(session, GigOffer, second_offer.id).status = OfferStatus.OFFERED
    session.commit()
    redis_server.kill()
    redis_server.start()
    with pytest.raises(services.HireConflict) as refused:
        services.accept_offer(session, rds, second_offer.id, now=SOON)
    assert refused.value.result == ClaimResult.DOUBLE_BOOKED
    other = next(o for w, o in factories.offers_of(session, first.id).items() if w != worker.id)
    with pytest.raises(services.HireConflict) as full:
        services.accept_offer(session, rds, other.id, now=SOON)
    assert full.value.result == ClaimResult.FULL
    assert_redis_matches_sql(session, rds)


def test_a_flushed_queue_is_rebuilt_when_the_dispatcher_next_runs(
    session: Session, rds: redis.Redis
) -> None:
    for _ in range(4):
        factories.worker(session, rds)
    request = factories.request(session, rds, headcount=1, urgent=True)
    rds.flushall()
    later = factories.request(session, rds, headcount=1, urgent=True, starts_in=timedelta(hours=8))
    assert len(factories.offers_of(session, later.id)) == 3
    assert request.id in state.snapshot(rds).requests
    assert_redis_matches_sql(session, rds)


def test_an_offer_missing_from_redis_is_restored_when_accepted(
    session: Session, rds: redis.Redis
) -> None:
    worker = factories.worker(session, rds)
    request = factories.request(session, rds, urgent=True)
    rds.delete(keys.request_offers(request.id))  # a Redis write that was lost, queue still up
    offer = factories.offers_of(session, request.id)[worker.id]
    assert services.accept_offer(session, rds, offer.id, now=SOON).id == offer.id
    assert_redis_matches_sql(session, rds)


def test_rebuilding_twice_gives_the_same_queue(session: Session, rds: redis.Redis) -> None:
    workers = [factories.worker(session, rds) for _ in range(3)]
    services.pause_worker(session, rds, workers[2].id, now=NOW)
    request = factories.request(session, rds, headcount=2, urgent=True)
    services.accept_offer(
        session, rds, factories.offers_of(session, request.id)[workers[0].id].id, now=SOON
    )
    rds.set(f"{keys.PREFIX}leftover", "x")
    first = services.rebuild_queue(session, rds)
    once = state.snapshot(rds)
    second = services.rebuild_queue(session, rds)
    assert state.snapshot(rds) == once == expected_state(session)
    assert (first.workers, first.requests, first.offers, first.bookings) == (2, 1, 2, 1)
    assert (second.workers, second.requests, second.offers, second.bookings) == (2, 1, 2, 1)
    assert not rds.exists(f"{keys.PREFIX}leftover")


def test_the_rebuild_command_reports_progress_and_a_summary(
    app: Flask, session: Session, rds: redis.Redis
) -> None:
    factories.worker(session, rds)
    factories.request(session, rds, urgent=True)
    rds.flushall()
    result = app.test_cli_runner().invoke(args=["gigs", "rebuild-queue"])
    assert result.exit_code == 0, result.output
    assert "reading workers, requests and offers from the database" in result.output
    assert "available workers: 1" in result.output
    assert "live requests: 1" in result.output
    assert_redis_matches_sql(session, rds)


def test_the_expire_command_runs_one_sweep(app: Flask, session: Session, rds: redis.Redis) -> None:
    yesterday = utcnow() - timedelta(days=1)
    factories.worker(session, rds, now=yesterday)
    factories.request(session, rds, urgent=True, now=yesterday)  # offers overdue, work started
    result = app.test_cli_runner().invoke(args=["gigs", "expire"])
    assert result.exit_code == 0, result.output
    assert "offers expired: 1" in result.output
    assert "requests expired (started with nobody hired): 1" in result.output


def test_the_expire_worker_keeps_sweeping_until_stopped(
    app: Flask, app_config: dict[str, Any], session: Session, rds: redis.Redis
) -> None:
    env = {
        **os.environ,
        "FLASK_APP": "marketplace:create_app",
        "SECRET_KEY": "test",
        "DATABASE_URL": app_config["DATABASE_URL"],
        "REDIS_URL": app_config["REDIS_URL"],
        "FTS5_PATH": app_config["FTS5_PATH"],
    }
    yesterday = utcnow() - timedelta(days=1)
    factories.worker(session, rds, now=yesterday)
    request = factories.request(session, rds, urgent=True, now=yesterday)  # overdue
    session.commit()
    flask = Path(sys.executable).with_name("flask")
    worker = subprocess.Popen(  # our own CLI, fixed arguments
        [str(flask), "gigs", "expire", "--every", "0.5"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        # the CLI loads the app first: seconds on a loaded machine (15 s proved too few beside
        # other test runs); the loop stops as soon as the request has expired
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            session.expire_all()
            if session.get(GigRequest, request.id).status == RequestStatus.EXPIRED:
                break
            time.sleep(0.2)
        expired = session.get(GigRequest, request.id).status == RequestStatus.EXPIRED
        session.rollback()  # end the read transaction
        time.sleep(1.5)  # a few empty sweeps more: the loop stays alive and quiet
        assert worker.poll() is None
    finally:
        worker.terminate()
        output, _ = worker.communicate(timeout=10)
    assert expired, output
    assert "offers expired: 1" in output
    assert output.count("offers expired") == 1  # nothing printed for the empty sweeps


def test_a_queue_reloaded_from_an_old_snapshot_is_rebuilt(
    session: Session, rds: redis.Redis
) -> None:
    worker = factories.worker(session, rds)
    request = factories.request(session, rds, urgent=True)
    services.decline_offer(
        session, rds, factories.offers_of(session, request.id)[worker.id].id, now=SOON
    )
    # what a restarted server that loaded a snapshot saved before the decline would hold:
    # the offer still live, and a readiness key written by the previous server process
    rds.hset(keys.request_offers(request.id), str(worker.id), queue.offered_state(10**13))
    rds.set(keys.READY, "run id of an earlier server")
    assert not queue.is_ready(rds)
    services.expire_offers(session, rds, now=SOON)  # the sweep notices and rebuilds
    assert rds.hget(keys.request_offers(request.id), str(worker.id)) == "declined"
    assert_redis_matches_sql(session, rds)
