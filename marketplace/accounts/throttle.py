"""Failed sign-ins counted in Redis: guessing passwords stops after a few tries.

Per account: `ACCOUNT_LIMIT` failures within `WINDOW_SECONDS` refuse further tries for that
login until the window ends; a success clears its count. Per address: `ADDRESS_LIMIT`, set
high because a village service point's kiosks and its staff share one address.

The login is counted by a hash of its normalised form (a phone typed with spaces counts as
the same phone), so Redis holds no phone numbers. Without Redis (REDIS_URL unset, or the
server down) sign-in goes on uncounted: locking everybody out would be worse, and the log
says so.
"""

from __future__ import annotations

import hashlib
import logging

import redis
from flask import current_app
from sqlalchemy.orm import Session

from marketplace.accounts.models import User
from marketplace.accounts.passwords import verify_password
from marketplace.accounts.services import authenticate as check_password
from marketplace.accounts.services import normalize_phone
from marketplace.errors import DomainError
from marketplace.extensions import RedisUnavailable, get_redis

log = logging.getLogger(__name__)

WINDOW_SECONDS = 15 * 60
ACCOUNT_LIMIT = 5
ADDRESS_LIMIT = 50
_PREFIX = "jiuye:login-failures"


class TooManyAttempts(DomainError):
    """Too many failed sign-ins for this login (or from this address) lately."""

    status = 429
    code = "too_many_attempts"

    def __init__(self) -> None:
        minutes = WINDOW_SECONDS // 60
        super().__init__(
            f"登录失败次数过多，请 {minutes} 分钟后再试。忘记密码可到就业服务站点请工作人员重置。"
        )


def authenticate(session: Session, login: str, password: str, address: str | None) -> User | None:
    """`services.authenticate`, counted: TooManyAttempts when the login or the address has
    used up its failures; a wrong password counts one; a success clears the login's count."""
    _check(login, address)
    user = check_password(session, login, password)  # InactiveAccount: a right password
    if user is None:
        _failed(login, address)
    else:
        _succeeded(login)
    return user


def confirm_password(user: User, password: str, address: str | None) -> bool:
    """A signed-in person's password, asked again before something that cannot be undone;
    wrong guesses count as failed sign-ins (TooManyAttempts once used up)."""
    _check(user.username, address)
    if verify_password(user.password_hash, password):
        return True
    _failed(user.username, address)
    return False


def _keys(login: str, address: str | None) -> list[str]:
    digest = hashlib.sha256(normalize_phone(login.strip()).lower().encode("utf-8")).hexdigest()
    keys = [f"{_PREFIX}:login:{digest[:32]}"]
    if address:
        keys.append(f"{_PREFIX}:address:{address}")
    return keys


def _client() -> redis.Redis | None:
    try:
        return get_redis(current_app)
    except RedisUnavailable:
        return None


def _check(login: str, address: str | None) -> None:
    """Raise TooManyAttempts when this login or address has used up its failures."""
    client = _client()
    if client is None:
        return
    keys = _keys(login, address)
    try:
        counts = client.mget(keys)
    except redis.RedisError as error:
        log.warning("sign-in failures not counted (Redis: %s)", error)
        return
    limits = (ACCOUNT_LIMIT, ADDRESS_LIMIT)
    if any(int(count or 0) >= limit for count, limit in zip(counts, limits, strict=False)):
        log.info("sign-in refused: too many failures")
        raise TooManyAttempts


def _failed(login: str, address: str | None) -> None:
    """Count one failed sign-in; the window starts at the first failure."""
    client = _client()
    if client is None:
        return
    try:
        with client.pipeline(transaction=True) as pipe:
            for key in _keys(login, address):
                # SET NX starts the window once; INCR keeps its expiry (Redis 6.2 has no
                # EXPIRE NX)
                pipe.set(key, 0, ex=WINDOW_SECONDS, nx=True)
                pipe.incr(key)
            pipe.execute()
    except redis.RedisError as error:
        log.warning("sign-in failure not counted (Redis: %s)", error)


def _succeeded(login: str) -> None:
    """Forget the login's failures (the address's stay: they count other logins too)."""
    client = _client()
    if client is None:
        return
    try:
        client.delete(_keys(login, None)[0])
    except redis.RedisError as error:
        log.warning("sign-in failures not cleared (Redis: %s)", error)
