"""Jobs recommended to a seeker from their own profile, through the search's retrieval and ranking.

No Flask here. The profile is read, never written or logged: a recommendation is a search the
seeker did not have to type (their desired job near their home), ranked with their wishes.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from indexer.education import EducationLevel
from indexer.queries import Sort
from indexer.salary import monthly_equivalent
from marketplace.jobs.models import Job
from marketplace.search.engine import SearchHolder
from marketplace.search.services import JobHit, search_jobs
from marketplace.seekers.models import Application, SeekerProfile
from marketplace.seekers.services import home_point, job_is_open
from matching.explain import SEEKER_WORDING
from matching.features import Seeker

# Jobs within this distance of home are recommended alone when there are enough of them;
# otherwise the whole city's matches are (each still carrying its distance).
NEAR_KM = 20.0
# applied-to jobs are left out after retrieval: fetch this many more, at most
MAX_SKIPPED = 50

# matching.explain words its reasons for a typed search; here the "search" is the profile's
# desired job. A reason not listed passes unchanged.
_PROFILE_WORDING = {
    "职位名称与搜索一致": "职位与您的期望一致",
    "职位名称包含搜索词": "职位名称包含您期望的职位",
}

_TAG_SEPARATORS = re.compile(r"[,，、;；\s]+")
# the skills reason names (up to this many of) the seeker's own skills the posting asks for
NAMED_SKILLS = 3


def skill_tags(profile: SeekerProfile) -> list[str]:
    """The profile's skills as tags (stored comma-separated; people also type 、 or spaces)."""
    return [tag for tag in _TAG_SEPARATORS.split(profile.skills or "") if tag]


def what_to_fill_in(profile: SeekerProfile | None) -> list[str]:
    """What the profile lacks before anything can be recommended (labels); [] when enough."""
    if profile is None:
        return ["期望职位", "技能"]
    if (profile.desired_job or "").strip() or skill_tags(profile) or profile.desired_kind:
        return []
    return ["期望职位", "技能"]


def shared_skills(holder: SearchHolder, tags: list[str], job: Job) -> list[str]:
    """The seeker's skill tags the posting names: a tag counts when one of its words is among
    the posting's skill words (the words the ranker's skill_overlap compares)."""
    words = set(holder.tokenizer.tokenize(f"{job.skills or ''} {job.benefits or ''}"))
    return [tag for tag in tags if words.intersection(holder.tokenizer.tokenize(tag))]


def seeker_context(holder: SearchHolder, session: Session, profile: SeekerProfile) -> Seeker:
    """What the ranker's features know of the seeker: home, pay, education, kind, occupation."""
    home = home_point(session, profile)
    unit = profile.expected_pay_unit or "month"
    education = None
    if profile.education:
        try:
            education = int(EducationLevel.from_code(profile.education))
        except ValueError:
            education = None  # an unknown stored code says nothing about fit
    skills = frozenset(
        word for tag in skill_tags(profile) for word in holder.tokenizer.tokenize(tag)
    )
    return Seeker(
        lat=home.lat if home else None,
        lng=home.lng if home else None,
        pay_min=monthly_equivalent(profile.expected_pay_min, unit),
        pay_max=monthly_equivalent(profile.expected_pay_max, unit),
        education_level=education,
        experience_years=profile.experience_years,
        kind=profile.desired_kind or None,
        occupation_code=profile.desired_occupation_code or None,
        skills=skills,
    )


def _applied_job_ids(session: Session, profile: SeekerProfile) -> set[int]:
    # withdrawn ones too: the seeker has seen and decided on those jobs already
    return set(
        session.scalars(select(Application.job_id).where(Application.seeker_id == profile.id))
    )


def jobs_for(
    holder: SearchHolder,
    session: Session,
    profile: SeekerProfile | None,
    now: datetime,
    limit: int = 10,
) -> list[JobHit]:
    """Up to `limit` open jobs for the seeker, best first, each with its reasons.

    The desired job's words are the query (else the skills; else only the desired kind, nearest
    first); jobs of the desired kind come before the others. [] when the profile has too
    little (`what_to_fill_in` says what). Raises SearchUnavailable when the index cannot be read.
    """
    if profile is None or what_to_fill_in(profile):
        return []
    seeker = seeker_context(holder, session, profile)
    home = home_point(session, profile)
    text = (profile.desired_job or "").strip() or " ".join(skill_tags(profile))
    skip = _applied_job_ids(session, profile)
    filters: dict[str, Any] = {"limit": limit + min(len(skip), MAX_SKIPPED)}
    if home is not None:
        filters["near"] = home
    if not text:
        # only a kind is known: that kind, nearest (or newest) first
        filters["kinds"] = (profile.desired_kind,)
        filters["sort"] = Sort.DISTANCE if home is not None else Sort.NEWEST

    def fetch(**extra: Any) -> list[JobHit]:
        page = search_jobs(holder, session, text, seeker=seeker, **{**filters, **extra})
        # the wanted kind rises within each relevance tier (search_jobs, through `seeker`)
        return [hit for hit in page.hits if hit.job.id not in skip and job_is_open(hit.job, now)]

    def near_else_anywhere(**extra: Any) -> list[JobHit]:
        found = fetch(radius_km=NEAR_KM, **extra) if home is not None else []
        return found if len(found) >= limit else fetch(**extra)

    # A saved kind is a wish, not a tie-breaker: lifting it only within a relevance tier let
    # four 日结 postings whose titles matched a little better sit above every 全职 one. Jobs of
    # the wanted kind come first; the other kinds fill the list only when there are too few.
    hits = (
        near_else_anywhere(kinds=(profile.desired_kind,)) if text and profile.desired_kind else []
    )
    if len(hits) < limit:
        wanted = {hit.job.id for hit in hits}
        hits += [hit for hit in near_else_anywhere() if hit.job.id not in wanted]
    tags = skill_tags(profile)

    def worded(reason: str, job: Job) -> str:
        if reason == SEEKER_WORDING.skills:
            named = shared_skills(holder, tags, job)[:NAMED_SKILLS]
            return f"{reason}：{'、'.join(named)}" if named else reason
        return _PROFILE_WORDING.get(reason, reason)

    return [
        replace(hit, rank=position, reasons=[worded(reason, hit.job) for reason in hit.reasons])
        for position, hit in enumerate(hits[:limit], 1)
    ]
