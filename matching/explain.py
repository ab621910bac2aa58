""" "Why this job": the two or three strongest plain-Chinese reasons behind a result."""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from matching.features import FEATURE_NAMES

_AT = {name: index for index, name in enumerate(FEATURE_NAMES)}


def _value(row: npt.NDArray[np.float64], name: str) -> float:
    return float(row[_AT[name]])


def reasons(row: npt.NDArray[np.float64], limit: int = 3) -> list[str]:
    """Reasons from one feature row, strongest first (only what the row shows to be true)."""
    found: list[tuple[float, str]] = []
    if _value(row, "title_exact_phrase") == 1.0:
        found.append((1.0, "职位名称与搜索一致"))
    elif _value(row, "title_coverage") >= 0.5:
        found.append((0.8, "职位名称包含搜索词"))
    occupation = _value(row, "occupation_match")
    if occupation == 1.0:
        found.append((0.9, "职业与期望相符"))
    distance = _value(row, "distance_km")
    if not math.isnan(distance) and distance <= 10:
        found.append((0.95 - distance / 100, f"距您 {distance:.1f} 公里"))
    if _value(row, "place_match") == 1.0:
        found.append((0.7, "在您搜索的地区"))
    salary = _value(row, "salary_fit")
    if not math.isnan(salary) and salary >= 0.5:
        found.append((0.85, "薪资符合期望"))
    skills = _value(row, "skill_overlap")
    if not math.isnan(skills) and skills > 0:
        found.append((0.75, "需要您具备的技能"))
    if _value(row, "kind_match") == 1.0:
        found.append((0.6, "工作类型符合"))
    days = _value(row, "recency_days")
    if not math.isnan(days) and days <= 7:
        found.append((0.5, f"{max(int(days), 0) or '今'}{'天前' if int(days) else '天'}发布"))
    if _value(row, "key_enterprise") == 1.0:
        found.append((0.4, "重点企业"))
    if _value(row, "employer_verified") == 1.0:
        found.append((0.3, "单位已认证"))
    found.sort(key=lambda item: -item[0])
    return [text for _weight, text in found[:limit]]
