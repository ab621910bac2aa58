"""Test data for the employer pages: seekers, applications and a posting form's fields."""

from __future__ import annotations

import itertools
from typing import Any

from sqlalchemy.orm import Session

from marketplace.accounts.models import Role
from marketplace.jobs.models import Job
from marketplace.seekers.models import Application, SeekerProfile
from tests.marketplace.accounts import factories

_counter = itertools.count(1)


def posting(**fields: Any) -> dict[str, Any]:
    """The form fields of a clean full-time posting (invented)."""
    values: dict[str, Any] = {
        "title": "海参加工工",
        "kind": "full_time",
        "description": "负责海参清洗、分拣和包装，长白班，包吃住，多劳多得。",
        "pay_min": "5000",
        "pay_max": "7000",
        "pay_unit": "month",
        "headcount": "5",
        "education": "",
        "experience_years": "",
        "skills": "分拣，包装",
        "benefits": "五险一金，包吃住",
        "district": "荣成市",
        "address": "石岛管理区海洋路 8 号",
    }
    values.update(fields)
    return values


def seeker(session: Session, with_account: bool = True, **fields: Any) -> SeekerProfile:
    user_id = None
    if with_account:
        user_id = factories.user(session, Role.SEEKER, display_name=fields.get("name", "求职者")).id
    values: dict[str, Any] = {
        "user_id": user_id,
        "name": "王小明",
        "phone": f"1390000{next(_counter):04d}",
        "target_groups": [],
    }
    values.update(fields)
    profile = SeekerProfile(**values)
    session.add(profile)
    session.flush()
    return profile


def application(session: Session, job: Job, profile: SeekerProfile, **fields: Any) -> Application:
    record = Application(job_id=job.id, seeker_id=profile.id, **fields)
    session.add(record)
    session.flush()
    return record
