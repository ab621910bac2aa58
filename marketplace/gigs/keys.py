"""Every Redis key name of the 即时快招 queue, in one place; nothing else spells a key.

All keys start with PREFIX so that a rebuild can find and drop exactly the queue's keys.
"""

from __future__ import annotations

PREFIX = "jiuye:gig:"

# Present only while the queue matches SQL: set last by a rebuild, gone after a Redis restart
# or flush, so the dispatcher (and the claim script) can tell an empty queue from a lost one.
READY = f"{PREFIX}ready"

# Held by the process rebuilding the queue, so that concurrent dispatchers rebuild once.
REBUILD_LOCK = f"{PREFIX}rebuild-lock"

# GEO set of the available (registered, not paused) workers, member = worker id. One set for
# the city rather than one per county: a 5 km circle does not stop at a county boundary.
WORKERS_GEO = f"{PREFIX}workers:geo"

# Patterns to find every request's hash and every worker's bookings (see `request_id_of`).
REQUEST_PATTERN = f"{PREFIX}request:*"
BOOKINGS_PATTERN = f"{PREFIX}worker:*:bookings"


def request(request_id: int) -> str:
    """HASH: status, headcount, remaining, starts, ends (epoch seconds) of a live request."""
    return f"{PREFIX}request:{request_id}"


def request_offers(request_id: int) -> str:
    """HASH: worker id → offer state ("offered@<deadline>", "accepted", "declined"...)."""
    return f"{PREFIX}request:{request_id}:offers"


def request_accepted(request_id: int) -> str:
    """SET of the worker ids holding a place on the request."""
    return f"{PREFIX}request:{request_id}:accepted"


def worker_bookings(worker_id: int) -> str:
    """ZSET of a worker's booked windows: member = booking_member(...), score = ends (ms)."""
    return f"{PREFIX}worker:{worker_id}:bookings"


def booking_member(request_id: int | str, starts_ms: int | str, ends_ms: int | str) -> str:
    """One booked window; the claim script (queue.CLAIM_LUA) writes the same form."""
    return f"{request_id}:{starts_ms}:{ends_ms}"


def request_id_of(key: str) -> int | None:
    """The request id of a request hash key, None for any other key."""
    rest = key.removeprefix(f"{PREFIX}request:")
    return int(rest) if rest != key and rest.isdigit() else None


def worker_id_of(key: str) -> int | None:
    """The worker id of a bookings key, None for any other key."""
    rest = key.removeprefix(f"{PREFIX}worker:").removesuffix(":bookings")
    return int(rest) if key.endswith(":bookings") and rest.isdigit() else None


def request_keys(request_id: int) -> tuple[str, str, str]:
    """The keys that live and die with one request (its bookings live under the workers)."""
    return request(request_id), request_offers(request_id), request_accepted(request_id)
