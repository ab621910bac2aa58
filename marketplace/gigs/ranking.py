"""Who is offered a request first: availability, skill fit, reliability, distance, fair rotation.

Pure functions over rows already loaded; no SQL, no Redis.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from marketplace.gigs.models import GigRequest, GigWorker
from marketplace.localtime import LOCAL_OFFSET

# Availability (days and hours) is stated in local time; SQL keeps naive UTC. China keeps
# UTC+8 all year (no daylight saving), so a fixed offset is exact.

# Weights of the score: being near matters most for a same-day odd job, then doing the
# requested work, then having turned up before.
WEIGHT_DISTANCE = 0.5
WEIGHT_SKILL = 0.3
WEIGHT_RELIABILITY = 0.2

# Scores in the same band of this width count as "similar": within a band the worker offered
# least recently goes first, so the same few nearby workers are not always first.
SIMILAR_BAND = 0.1


@dataclass(frozen=True)
class Candidate:
    worker_id: int
    distance_km: float
    skill_fit: float
    reliability: float
    score: float
    last_offered_at: datetime | None


def skill_fit(wanted: set[str], offered: set[str]) -> float:
    """Share of the requested skills the worker has (1.0 when the request names none)."""
    if not wanted:
        return 1.0
    return len(wanted & offered) / len(wanted)


def reliability(worker: GigWorker) -> float:
    """0–1: show-up record and mean rating, smoothed so that newcomers start in the middle."""
    # Laplace smoothing: one imagined completion and one imagined miss
    misses = worker.no_shows_count + worker.withdrawals_count
    shows = (worker.completions_count + 1) / (worker.completions_count + misses + 2)
    # two imagined 3-star ratings
    rating = (worker.rating_sum + 6) / (worker.rating_count + 2) / 5
    return 0.7 * shows + 0.3 * rating


def is_available(worker: GigWorker, starts_at: datetime, ends_at: datetime) -> bool:
    """The request's local start day is one of the worker's days, within their hours."""
    local_start, local_end = starts_at + LOCAL_OFFSET, ends_at + LOCAL_OFFSET
    if str(local_start.isoweekday()) not in worker.days:
        return False
    if worker.available_from is None or worker.available_until is None:
        return True
    if local_start.time() < worker.available_from:
        return False
    # a task running past midnight is judged by its start only
    same_day = local_end.date() == local_start.date()
    return not same_day or local_end.time() <= worker.available_until


def eligible(worker: GigWorker, request: GigRequest) -> bool:
    """Not paused, able to do at least one requested skill, available at that time."""
    if worker.paused:
        return False
    wanted = request.skill_set
    if wanted and not wanted & worker.skill_set:
        return False
    return is_available(worker, request.starts_at, request.ends_at)


def score(distance_km: float, radius_km: float, fit: float, reliable: float) -> float:
    closeness = max(0.0, 1.0 - distance_km / radius_km) if radius_km > 0 else 0.0
    return WEIGHT_DISTANCE * closeness + WEIGHT_SKILL * fit + WEIGHT_RELIABILITY * reliable


def rank(
    request: GigRequest, found: list[tuple[GigWorker, float]], radius_km: float
) -> list[Candidate]:
    """Eligible workers (with their distance in km) best first, fairly rotated within bands."""
    candidates = []
    for worker, distance in found:
        if not eligible(worker, request):
            continue
        fit = skill_fit(request.skill_set, worker.skill_set)
        reliable = reliability(worker)
        candidates.append(
            Candidate(
                worker_id=worker.id,
                distance_km=round(distance, 3),
                skill_fit=fit,
                reliability=round(reliable, 4),
                score=round(score(distance, radius_km, fit, reliable), 4),
                last_offered_at=worker.last_offered_at,
            )
        )
    never = datetime.min  # never offered: the first in the rotation
    candidates.sort(
        key=lambda c: (
            -math.floor(c.score / SIMILAR_BAND),
            c.last_offered_at or never,
            c.distance_km,
            c.worker_id,
        )
    )
    return candidates
