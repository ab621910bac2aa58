"""Signed webhook pushes to bases: the signature, one HTTP attempt, the retry policy and the log.

Receivers check a push with `verify_signature`:

    X-Jiuye-Timestamp: 1764187200            (Unix seconds, when the attempt was sent)
    X-Jiuye-Signature: sha256=<hex>          HMAC-SHA256 of b"<timestamp>." + raw body, keyed
                                             with the base's secret (UTF-8)
    X-Jiuye-Delivery:  <uuid>                the same on every retry: an idempotency key

Refuse a push whose signature does not match or whose timestamp is more than five minutes from
your clock (a replayed old push). Answer 2xx once stored; 5xx or 429 asks us to retry later,
another 4xx tells us not to.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from sqlalchemy.orm import Session

from marketplace.bases.models import (
    AttemptOutcome,
    BaseDelivery,
    BaseDeliveryAttempt,
    DeliveryState,
)

log = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Jiuye-Signature"
TIMESTAMP_HEADER = "X-Jiuye-Timestamp"
DELIVERY_HEADER = "X-Jiuye-Delivery"
# Waits after attempt 1, 2, 3, 4; attempt 5 is the last.
BACKOFF = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
)
MAX_ATTEMPTS = len(BACKOFF) + 1
DEFAULT_TIMEOUT = 5.0
DEFAULT_TOLERANCE = 300
USER_AGENT = "Jiuye-Webhook/1"


# --- the signature -------------------------------------------------------------------------------


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """The X-Jiuye-Signature value: 'sha256=' + hex HMAC-SHA256 of f"{timestamp}.{body}"."""
    message = timestamp.encode("ascii") + b"." + body
    return "sha256=" + hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def verify_signature(
    secret: str,
    timestamp: str,
    body: bytes,
    header: str,
    now: float,
    tolerance: int = DEFAULT_TOLERANCE,
) -> bool:
    """For receivers: True when `header` signs `timestamp` and `body` with `secret` and the
    timestamp is within `tolerance` seconds of `now` (Unix seconds). Compares in constant time.
    """
    try:
        sent = int(timestamp)
    except (TypeError, ValueError):
        return False
    if abs(now - sent) > tolerance:
        return False
    return hmac.compare_digest(sign(secret, timestamp, body), header or "")


# --- one attempt ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class AttemptResult:
    status_code: int | None
    error: str | None
    duration_ms: int


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer, not a hop: urllib would turn the POST into a GET without a body."""

    def redirect_request(self, *_args: object, **_kwargs: object) -> None:
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def post(url: str, body: bytes, headers: dict[str, str], timeout: float) -> AttemptResult:
    """POST `body` to `url` once; a status code, or the error that stopped it."""
    if urlsplit(url).scheme not in ("http", "https"):
        return AttemptResult(None, "只支持 http/https 地址", 0)
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310  # scheme checked above
    started = time.monotonic()
    try:
        with _opener.open(request, timeout=timeout) as response:
            response.read(65536)
            status: int | None = response.status
            error = None
    except urllib.error.HTTPError as answer:  # a 3xx, 4xx or 5xx answer
        status, error = answer.code, None
        answer.close()
    except (urllib.error.URLError, TimeoutError, OSError) as failure:
        reason = getattr(failure, "reason", failure)
        status, error = None, f"{type(reason).__name__}: {reason}"[:300]
    duration = int((time.monotonic() - started) * 1000)
    return AttemptResult(status, error, duration)


def outcome_of(result: AttemptResult, number: int) -> AttemptOutcome:
    """Delivered on 2xx; retry on no answer, 5xx or 429 while attempts remain; else failed."""
    code = result.status_code
    if code is not None and 200 <= code < 300:
        return AttemptOutcome.DELIVERED
    retryable = code is None or code >= 500 or code == 429
    if retryable and number < MAX_ATTEMPTS:
        return AttemptOutcome.RETRY
    return AttemptOutcome.FAILED


def backoff(number: int) -> timedelta:
    """How long to wait after attempt `number` (1-based) before the next one."""
    return BACKOFF[min(number, len(BACKOFF)) - 1]


# --- a delivery's next attempt, logged ------------------------------------------------------------


def headers_for(secret: str, delivery_id: str, body: bytes, sent_at: float) -> dict[str, str]:
    timestamp = str(int(sent_at))
    return {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": USER_AGENT,
        DELIVERY_HEADER: delivery_id,
        TIMESTAMP_HEADER: timestamp,
        SIGNATURE_HEADER: sign(secret, timestamp, body),
    }


def attempt(
    session: Session,
    delivery: BaseDelivery,
    now: datetime,
    timeout: float = DEFAULT_TIMEOUT,
    clock: float | None = None,
) -> BaseDeliveryAttempt:
    """Send `delivery` once more, log the attempt and move its state. The caller commits.

    `now` is the database time (naive UTC); `clock` the Unix time put in the signature.
    """
    base = delivery.base
    number = delivery.attempts + 1
    body = delivery.body.encode("utf-8")
    if not base.webhook_url:
        result = AttemptResult(None, "基地没有设置推送地址", 0)
        verdict = AttemptOutcome.FAILED
    else:
        sent_at = time.time() if clock is None else clock
        headers = headers_for(base.webhook_secret, delivery.delivery_id, body, sent_at)
        result = post(base.webhook_url, body, headers, timeout)
        verdict = outcome_of(result, number)
    retry_at = now + backoff(number) if verdict == AttemptOutcome.RETRY else None
    record = BaseDeliveryAttempt(
        delivery_id=delivery.id,
        number=number,
        at=now,
        status_code=result.status_code,
        error=result.error,
        duration_ms=result.duration_ms,
        outcome=verdict,
        next_retry_at=retry_at,
    )
    session.add(record)
    delivery.attempts = number
    delivery.next_attempt_at = retry_at
    if verdict == AttemptOutcome.DELIVERED:
        delivery.state = DeliveryState.DELIVERED
        delivery.finished_at = now
    elif verdict == AttemptOutcome.FAILED:
        delivery.state = DeliveryState.FAILED
        delivery.finished_at = now
    log.info(
        "base %s delivery %s attempt %d: %s (%s)",
        base.id,
        delivery.delivery_id,
        number,
        verdict.value,
        result.status_code if result.status_code is not None else result.error,
    )
    return record
