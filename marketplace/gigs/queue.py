"""The 即时快招 fast path on Redis: worker locations, live requests, offers and atomic claims.

The connection is passed in (rq style); nothing here touches SQL or reads the clock: callers
pass `now` as epoch milliseconds. Key names come from `keys.py`; `state.py` snapshots/loads it.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, Protocol, cast

import redis
from redis.client import Pipeline
from redis.commands.core import Script
from redis.typing import EncodableT, FieldT

from marketplace.gigs import keys


class ClaimResult(StrEnum):
    ACCEPTED = "accepted"
    ALREADY_ACCEPTED = "already_accepted"  # the same worker accepted before: harmless
    EXPIRED = "expired"
    FULL = "full"
    DOUBLE_BOOKED = "double_booked"  # the worker holds an overlapping window
    NOT_OFFERED = "not_offered"  # never offered, or declined, withdrawn, cancelled
    CLOSED = "closed"  # the request is no longer live
    NO_QUEUE = "no_queue"  # the queue is missing (Redis restarted): rebuild, then retry


@dataclass(frozen=True)
class Claim:
    result: ClaimResult
    remaining: int  # places left after the call; -1 when unknown

    @property
    def holds_place(self) -> bool:
        return self.result in (ClaimResult.ACCEPTED, ClaimResult.ALREADY_ACCEPTED)


class HasPoint(Protocol):
    lat: float
    lng: float


# Offer states in the request's offers hash: "offered@<deadline ms>" while live, else a bare
# OfferStatus value. Booking members are "<request>:<starts ms>:<ends ms>" scored by the end:
# a worker's bookings never overlap, so ordered by end they are ordered by start too, and the
# first booking ending after a window starts is the only one that can overlap it. The offers
# hash says who accepted; the accepted set mirrors it so that release and close need no scan.
CLAIM_LUA = """
if redis.call('EXISTS', KEYS[1]) == 0 then return {'no_queue', -1} end
local req = redis.call('HMGET', KEYS[2], 'status', 'remaining', 'starts', 'ends')
if not req[1] then return {'closed', -1} end
local remaining = tonumber(req[2])
local state = redis.call('HGET', KEYS[3], ARGV[2])
if not state then return {'not_offered', remaining} end
local status, deadline = string.match(state, '^(%a+)@?(%d*)$')
if status == 'accepted' then return {'already_accepted', remaining} end
if status == 'expired' then return {'expired', remaining} end
if status ~= 'offered' then return {'not_offered', remaining} end
if tonumber(deadline) <= tonumber(ARGV[3]) then return {'expired', remaining} end
if req[1] == 'filled' or remaining <= 0 then return {'full', remaining} end
if req[1] ~= 'open' then return {'closed', remaining} end
local starts, ends = tonumber(req[3]), tonumber(req[4])
local after = redis.call('ZRANGEBYSCORE', KEYS[5], '(' .. req[3], '+inf', 'LIMIT', 0, 2)
for _, member in ipairs(after) do
  local other, other_starts = string.match(member, '^(%d+):(%d+):')
  if other ~= ARGV[1] and tonumber(other_starts) < ends then
    return {'double_booked', remaining}
  end
end
remaining = remaining - 1
if remaining <= 0 then
  redis.call('HSET', KEYS[2], 'remaining', remaining, 'status', 'filled')
else
  redis.call('HSET', KEYS[2], 'remaining', remaining)
end
redis.call('SADD', KEYS[4], ARGV[2])
redis.call('ZADD', KEYS[5], req[4], ARGV[1] .. ':' .. req[3] .. ':' .. req[4])
redis.call('HSET', KEYS[3], ARGV[2], 'accepted')
return {'accepted', remaining}
"""

# Gives a place back (a withdrawal, or undoing a claim whose SQL write failed). ARGV[4], when
# set, is "now": a withdrawal is refused once the window has started.
RELEASE_LUA = """
if redis.call('EXISTS', KEYS[1]) == 0 then return 'no_queue' end
local req = redis.call('HMGET', KEYS[2], 'status', 'remaining', 'starts', 'ends')
if not req[1] then return 'closed' end
if redis.call('SISMEMBER', KEYS[4], ARGV[2]) == 0 then return 'not_accepted' end
if ARGV[4] ~= '' and tonumber(ARGV[4]) >= tonumber(req[3]) then return 'started' end
redis.call('SREM', KEYS[4], ARGV[2])
redis.call('HINCRBY', KEYS[2], 'remaining', 1)
if req[1] == 'filled' then redis.call('HSET', KEYS[2], 'status', 'open') end
redis.call('ZREM', KEYS[5], ARGV[1] .. ':' .. req[3] .. ':' .. req[4])
redis.call('HSET', KEYS[3], ARGV[2], ARGV[3])
return 'released'
"""

# Ends a live offer (declined or expired). ARGV[3], when set, is "now": only an offer whose
# deadline has passed is expired. Returns 'settled', or the state that stopped it.
SETTLE_LUA = """
if redis.call('EXISTS', KEYS[1]) == 0 then return 'no_queue' end
local state = redis.call('HGET', KEYS[2], ARGV[1])
if not state then return 'not_offered' end
local status, deadline = string.match(state, '^(%a+)@?(%d*)$')
if status ~= 'offered' then return status end
if ARGV[3] ~= '' and tonumber(deadline) > tonumber(ARGV[3]) then return 'live' end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
return 'settled'
"""

# Stops all claims on a request at once; the caller then drops its bookings and keys.
CLOSE_LUA = """
local req = redis.call('HMGET', KEYS[1], 'starts', 'ends')
if not req[1] then return {} end
redis.call('HSET', KEYS[1], 'status', ARGV[1])
local out = {req[1], req[2]}
for _, worker in ipairs(redis.call('SMEMBERS', KEYS[2])) do table.insert(out, worker) end
return out
"""


class _Scripts:
    def __init__(self, client: redis.Redis) -> None:
        self.claim = client.register_script(CLAIM_LUA)
        self.release = client.register_script(RELEASE_LUA)
        self.settle = client.register_script(SETTLE_LUA)
        self.close = client.register_script(CLOSE_LUA)


# Registered once per client; redis-py reloads a script by itself after a server restart.
_registered: weakref.WeakKeyDictionary[redis.Redis, _Scripts] = weakref.WeakKeyDictionary()


def _scripts(client: redis.Redis) -> _Scripts:
    scripts = _registered.get(client)
    if scripts is None:
        scripts = _registered[client] = _Scripts(client)
    return scripts


def _run(script: Script, keys_: list[str], args: list[Any], client: redis.Redis) -> Any:
    return script(keys=keys_, args=args, client=client)


def epoch_ms(moment: datetime) -> int:
    """Naive UTC (as stored in SQL) → epoch milliseconds (as kept in Redis)."""
    return int(moment.replace(tzinfo=UTC).timestamp() * 1000)


def offered_state(deadline_ms: int) -> str:
    return f"offered@{deadline_ms}"


# --- readiness -------------------------------------------------------------------------------


def is_ready(client: redis.Redis) -> bool:
    """The queue was rebuilt by this very server process and not marked stale since.

    Comparing the server's run id also catches a restart that reloaded a saved snapshot (the
    embedded Redis of `make run` saves one): its keys, readiness included, may be stale.
    """
    pipe = client.pipeline(transaction=False)
    pipe.get(keys.READY)
    pipe.info("server")
    ready, server = pipe.execute()
    return bool(ready) and ready == str(server["run_id"])


def mark_ready(client: redis.Redis) -> None:
    client.set(keys.READY, str(client.info("server")["run_id"]))


def mark_stale(client: redis.Redis) -> None:
    """Make the next dispatcher rebuild the queue from SQL."""
    client.delete(keys.READY)


# --- workers ---------------------------------------------------------------------------------


def put_worker(
    client: redis.Redis, worker_id: int, lng: float, lat: float, *, pipeline: Pipeline | None = None
) -> None:
    """Make a worker available at a point (or move them)."""
    (pipeline or client).geoadd(keys.WORKERS_GEO, (lng, lat, str(worker_id)))


def remove_worker(client: redis.Redis, worker_id: int, *, pipeline: Pipeline | None = None) -> None:
    """Take a paused worker out of dispatch (their bookings stay)."""
    (pipeline or client).zrem(keys.WORKERS_GEO, str(worker_id))


def candidates(client: redis.Redis, point: HasPoint, radius_km: float) -> list[tuple[int, float]]:
    """Available workers within `radius_km` of a point, nearest first, as (worker id, km)."""
    found = client.geosearch(
        keys.WORKERS_GEO,
        longitude=point.lng,
        latitude=point.lat,
        radius=radius_km,
        unit="km",
        sort="ASC",
        withdist=True,
    )
    return [(int(member), float(distance)) for member, distance in cast(list[Any], found)]


def busy_workers(
    client: redis.Redis, worker_ids: list[int], starts_ms: int, ends_ms: int
) -> set[int]:
    """Those of the workers who hold a booking overlapping the window (one round trip)."""
    pipe = client.pipeline(transaction=False)
    for worker_id in worker_ids:
        pipe.zrangebyscore(keys.worker_bookings(worker_id), f"({starts_ms}", "+inf", 0, 1)
    busy = set()
    for worker_id, members in zip(worker_ids, pipe.execute(), strict=True):
        for member in members:
            if int(member.split(":")[1]) < ends_ms:
                busy.add(worker_id)
    return busy


# --- requests and offers ---------------------------------------------------------------------


def put_request(
    client: redis.Redis,
    request_id: int,
    *,
    status: str,
    headcount: int,
    remaining: int,
    starts_ms: int,
    ends_ms: int,
    pipeline: Pipeline | None = None,
) -> None:
    fields: dict[FieldT, EncodableT] = {
        "status": status,
        "headcount": headcount,
        "remaining": remaining,
        "starts": starts_ms,
        "ends": ends_ms,
    }
    (pipeline or client).hset(keys.request(request_id), mapping=fields)


def offer(
    client: redis.Redis,
    request_id: int,
    worker_ids: list[int],
    deadline_ms: int,
    *,
    pipeline: Pipeline | None = None,
) -> None:
    """Offer a request to workers until the deadline (a new wave)."""
    if worker_ids:
        state = offered_state(deadline_ms)
        mapping: dict[FieldT, EncodableT] = {str(worker_id): state for worker_id in worker_ids}
        (pipeline or client).hset(keys.request_offers(request_id), mapping=mapping)


def claim(client: redis.Redis, request_id: int, worker_id: int, now_ms: int) -> Claim:
    """Accept an offer atomically: live offer, open request, a place left, no overlap."""
    result = _run(
        _scripts(client).claim,
        [
            keys.READY,
            keys.request(request_id),
            keys.request_offers(request_id),
            keys.request_accepted(request_id),
            keys.worker_bookings(worker_id),
        ],
        [request_id, worker_id, now_ms],
        client,
    )
    return Claim(ClaimResult(result[0]), int(result[1]))


def release(
    client: redis.Redis,
    request_id: int,
    worker_id: int,
    new_state: str,
    *,
    before_ms: int | None = None,
) -> str:
    """Give a held place back and set the offer's state (withdrawal, or undoing a claim).

    With `before_ms` (now), refuses with "started" once the request's window has begun.
    Returns "released", "not_accepted", "started", "closed" or "no_queue".
    """
    return str(
        _run(
            _scripts(client).release,
            [
                keys.READY,
                keys.request(request_id),
                keys.request_offers(request_id),
                keys.request_accepted(request_id),
                keys.worker_bookings(worker_id),
            ],
            [request_id, worker_id, new_state, "" if before_ms is None else before_ms],
            client,
        )
    )


def settle(
    client: redis.Redis,
    request_id: int,
    worker_id: int,
    new_status: str,
    *,
    expired_by_ms: int | None = None,
) -> str:
    """End a live offer (declined; or expired when its deadline ≤ `expired_by_ms`).

    Returns "settled", "live" (not yet due), "no_queue", or the state that stopped it.
    """
    return str(
        _run(
            _scripts(client).settle,
            [keys.READY, keys.request_offers(request_id)],
            [worker_id, new_status, "" if expired_by_ms is None else expired_by_ms],
            client,
        )
    )


def close_request(client: redis.Redis, request_id: int, status: str) -> list[int]:
    """Stop a request taking claims, drop its keys and bookings; returns who held places."""
    request_key, _, accepted_key = keys.request_keys(request_id)
    closed = cast(
        list[str], _run(_scripts(client).close, [request_key, accepted_key], [status], client)
    )
    held = [int(worker) for worker in closed[2:]]
    pipe = client.pipeline(transaction=False)
    if closed:
        member = keys.booking_member(request_id, closed[0], closed[1])
        for worker_id in held:
            pipe.zrem(keys.worker_bookings(worker_id), member)
    pipe.delete(*keys.request_keys(request_id))
    pipe.execute()
    return held
