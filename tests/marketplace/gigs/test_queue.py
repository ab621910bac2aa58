"""The Redis fast path alone: the Lua claim's answers, and many claimers racing for places."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis

from marketplace.gigs import keys, queue, state
from marketplace.gigs.queue import ClaimResult
from tests.marketplace.gigs import claimers

HOUR = 3_600_000
T0 = 1_780_000_000_000  # epoch ms
DEADLINE = T0 + 120_000


@pytest.fixture
def rds(redis_url: str) -> Iterator[redis.Redis]:
    client = redis.Redis.from_url(redis_url, decode_responses=True)
    queue.mark_ready(client)
    yield client
    client.close()


def open_request(
    client: redis.Redis,
    request_id: int,
    headcount: int,
    starts_ms: int,
    ends_ms: int,
    workers: range | list[int],
) -> None:
    queue.put_request(
        client,
        request_id,
        status="open",
        headcount=headcount,
        remaining=headcount,
        starts_ms=starts_ms,
        ends_ms=ends_ms,
    )
    queue.offer(client, request_id, list(workers), DEADLINE)


def test_a_claim_takes_a_place_and_books_the_window(rds: redis.Redis) -> None:
    open_request(rds, 1, 2, T0 + HOUR, T0 + 3 * HOUR, [7])
    claim = queue.claim(rds, 1, 7, T0)
    assert (claim.result, claim.remaining) == (ClaimResult.ACCEPTED, 1)
    assert rds.smembers(keys.request_accepted(1)) == {"7"}
    assert rds.zrange(keys.worker_bookings(7), 0, -1) == [f"1:{T0 + HOUR}:{T0 + 3 * HOUR}"]
    assert rds.hget(keys.request_offers(1), "7") == "accepted"


def test_claiming_twice_returns_already_accepted_and_changes_nothing(rds: redis.Redis) -> None:
    open_request(rds, 1, 2, T0 + HOUR, T0 + 2 * HOUR, [7])
    queue.claim(rds, 1, 7, T0)
    before = state.snapshot(rds)
    again = queue.claim(rds, 1, 7, T0 + 1)
    assert (again.result, again.remaining) == (ClaimResult.ALREADY_ACCEPTED, 1)
    assert again.holds_place
    assert state.snapshot(rds) == before


def test_an_offer_expires_exactly_at_its_deadline(rds: redis.Redis) -> None:
    open_request(rds, 1, 5, T0 + HOUR, T0 + 2 * HOUR, [7, 8])
    assert queue.claim(rds, 1, 7, DEADLINE - 1).result == ClaimResult.ACCEPTED
    assert queue.claim(rds, 1, 8, DEADLINE).result == ClaimResult.EXPIRED


def test_a_full_request_refuses_further_claims(rds: redis.Redis) -> None:
    open_request(rds, 1, 1, T0 + HOUR, T0 + 2 * HOUR, [7, 8])
    assert queue.claim(rds, 1, 7, T0).result == ClaimResult.ACCEPTED
    assert rds.hget(keys.request(1), "status") == "filled"
    assert queue.claim(rds, 1, 8, T0).result == ClaimResult.FULL


def test_a_worker_cannot_hold_two_overlapping_windows(rds: redis.Redis) -> None:
    open_request(rds, 1, 5, T0 + HOUR, T0 + 3 * HOUR, [7])
    open_request(rds, 2, 5, T0 + 2 * HOUR, T0 + 4 * HOUR, [7])  # overlaps 1
    open_request(rds, 3, 5, T0, T0 + HOUR, [7])  # ends as 1 starts: no overlap
    open_request(rds, 4, 5, T0 + 3 * HOUR, T0 + 5 * HOUR, [7])  # starts as 1 ends
    open_request(rds, 5, 5, T0 - HOUR, T0 + 10 * HOUR, [7])  # contains all of them
    assert queue.claim(rds, 1, 7, T0).result == ClaimResult.ACCEPTED
    assert queue.claim(rds, 2, 7, T0).result == ClaimResult.DOUBLE_BOOKED
    assert queue.claim(rds, 3, 7, T0).result == ClaimResult.ACCEPTED
    assert queue.claim(rds, 4, 7, T0).result == ClaimResult.ACCEPTED
    assert queue.claim(rds, 5, 7, T0).result == ClaimResult.DOUBLE_BOOKED
    assert rds.hget(keys.request(2), "remaining") == "5"


def test_claims_without_a_live_offer_are_refused(rds: redis.Redis) -> None:
    open_request(rds, 1, 5, T0 + HOUR, T0 + 2 * HOUR, [7, 8])
    assert queue.claim(rds, 1, 9, T0).result == ClaimResult.NOT_OFFERED
    assert queue.settle(rds, 1, 8, "declined") == "settled"
    assert queue.claim(rds, 1, 8, T0).result == ClaimResult.NOT_OFFERED
    assert queue.claim(rds, 2, 7, T0).result == ClaimResult.CLOSED  # no such request


def test_without_the_readiness_key_claims_ask_for_a_rebuild(rds: redis.Redis) -> None:
    open_request(rds, 1, 5, T0 + HOUR, T0 + 2 * HOUR, [7])
    queue.mark_stale(rds)
    assert queue.claim(rds, 1, 7, T0).result == ClaimResult.NO_QUEUE
    assert rds.hget(keys.request(1), "remaining") == "5"


def test_expiry_settles_only_offers_past_their_deadline(rds: redis.Redis) -> None:
    open_request(rds, 1, 5, T0 + HOUR, T0 + 2 * HOUR, [7, 8])
    assert queue.settle(rds, 1, 7, "expired", expired_by_ms=DEADLINE - 1) == "live"
    queue.claim(rds, 1, 8, T0)
    assert queue.settle(rds, 1, 8, "expired", expired_by_ms=DEADLINE) == "accepted"
    assert queue.settle(rds, 1, 7, "expired", expired_by_ms=DEADLINE) == "settled"
    assert queue.claim(rds, 1, 7, T0).result == ClaimResult.EXPIRED


def test_a_withdrawal_gives_the_place_back_before_the_start_only(rds: redis.Redis) -> None:
    open_request(rds, 1, 1, T0 + HOUR, T0 + 2 * HOUR, [7])
    queue.claim(rds, 1, 7, T0)
    assert queue.release(rds, 1, 7, "withdrawn", before_ms=T0 + HOUR) == "started"
    assert queue.release(rds, 1, 7, "withdrawn", before_ms=T0) == "released"
    assert rds.hmget(keys.request(1), "status", "remaining") == ["open", "1"]
    assert not rds.exists(keys.worker_bookings(7))
    assert queue.release(rds, 1, 7, "withdrawn") == "not_accepted"


def test_closing_a_request_frees_its_bookings_and_keys(rds: redis.Redis) -> None:
    open_request(rds, 1, 3, T0 + HOUR, T0 + 2 * HOUR, [7, 8, 9])
    open_request(rds, 2, 3, T0 + 5 * HOUR, T0 + 6 * HOUR, [7])
    for worker in (7, 8):
        queue.claim(rds, 1, worker, T0)
    queue.claim(rds, 2, 7, T0)
    assert sorted(queue.close_request(rds, 1, "cancelled")) == [7, 8]
    assert not rds.exists(*keys.request_keys(1))
    assert rds.zrange(keys.worker_bookings(7), 0, -1) == [f"2:{T0 + 5 * HOUR}:{T0 + 6 * HOUR}"]
    assert queue.claim(rds, 1, 9, T0).result == ClaimResult.CLOSED


def test_a_snapshot_loads_back_into_an_empty_redis_unchanged(rds: redis.Redis) -> None:
    queue.put_worker(rds, 7, 122.5, 37.2)
    open_request(rds, 1, 3, T0 + HOUR, T0 + 2 * HOUR, [7, 8])
    queue.claim(rds, 1, 7, T0)
    before = state.snapshot(rds)
    state.wipe(rds)
    assert state.snapshot(rds) == state.QueueState()
    state.load(rds, before)
    assert state.snapshot(rds) == before
    assert state.snapshot(rds).points[7] == pytest.approx((122.5, 37.2), abs=1e-5)


def test_many_threads_claiming_one_request_never_exceed_its_headcount(rds: redis.Redis) -> None:
    claimers, headcount = 200, 13
    open_request(rds, 1, headcount, T0 + HOUR, T0 + 2 * HOUR, range(claimers))
    start = threading.Barrier(50)

    def claim(worker_id: int) -> ClaimResult:
        if worker_id < 50:
            start.wait()
        return queue.claim(rds, 1, worker_id, T0).result

    with ThreadPoolExecutor(max_workers=50) as pool:
        results = Counter(pool.map(claim, range(claimers)))
    assert results == {ClaimResult.ACCEPTED: headcount, ClaimResult.FULL: claimers - headcount}
    assert rds.scard(keys.request_accepted(1)) == headcount
    assert rds.hmget(keys.request(1), "status", "remaining") == ["filled", "0"]


def test_many_processes_claiming_one_request_never_exceed_its_headcount(
    rds: redis.Redis, redis_url: str
) -> None:
    processes, per_process, headcount = 6, 40, 17
    open_request(rds, 1, headcount, T0 + HOUR, T0 + 2 * HOUR, range(processes * per_process))
    batches = [list(range(p * per_process, (p + 1) * per_process)) for p in range(processes)]
    outcomes = claimers.run_in_processes(
        claimers.claim_in_redis, [(redis_url, 1, batch, T0) for batch in batches]
    )
    results = Counter(result for batch in outcomes for _, result in batch)
    assert results == {"accepted": headcount, "full": processes * per_process - headcount}
    assert rds.scard(keys.request_accepted(1)) == headcount
