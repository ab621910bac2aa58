"""Accounts test data: users with known passwords (invented people and numbers)."""

from __future__ import annotations

import itertools
from typing import Any

from sqlalchemy.orm import Session

from marketplace.accounts.models import Role, User
from marketplace.accounts.passwords import hash_password
from marketplace.places import weihai
from marketplace.places.models import Place

PASSWORD = "haibin-2023-ok"
_counter = itertools.count(1)


def phone() -> str:
    """A unique 170-range number (virtual operators: unlikely to reach anyone)."""
    return f"170{next(_counter):08d}"


def user(session: Session, role: Role = Role.SEEKER, **fields: Any) -> User:
    number = fields.pop("phone", None) or phone()
    values: dict[str, Any] = {
        "username": number,
        "password_hash": hash_password(fields.pop("password", PASSWORD)),
        "role": role,
        "display_name": "测试用户",
        "phone": number,
        "is_active": True,
    }
    values.update(fields)
    record = User(**values)
    session.add(record)
    session.flush()
    return record


def weihai_places(session: Session) -> None:
    """Weihai's city, counties and towns (facts written into the project)."""
    for row in weihai.weihai_places():
        session.add(Place(**row))
    session.flush()
