"""Who is calling the API (401 anonymous, 403 wrong role) and what they sent (422 bad input).

Errors are the domain errors of `marketplace.errors`, rendered there as {"error": {...}}.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from flask import request
from werkzeug.datastructures import MultiDict

from marketplace.accounts.auth import signed_in_user
from marketplace.accounts.models import User
from marketplace.errors import DomainError, Forbidden


class Unauthorized(DomainError):
    """Nobody is signed in: the API answers 401 rather than redirecting to the login page."""

    status = 401
    code = "unauthorized"

    def __init__(self, message: str = "请先登录") -> None:
        super().__init__(message)


class BadInput(DomainError):
    """A field of the request is missing or malformed; the message names the field."""

    status = 422
    code = "invalid_input"

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}：{problem}")
        self.field = field


def required_user(*roles: str) -> User:
    """The signed-in user, of one of `roles` when given; Unauthorized or Forbidden otherwise."""
    user = signed_in_user()
    if user is None:
        raise Unauthorized
    if roles and user.role not in roles:
        raise Forbidden("您的账号类型不能使用此功能")
    return user


def json_body() -> dict[str, Any]:
    """The request's JSON object (an empty body counts as {})."""
    if not request.get_data():
        return {}
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise BadInput("请求体", "须为 JSON 对象")
    return body


def text(
    body: dict[str, Any], name: str, *, required: bool = False, limit: int = 200
) -> str | None:
    value = body.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise BadInput(name, "必填")
        return None
    if not isinstance(value, str):
        raise BadInput(name, "须为文本")
    if len(value) > limit:
        raise BadInput(name, f"不能超过 {limit} 字")
    return value.strip()


def number(body: dict[str, Any], name: str, *, required: bool = False) -> float | None:
    value = body.get(name)
    if value is None:
        if required:
            raise BadInput(name, "必填")
        return None
    # bool is an int in Python, but true is not a number in JSON
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise BadInput(name, "须为数字")
    # Python's JSON reader takes NaN and Infinity, which no real amount is
    if not math.isfinite(value):
        raise BadInput(name, "须为有限的数字")
    return float(value)


def only_fields(body: dict[str, Any], names: Iterable[str]) -> None:
    """BadInput naming the first field the endpoint does not know (a misspelt pay_min, say,
    must not quietly post a job as 薪资面议)."""
    unknown = sorted(set(body) - set(names))
    if unknown:
        raise BadInput(unknown[0], "不是可用的字段")


def integer(body: dict[str, Any], name: str, *, required: bool = False) -> int | None:
    value = body.get(name)
    if value is None:
        if required:
            raise BadInput(name, "必填")
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise BadInput(name, "须为整数")
    return value


def flag(body: dict[str, Any], name: str) -> bool:
    value = body.get(name, False)
    if not isinstance(value, bool):
        raise BadInput(name, "须为 true 或 false")
    return value


def text_list(body: dict[str, Any], name: str) -> list[str]:
    value = body.get(name, [])
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise BadInput(name, "须为文本列表")
    return value


def moment(body: dict[str, Any], name: str) -> datetime:
    """An ISO 8601 time with its offset (2026-05-04T08:00:00+08:00) → naive UTC, as stored."""
    value = body.get(name)
    if value is None:
        raise BadInput(name, "必填")
    if not isinstance(value, str):
        raise BadInput(name, "须为 ISO 8601 时间")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise BadInput(name, "须为 ISO 8601 时间，如 2026-05-04T08:00:00+08:00") from None
    if parsed.tzinfo is None:
        # a bare local time is ambiguous between a phone's zone and the server's
        raise BadInput(name, "须注明时区，如 2026-05-04T08:00:00+08:00")
    return parsed.astimezone(UTC).replace(tzinfo=None)


def query_int(args: MultiDict[str, str], name: str, default: int, low: int, high: int) -> int:
    """An integer query parameter within [low, high]."""
    raw = args.get(name)
    if raw is None or raw == "":
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise BadInput(name, f"须为 {low} 到 {high} 之间的整数")
    return int(raw)


def utc_text(at: datetime | None) -> str | None:
    """Naive UTC as stored → '2026-05-04T00:00:00Z'."""
    if at is None:
        return None
    return at.replace(microsecond=0).isoformat() + "Z"
