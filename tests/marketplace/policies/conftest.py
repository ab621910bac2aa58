"""Fixtures and factories for the policy tests: a session, seekers, policies built from dicts."""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from marketplace.accounts.models import Role, User
from marketplace.policies import services, spec
from marketplace.policies.models import Policy
from marketplace.seekers.models import SeekerProfile
from tests.marketplace.accounts import factories as accounts
from tests.marketplace.accounts.helpers import log_in

_counter = itertools.count(1)


def policy_entry(**fields: Any) -> dict[str, Any]:
    """A valid policy-file entry (a seeker-side one for graduates), overridden by `fields`."""
    entry: dict[str, Any] = {
        "code": f"test-policy-{next(_counter)}",
        "name": "测试毕业生补贴",
        "summary": "测试用的政策。",
        "side": "seeker",
        "target": "高校毕业生",
        "amount": {
            "unit": "month",
            "tiers": [
                {"education": "doctorate", "yuan": 5000},
                {"education": "master", "yuan": 2000},
                {"education": "bachelor", "yuan": 1000},
            ],
        },
        "valid_from": "2023-04-20",
        "valid_to": "2026-12-31",
        "documents": ["居民身份证", "毕业证书"],
        "handled_by": {"office": "威海市就业人才中心", "phone": "12333"},
        "rule": {"field": "target_groups", "op": "contains", "value": "graduate"},
    }
    entry.update(fields)
    return entry


def add_policies(session: Session, *entries: dict[str, Any]) -> list[Policy]:
    """Load entries through the real loader (so they are validated as a file would be)."""
    specs = spec.parse({"policies": list(entries)})
    services.load_policies(session, specs)
    session.flush()
    by_code = {policy.code: policy for policy in session.query(Policy)}
    return [by_code[entry["code"]] for entry in entries]


def seeker(session: Session, **fields: Any) -> SeekerProfile:
    """A seeker account with a profile (invented person); `fields` set profile columns."""
    user = accounts.user(session, role=Role.SEEKER, display_name=fields.get("name", "王海"))
    values: dict[str, Any] = {"user_id": user.id, "name": "王海", "target_groups": []}
    values.update(fields)
    profile = SeekerProfile(**values)
    session.add(profile)
    session.flush()
    return profile


def account(session: Session, profile: SeekerProfile) -> User:
    user = session.get(User, profile.user_id)
    assert user is not None
    return user


def sign_in(client: FlaskClient, user: User) -> None:
    assert log_in(client, user.username, accounts.PASSWORD).status_code == 302


def today() -> date:
    return services.local_today()
