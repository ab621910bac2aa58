"""Claimers racing in child processes (multiprocessing, 'fork': like gunicorn's workers).

Each child builds its own Redis client and database engine after the fork.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from datetime import datetime
from typing import Any

import redis

from marketplace.database import Database
from marketplace.gigs import queue, services

Outcome = list[tuple[int, str]]


def run_in_processes(
    target: Callable[..., Outcome], batches: list[tuple[Any, ...]], timeout: float = 120
) -> list[Outcome]:
    """Run target(*batch, barrier) in one child process per batch, all released together."""
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(len(batches))
    results = context.Queue()

    def child(index: int, batch: tuple[Any, ...]) -> None:
        try:
            results.put((index, target(*batch, barrier)))
        except BaseException as error:  # reported to the parent rather than hanging it
            results.put((index, [(-1, repr(error))]))
            raise

    children = [
        context.Process(target=child, args=(index, batch)) for index, batch in enumerate(batches)
    ]
    for process in children:
        process.start()
    collected = dict(results.get(timeout=timeout) for _ in children)
    for process in children:
        process.join(timeout)
        assert process.exitcode == 0
    return [collected[index] for index in range(len(batches))]


def claim_in_redis(
    redis_url: str, request_id: int, worker_ids: list[int], now_ms: int, barrier: Any
) -> Outcome:
    """Each worker claims once through the queue module."""
    client = redis.Redis.from_url(redis_url, decode_responses=True)
    barrier.wait()
    results = [
        (worker_id, str(queue.claim(client, request_id, worker_id, now_ms).result))
        for worker_id in worker_ids
    ]
    client.close()
    return results


def accept_through_services(
    database_url: str, redis_url: str, offer_ids: list[int], now: datetime, barrier: Any
) -> Outcome:
    """Each offer accepted through the services (Redis claim, then the SQL record)."""
    database = Database(database_url)
    client = redis.Redis.from_url(redis_url, decode_responses=True)
    barrier.wait()
    results = []
    for offer_id in offer_ids:
        session = database.session()
        try:
            services.accept_offer(session, client, offer_id, now=now)
            results.append((offer_id, "accepted"))
        except services.HireConflict as refused:
            results.append((offer_id, str(refused.result)))
        finally:
            session.close()
    client.close()
    database.dispose()
    return results
