"""The whole live queue as one value: read it from Redis, or write it there after a wipe.

`recovery.py` builds the expected value from SQL; tests compare the two to prove they agree.
"""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, cast

import redis

from marketplace.gigs import keys, queue

# Rows written per pipeline round trip when loading a large queue.
_CHUNK = 1000


@dataclass(frozen=True)
class RequestState:
    status: str
    headcount: int
    remaining: int
    starts_ms: int
    ends_ms: int


@dataclass
class QueueState:
    """Available workers, live requests, offer states, places held and booked windows."""

    workers: set[int] = field(default_factory=set)
    requests: dict[int, RequestState] = field(default_factory=dict)
    offers: dict[tuple[int, int], str] = field(default_factory=dict)  # (request, worker) → state
    accepted: dict[int, set[int]] = field(default_factory=dict)  # request → workers
    bookings: dict[int, set[tuple[int, int, int]]] = field(default_factory=dict)  # worker → ...
    # GEO points come back rounded to about a metre, so they are compared apart, with tolerance
    points: dict[int, tuple[float, float]] = field(default_factory=dict, compare=False)

    def booking_count(self) -> int:
        return sum(len(windows) for windows in self.bookings.values())


def snapshot(client: redis.Redis) -> QueueState:
    """Read the live queue (for checks and tests: it scans keys, so not on the hot path)."""
    state = QueueState()
    members = cast(list[str], client.zrange(keys.WORKERS_GEO, 0, -1))
    positions = cast(list[Any], client.geopos(keys.WORKERS_GEO, *members)) if members else []
    for member, position in zip(members, positions, strict=True):
        state.workers.add(int(member))
        if position is not None:
            state.points[int(member)] = (float(position[0]), float(position[1]))
    for key in client.scan_iter(match=keys.REQUEST_PATTERN, count=_CHUNK):
        request_id = keys.request_id_of(key)
        if request_id is None:
            continue
        fields = cast(dict[str, str], client.hgetall(key))
        state.requests[request_id] = RequestState(
            status=fields["status"],
            headcount=int(fields["headcount"]),
            remaining=int(fields["remaining"]),
            starts_ms=int(fields["starts"]),
            ends_ms=int(fields["ends"]),
        )
        offers = cast(dict[str, str], client.hgetall(keys.request_offers(request_id)))
        for worker, offer_state in offers.items():
            state.offers[(request_id, int(worker))] = offer_state
        held = cast(set[str], client.smembers(keys.request_accepted(request_id)))
        if held:
            state.accepted[request_id] = {int(worker) for worker in held}
    for key in client.scan_iter(match=keys.BOOKINGS_PATTERN, count=_CHUNK):
        worker_id = keys.worker_id_of(key)
        if worker_id is None:
            continue
        windows = {
            cast(tuple[int, int, int], tuple(int(part) for part in member.split(":")))
            for member in cast(list[str], client.zrange(key, 0, -1))
        }
        if windows:
            state.bookings[worker_id] = windows
    return state


def wipe(client: redis.Redis) -> int:
    """Delete every queue key (readiness first, the rebuild lock last); returns how many."""
    queue.mark_stale(client)
    deleted = 0
    batch: list[str] = []
    for key in client.scan_iter(match=f"{keys.PREFIX}*", count=_CHUNK):
        if key != keys.REBUILD_LOCK:
            batch.append(key)
        if len(batch) >= _CHUNK:
            deleted += int(client.delete(*batch))
            batch = []
    if batch:
        deleted += int(client.delete(*batch))
    return deleted


def load(client: redis.Redis, state: QueueState) -> None:
    """Write a queue into an empty Redis (after `wipe`), a chunk per round trip."""
    pipe = client.pipeline(transaction=False)
    pending = 0

    def step() -> None:
        nonlocal pending
        pending += 1
        if pending >= _CHUNK:
            pipe.execute()
            pending = 0

    for worker_id in sorted(state.workers):
        lng, lat = state.points[worker_id]
        queue.put_worker(client, worker_id, lng, lat, pipeline=pipe)
        step()
    for request_id, request in state.requests.items():
        queue.put_request(
            client,
            request_id,
            status=request.status,
            headcount=request.headcount,
            remaining=request.remaining,
            starts_ms=request.starts_ms,
            ends_ms=request.ends_ms,
            pipeline=pipe,
        )
        step()
    for (request_id, worker_id), offer_state in state.offers.items():
        pipe.hset(keys.request_offers(request_id), str(worker_id), offer_state)
        step()
    for request_id, workers in state.accepted.items():
        pipe.sadd(keys.request_accepted(request_id), *(str(worker) for worker in workers))
        step()
    for worker_id, windows in state.bookings.items():
        for request_id, starts_ms, ends_ms in windows:
            member = keys.booking_member(request_id, starts_ms, ends_ms)
            pipe.zadd(keys.worker_bookings(worker_id), {member: ends_ms})
            step()
    pipe.execute()


@contextlib.contextmanager
def rebuild_lock(client: redis.Redis, seconds: int) -> Iterator[bool]:
    """Hold the rebuild lock if free (yields True), else yield False; frees only our own."""
    token = secrets.token_hex(8)
    acquired = bool(client.set(keys.REBUILD_LOCK, token, nx=True, ex=seconds))
    try:
        yield acquired
    finally:
        if acquired and client.get(keys.REBUILD_LOCK) == token:
            client.delete(keys.REBUILD_LOCK)
