"""Great-circle distance, shared by the engines and the ranker's features."""

from __future__ import annotations

import math

EARTH_RADIUS_KM = 6371.0088


def distance_km(lat1: float | None, lng1: float | None, lat2: float, lng2: float) -> float | None:
    """Haversine distance in kilometres; None when the first point is unknown."""
    if lat1 is None or lng1 is None:
        return None
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlmb = phi2 - phi1, math.radians(lng2 - lng1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))
