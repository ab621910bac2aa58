""" "Why this job" (or "why this person"): the two or three strongest plain-Chinese reasons
behind a result, read from its feature row."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from matching.features import FEATURE_NAMES

_AT = {name: index for index, name in enumerate(FEATURE_NAMES)}

# how strong each reason is (higher first); a near place outranks all but an exact title
WEIGHTS: dict[str, float] = {
    "title_exact": 1.0,
    "distance": 0.95,  # less a hundredth per kilometre
    "occupation": 0.9,
    "salary": 0.85,
    "title_words": 0.8,
    "skills": 0.75,
    "place": 0.7,
    "occupation_near": 0.65,
    "education": 0.62,
    "experience": 0.61,
    "kind": 0.6,
    "recency": 0.5,
    "key_enterprise": 0.4,
    "verified": 0.3,
}


@dataclass(frozen=True)
class Wording:
    """What each reason says to its reader; None leaves the reason out for that reader.

    `distance` holds `{km}`; `recency` is worded by `reasons` itself (今天 / N 天前).
    `weights` overrides entries of WEIGHTS (what matters most differs between readers).
    The defaults are the seeker's wording for a search.
    """

    title_exact: str | None = "职位名称与搜索一致"
    title_words: str | None = "职位名称包含搜索词"
    occupation: str | None = "职业与期望相符"
    occupation_near: str | None = None
    distance: str | None = "距您 {km:.1f} 公里"
    place: str | None = "在您搜索的地区"
    salary: str | None = "薪资符合期望"
    skills: str | None = "技能相符"  # the posting asks for skills the seeker has
    education: str | None = None
    experience: str | None = None
    kind: str | None = "工作类型符合"
    recency: bool = True
    key_enterprise: str | None = "重点企业"
    verified: str | None = "单位已认证"
    weights: Mapping[str, float] = field(default_factory=dict)


SEEKER_WORDING = Wording()


def _value(row: npt.NDArray[np.float64], name: str) -> float:
    return float(row[_AT[name]])


def reasons(
    row: npt.NDArray[np.float64], limit: int = 3, wording: Wording = SEEKER_WORDING
) -> list[str]:
    """Reasons from one feature row, strongest first (only what the row shows to be true)."""
    found: list[tuple[float, str]] = []

    def add(key: str, text: str | None, less: float = 0.0) -> None:
        if text is not None:
            found.append((wording.weights.get(key, WEIGHTS[key]) - less, text))

    if _value(row, "title_exact_phrase") == 1.0:
        add("title_exact", wording.title_exact)
    elif _value(row, "title_coverage") >= 0.5:
        add("title_words", wording.title_words)
    occupation = _value(row, "occupation_match")
    if occupation == 1.0:
        add("occupation", wording.occupation)
    elif occupation == 0.5:
        add("occupation_near", wording.occupation_near)
    distance = _value(row, "distance_km")
    if not math.isnan(distance) and distance <= 10 and wording.distance is not None:
        add("distance", wording.distance.format(km=distance), less=distance / 100)
    if _value(row, "place_match") == 1.0:
        add("place", wording.place)
    salary = _value(row, "salary_fit")
    if not math.isnan(salary) and salary >= 0.5:
        add("salary", wording.salary)
    skills = _value(row, "skill_overlap")
    if not math.isnan(skills) and skills > 0:
        add("skills", wording.skills)
    if _value(row, "education_fit") == 1.0:
        add("education", wording.education)
    if _value(row, "experience_fit") == 1.0:
        add("experience", wording.experience)
    if _value(row, "kind_match") == 1.0:
        add("kind", wording.kind)
    days = _value(row, "recency_days")
    if wording.recency and not math.isnan(days) and days <= 7:
        add("recency", f"{max(int(days), 0) or '今'}{'天前' if int(days) else '天'}发布")
    if _value(row, "key_enterprise") == 1.0:
        add("key_enterprise", wording.key_enterprise)
    if _value(row, "employer_verified") == 1.0:
        add("verified", wording.verified)
    # stable: equal weights keep the order above
    found.sort(key=lambda item: -item[0])
    return [text for _weight, text in found[:limit]]
