"""The search page's filters: reading them from the query string, chips and facet choices.

No Flask here: the view hands in the arguments, the seeker's home point and a link builder.
A value that cannot be read is dropped (the page shows all jobs rather than an error).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from indexer.education import EducationLevel
from indexer.queries import SALARY_BANDS, GeoPoint, PayFilter, Sort
from indexer.salary import DAYS_PER_MONTH, HOURS_PER_DAY, SalaryUnit
from marketplace.jobs.models import JobKind
from marketplace.occupations.models import Occupation

KIND_LABELS = {
    JobKind.FULL_TIME.value: "全职",
    JobKind.PART_TIME.value: "兼职",
    JobKind.ODD_JOB.value: "零工",
}
SORT_LABELS = {
    Sort.RELEVANCE.value: "最相关",
    Sort.NEWEST.value: "最新发布",
    Sort.PAY.value: "薪资最高",
    Sort.DISTANCE.value: "离家最近",
}
POSTED_DAYS = {1: "1 天内", 3: "3 天内", 7: "7 天内", 30: "30 天内"}
# (value of the `pay` parameter, label): monthly minimums, then day rates for odd jobs
PAY_CHOICES = (
    ("3000", "月薪 3000 元以上"),
    ("4000", "月薪 4000 元以上"),
    ("5000", "月薪 5000 元以上"),
    ("6000", "月薪 6000 元以上"),
    ("8000", "月薪 8000 元以上"),
    ("10000", "月薪 10000 元以上"),
    ("150/day", "日薪 150 元/天以上"),
    ("200/day", "日薪 200 元/天以上"),
    ("300/day", "日薪 300 元/天以上"),
)
EDUCATION_CHOICES = tuple(
    (level.code, level.label) for level in EducationLevel if level is not EducationLevel.NONE
)
# Pay filters and bands compare every posting by its monthly equivalent (indexer.salary), so a
# 月薪 band lists day and hour rates too: the page says so beside them.
PAY_HINT = (
    f"日薪、时薪按月折算：日薪 × {DAYS_PER_MONTH:g} 天，"
    f"时薪 × {HOURS_PER_DAY} 小时 × {DAYS_PER_MONTH:g} 天"
)
FACET_TITLES = {
    "kind": "工作类型",
    "district": "区县",
    "salary_band": "月薪（日薪、时薪按月折算）",
    "occupation": "职业",
    "education": "学历要求",
}
# the query-string parameters this module reads (anything else is dropped from links)
PARAMS = ("q", "kind", "district", "pay", "edu", "occ", "days", "key", "sort")
# The most characters of a query searched: the search boxes' maxlength, and what a longer `q`
# is cut to. 100 Chinese characters are 900 bytes in a URL, far below the 4,094 bytes of a
# request line gunicorn takes (a box without a limit let a pasted paragraph end in a 414).
MAX_QUERY_CHARS = 100

_PAY = re.compile(r"^(\d{1,7})(?:-(\d{1,7}))?(?:/(month|day|hour))?$")
_OCCUPATION = re.compile(r"^\d(?:-\d{2}){0,3}$")
_UNIT_WORDS = {"month": ("月薪", "元"), "day": ("日薪", "元/天"), "hour": ("时薪", "元/小时")}
MAX_FACET_CHOICES = 12


@dataclass(frozen=True)
class Chip:
    """An active filter, shown with a link that removes it."""

    label: str
    param: str


@dataclass(frozen=True)
class SearchFilters:
    query: dict[str, Any] = field(default_factory=dict)  # keyword arguments for search_jobs
    args: dict[str, str] = field(default_factory=dict)  # the accepted parameters, for links
    chips: list[Chip] = field(default_factory=list)
    sorts: dict[str, str] = field(default_factory=dict)  # the sort choices on offer


@dataclass(frozen=True)
class FacetChoice:
    label: str
    count: int
    url: str | None  # None when the facet cannot be used as a filter
    active: bool = False


@dataclass(frozen=True)
class FacetGroup:
    name: str
    title: str
    choices: list[FacetChoice]


def read_pay(raw: str) -> PayFilter | None:
    """`6000` (a month), `6000-8000` (a monthly range) or `200/day`; None when unreadable."""
    match = _PAY.match(raw.strip())
    if match is None:
        return None
    low, high = int(match.group(1)), match.group(2)
    unit = SalaryUnit(match.group(3) or "month")
    if (high is not None and int(high) < low) or (high is None and low == 0):
        return None
    return PayFilter(min=low or None, max=int(high) if high else None, unit=unit)


def read_text(args: Mapping[str, str]) -> str:
    """The query's words, cut to MAX_QUERY_CHARS (quietly: the cut text is searched)."""
    return args.get("q", "").strip()[:MAX_QUERY_CHARS].strip()


def pay_label(pay: PayFilter) -> str:
    label, unit = _UNIT_WORDS.get(pay.unit.value, ("薪资", "元"))
    low = f"{pay.min:.0f}" if pay.min is not None else "0"
    if pay.max is not None:
        return f"{label} {low}–{pay.max:.0f} {unit}"
    return f"{label} {low} {unit}以上"


def _education(raw: str) -> EducationLevel | None:
    if raw.isdigit():
        return EducationLevel(int(raw)) if int(raw) in set(EducationLevel) else None
    try:
        return EducationLevel.from_code(raw)
    except ValueError:
        return None


def read_filters(
    args: Mapping[str, str],
    *,
    home: GeoPoint | None,
    now: datetime,
    occupation_names: Mapping[str, str] | None = None,
) -> SearchFilters:
    """The filters in a query string; `home` (the seeker's point) enables the distance sort."""
    names = occupation_names or {}
    query: dict[str, Any] = {}
    kept: dict[str, str] = {}
    chips: list[Chip] = []

    kind = args.get("kind", "")
    if kind in KIND_LABELS:
        query["kinds"] = (kind,)
        kept["kind"] = kind
        chips.append(Chip(KIND_LABELS[kind], "kind"))
    district = args.get("district", "").strip()[:40]
    if district:
        query["district"] = kept["district"] = district
        chips.append(Chip(district, "district"))
    pay = read_pay(args.get("pay", ""))
    if pay is not None:
        query["pay"] = pay
        kept["pay"] = args["pay"].strip()
        chips.append(Chip(pay_label(pay), "pay"))
    level = _education(args.get("edu", "").strip())
    if level is not None:
        query["education_max"] = int(level)
        kept["edu"] = level.code
        chips.append(Chip(f"学历：{level.label}可投", "edu"))
    occupation = args.get("occ", "").strip()
    if _OCCUPATION.match(occupation):
        query["occupation_code"] = kept["occ"] = occupation
        chips.append(Chip(f"职业：{names.get(occupation, occupation)}", "occ"))
    days = args.get("days", "")
    if days.isdigit() and int(days) in POSTED_DAYS:
        query["posted_after"] = now - timedelta(days=int(days))
        kept["days"] = days
        chips.append(Chip(f"{POSTED_DAYS[int(days)]}发布", "days"))
    if args.get("key") == "1":
        query["key_enterprise_only"] = True
        kept["key"] = "1"
        chips.append(Chip("只看重点企业", "key"))

    sorts = dict(SORT_LABELS)
    if home is None:
        del sorts[Sort.DISTANCE.value]
    else:
        # with a home point every hit carries its distance, whatever the order
        query["near"] = home
    sort = args.get("sort", "")
    if sort in sorts and sort != Sort.RELEVANCE.value:
        query["sort"] = Sort(sort)
        kept["sort"] = sort
    return SearchFilters(query=query, args=kept, chips=chips, sorts=sorts)


def search_args(args: Mapping[str, str], *, home: GeoPoint | None, now: datetime) -> dict[str, str]:
    """The search a page was opened from, read as the results page reads it (the words cut,
    the filters checked, all else dropped): the arguments of a link back to it."""
    back: dict[str, str] = {}
    text = read_text(args)
    if text:
        back["q"] = text
    back.update(read_filters(args, home=home, now=now).args)
    page = args.get("page", "")
    if page.isdigit() and len(page) <= 4 and int(page) > 1:
        back["page"] = str(int(page))  # the results page clamps it to its last page
    return back


def stored_code(code: str) -> str:
    """A code or code prefix as the classification stores it: 6-18 → 6-18-00-00."""
    parts = code.split("-")
    return "-".join([*parts, *["00"] * (4 - len(parts))])


def occupation_names(session: Session, codes: list[str]) -> dict[str, str]:
    """Names of the occupation codes shown on the page (one query), keyed as given.

    The facet counts by 中类 prefix (6-18) while the classification stores every level in
    full (6-18-00-00). A code it lacks gets no name: the page shows the code, not a guess.
    """
    wanted = {code: stored_code(code) for code in dict.fromkeys(codes) if code}
    if not wanted:
        return {}
    rows = session.execute(
        select(Occupation.code, Occupation.name).where(Occupation.code.in_(set(wanted.values())))
    )
    names = {code: name for code, name in rows}
    return {code: names[full] for code, full in wanted.items() if full in names}


def _band_param(band: str) -> str | None:
    for name, lower, upper in SALARY_BANDS:
        if name == band:
            low = f"{lower:.0f}" if lower is not None else "0"
            return f"{low}-{upper:.0f}" if upper is not None else low
    return None


def _band_label(band: str) -> str:
    for name, lower, upper in SALARY_BANDS:
        if name == band:
            if lower is None:
                return f"{upper:.0f} 元以下"
            if upper is None:
                return f"{lower:.0f} 元以上"
            return f"{lower:.0f}–{upper:.0f} 元"
    return band


def facet_groups(
    facets: Mapping[str, Mapping[str, int]],
    filters: SearchFilters,
    link: Callable[..., str],
    occupation_names: Mapping[str, str] | None = None,
) -> list[FacetGroup]:
    """Every facet the engine returned, as choices with counts and links that add the filter.

    `link(**changes)` builds the results URL from the current filters with `changes` applied.
    Facets this page does not know are still shown (with counts, without links).
    """
    names = occupation_names or {}
    groups: list[FacetGroup] = []
    for name, counts in facets.items():
        choices: list[FacetChoice] = []
        for value, count in list(counts.items())[:MAX_FACET_CHOICES]:
            label, param, param_value = str(value), None, str(value)
            if name == "kind":
                label, param = KIND_LABELS.get(value, value), "kind"
            elif name == "district":
                param = "district"
            elif name == "salary_band":
                label, param, band = _band_label(value), "pay", _band_param(value)
                param_value = band or ""
            elif name == "occupation":
                label, param = names.get(value, value), "occ"
            elif name == "education":
                level = _education(str(value))
                if level is not None:
                    label, param, param_value = level.label, "edu", level.code
            active = param is not None and filters.args.get(param) == param_value
            url = link(**{param: param_value}) if param and param_value else None
            choices.append(FacetChoice(label, count, url, active))
        if choices:
            groups.append(FacetGroup(name, FACET_TITLES.get(name, name), choices))
    return groups
