"""Webhook pushes: the signature, and deliveries to a real HTTP server on 127.0.0.1 with retries."""

from __future__ import annotations

import json
import time
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from marketplace.accounts.models import User
from marketplace.bases import services, webhook
from marketplace.bases.models import (
    AttemptOutcome,
    BaseDelivery,
    BaseDeliveryAttempt,
    BaseDeliveryJob,
    DeliveryState,
)
from marketplace.bases.webhook import sign, verify_signature
from tests.marketplace.bases import helpers
from tests.marketplace.bases.conftest import Receiver

SECRET = "whsec-test-0123456789"
BODY = '{"hello":"威海"}'.encode()
STAMP = "1764187200"
# computed independently: printf '1764187200.{"hello":"威海"}' | openssl dgst -sha256 -hmac SECRET
EXPECTED = "sha256=a01f3d8e02d56c12961c7ac37aaf8e77248fb0f54bdffd9009dc46cc332f787a"
NOW = datetime(2026, 11, 26, 12, 0)
HOUR = timedelta(hours=1)

# database-layer: these also run on PostgreSQL
pytestmark = pytest.mark.postgres


# --- the signature ------------------------------------------------------------------------------


def test_the_signature_is_hmac_sha256_of_timestamp_dot_body() -> None:
    assert sign(SECRET, STAMP, BODY) == EXPECTED


def test_a_good_signature_verifies() -> None:
    assert verify_signature(SECRET, STAMP, BODY, EXPECTED, now=int(STAMP) + 10)


@pytest.mark.parametrize(
    ("secret", "body", "header"),
    [
        ("another-secret", BODY, EXPECTED),
        (SECRET, BODY + b" ", EXPECTED),
        (SECRET, BODY, EXPECTED[:-1] + "0"),
        (SECRET, BODY, EXPECTED.removeprefix("sha256=")),
        (SECRET, BODY, ""),
    ],
)
def test_a_wrong_signature_secret_or_body_fails(secret: str, body: bytes, header: str) -> None:
    assert not verify_signature(secret, STAMP, body, header, now=int(STAMP))


def test_a_stale_or_future_timestamp_fails_even_when_signed() -> None:
    assert not verify_signature(SECRET, STAMP, BODY, EXPECTED, now=int(STAMP) + 301)
    assert not verify_signature(SECRET, STAMP, BODY, EXPECTED, now=int(STAMP) - 301)
    assert verify_signature(SECRET, STAMP, BODY, EXPECTED, now=int(STAMP) + 301, tolerance=600)


def test_a_timestamp_that_is_not_a_number_fails() -> None:
    header = sign(SECRET, "soon", BODY)
    assert not verify_signature(SECRET, "soon", BODY, header, now=int(STAMP))


def test_the_signed_timestamp_cannot_be_swapped() -> None:
    later = str(int(STAMP) + 60)
    assert not verify_signature(SECRET, later, BODY, EXPECTED, now=int(later))


# --- the retry policy ---------------------------------------------------------------------------


def test_backoff_grows_and_attempts_stop_at_five() -> None:
    waits = [webhook.backoff(n) for n in range(1, 5)]
    assert waits == [timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), 2 * HOUR]
    assert webhook.MAX_ATTEMPTS == 5


@pytest.mark.parametrize(
    ("status", "number", "outcome"),
    [
        (200, 1, AttemptOutcome.DELIVERED),
        (204, 5, AttemptOutcome.DELIVERED),
        (500, 1, AttemptOutcome.RETRY),
        (503, 4, AttemptOutcome.RETRY),
        (503, 5, AttemptOutcome.FAILED),
        (429, 1, AttemptOutcome.RETRY),
        (400, 1, AttemptOutcome.FAILED),
        (410, 1, AttemptOutcome.FAILED),
        (302, 1, AttemptOutcome.FAILED),
        (None, 1, AttemptOutcome.RETRY),
        (None, 5, AttemptOutcome.FAILED),
    ],
)
def test_which_answers_are_retried(status: int | None, number: int, outcome: str) -> None:
    error = None if status else "ConnectionRefusedError"
    assert webhook.outcome_of(webhook.AttemptResult(status, error, 3), number) == outcome


# --- deliveries to a real server ----------------------------------------------------------------


def _push(session: Session, base_id: int, now: datetime) -> services.PushReport:
    return services.push_due(
        session, now, site_url="https://jiuye.example.cn", interval=24 * HOUR, base_id=base_id
    )


def _delivery(session: Session, base_id: int) -> BaseDelivery:
    session.expire_all()
    return session.scalars(select(BaseDelivery).where(BaseDelivery.base_id == base_id)).one()


def _attempts(session: Session, delivery: BaseDelivery) -> list[BaseDeliveryAttempt]:
    query = select(BaseDeliveryAttempt).where(BaseDeliveryAttempt.delivery_id == delivery.id)
    return list(session.scalars(query.order_by(BaseDeliveryAttempt.number)))


def test_a_200_answer_delivers_a_signed_digest(
    session: Session, staff: User, receiver: Receiver
) -> None:
    job = helpers.published(session, key=True, title="船舶电焊工", headcount=20)
    created = helpers.base(session, staff, webhook_url=receiver.url)
    before = time.time()
    report = _push(session, created.base.id, NOW)
    assert (report.created, report.delivered) == (1, 1)
    [request] = receiver.received
    stamp = request.headers["X-Jiuye-Timestamp"]
    assert abs(int(stamp) - before) < 60
    assert verify_signature(
        created.secret, stamp, request.body, request.headers["X-Jiuye-Signature"], time.time()
    )
    assert request.headers["Content-Type"].startswith("application/json")
    payload = json.loads(request.body)
    assert payload["delivery_id"] == request.headers["X-Jiuye-Delivery"]
    assert [item["title"] for item in payload["vacancies"]] == ["船舶电焊工"]
    delivery = _delivery(session, created.base.id)
    assert delivery.state == DeliveryState.DELIVERED
    assert delivery.delivery_id == request.headers["X-Jiuye-Delivery"]
    [attempt] = _attempts(session, delivery)
    assert (attempt.number, attempt.status_code, attempt.outcome) == (1, 200, "delivered")
    assert attempt.next_retry_at is None
    assert attempt.duration_ms >= 0
    carried = session.scalars(
        select(BaseDeliveryJob.job_id).where(BaseDeliveryJob.delivery_id == delivery.id)
    ).all()
    assert carried == [job.id]


def test_a_500_is_retried_after_the_backoff_with_the_same_body_and_delivery_id(
    session: Session, staff: User, receiver: Receiver
) -> None:
    helpers.published(session)
    created = helpers.base(session, staff, webhook_url=receiver.url)
    receiver.script = [500]
    report = _push(session, created.base.id, NOW)
    assert report.retrying == 1
    delivery = _delivery(session, created.base.id)
    assert delivery.state == DeliveryState.PENDING
    assert delivery.next_attempt_at == NOW + timedelta(minutes=1)
    # not yet due: nothing is sent, and no new digest either (the last is recent)
    assert _push(session, created.base.id, NOW + timedelta(seconds=30)).attempts == 0
    assert len(receiver.received) == 1
    report = _push(session, created.base.id, NOW + timedelta(minutes=1))
    assert (report.created, report.delivered) == (0, 1)
    first, second = receiver.received
    assert first.body == second.body
    assert first.headers["X-Jiuye-Delivery"] == second.headers["X-Jiuye-Delivery"]
    attempts = _attempts(session, _delivery(session, created.base.id))
    assert [(a.number, a.status_code, a.outcome) for a in attempts] == [
        (1, 500, "retry"),
        (2, 200, "delivered"),
    ]
    assert attempts[0].next_retry_at == NOW + timedelta(minutes=1)
    assert _delivery(session, created.base.id).state == DeliveryState.DELIVERED


def test_a_400_fails_at_once(session: Session, staff: User, receiver: Receiver) -> None:
    created = helpers.base(session, staff, webhook_url=receiver.url)
    receiver.script = [400]
    report = _push(session, created.base.id, NOW)
    assert report.failed == 1
    delivery = _delivery(session, created.base.id)
    assert delivery.state == DeliveryState.FAILED
    assert delivery.next_attempt_at is None
    [attempt] = _attempts(session, delivery)
    assert (attempt.status_code, attempt.outcome) == (400, "failed")
    assert _push(session, created.base.id, NOW + 3 * HOUR).attempts == 0


def test_a_refused_connection_schedules_a_retry(
    session: Session, staff: User, refused_url: str
) -> None:
    created = helpers.base(session, staff, webhook_url=refused_url)
    assert _push(session, created.base.id, NOW).retrying == 1
    delivery = _delivery(session, created.base.id)
    [attempt] = _attempts(session, delivery)
    assert attempt.status_code is None
    assert attempt.error
    assert attempt.outcome == "retry"
    assert delivery.next_attempt_at == NOW + timedelta(minutes=1)


def test_five_failures_log_five_attempts_with_growing_waits_then_give_up(
    session: Session, staff: User, receiver: Receiver
) -> None:
    created = helpers.base(session, staff, webhook_url=receiver.url)
    receiver.script = [503, 429, 502, 500, 503, 200]
    moment = NOW
    for _ in range(5):
        _push(session, created.base.id, moment)
        delivery = _delivery(session, created.base.id)
        moment = delivery.next_attempt_at or moment
    delivery = _delivery(session, created.base.id)
    assert delivery.state == DeliveryState.FAILED
    assert delivery.attempts == 5
    attempts = _attempts(session, delivery)
    assert [a.status_code for a in attempts] == [503, 429, 502, 500, 503]
    assert [a.outcome for a in attempts] == ["retry"] * 4 + ["failed"]
    waits = [a.next_retry_at - a.at for a in attempts[:4] if a.next_retry_at]
    assert waits == [timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), 2 * HOUR]
    assert len(receiver.received) == 5
    assert len({r.headers["X-Jiuye-Delivery"] for r in receiver.received}) == 1


def test_a_new_digest_is_due_after_the_interval(
    session: Session, staff: User, receiver: Receiver
) -> None:
    created = helpers.base(session, staff, webhook_url=receiver.url)
    assert _push(session, created.base.id, NOW).created == 1
    assert _push(session, created.base.id, NOW + 23 * HOUR).created == 0
    assert _push(session, created.base.id, NOW + 24 * HOUR).created == 1
    ids = {r.headers["X-Jiuye-Delivery"] for r in receiver.received}
    assert len(ids) == 2


def test_bases_without_a_webhook_or_switched_off_get_no_push(
    session: Session, staff: User, receiver: Receiver
) -> None:
    helpers.base(session, staff, name="只订阅的基地")
    helpers.base(session, staff, name="停用的基地", webhook_url=receiver.url, active=False)
    report = services.push_due(session, NOW, site_url="", interval=24 * HOUR)
    assert report.created == 0
    assert receiver.received == []


def test_a_rotated_secret_signs_the_next_attempt(
    session: Session, staff: User, receiver: Receiver
) -> None:
    created = helpers.base(session, staff, webhook_url=receiver.url)
    receiver.script = [500]
    _push(session, created.base.id, NOW)
    base = services.get_base(session, created.base.id)
    secret = services.rotate_secret(session, staff, base)
    session.commit()
    assert secret != created.secret
    _push(session, created.base.id, NOW + HOUR)
    request = receiver.received[-1]
    stamp, header = request.headers["X-Jiuye-Timestamp"], request.headers["X-Jiuye-Signature"]
    assert verify_signature(secret, stamp, request.body, header, time.time())
    assert not verify_signature(created.secret, stamp, request.body, header, time.time())


def test_a_delivery_claimed_by_another_pusher_is_not_sent_twice(
    session: Session, staff: User, receiver: Receiver
) -> None:
    created = helpers.base(session, staff, webhook_url=receiver.url)
    delivery = services.create_delivery(session, created.base, NOW, "", limit=10)
    session.commit()
    assert services.claim(session, delivery, NOW, timedelta(minutes=2))
    # a second pusher that read the delivery before the claim
    assert not services.claim(session, delivery, NOW, timedelta(minutes=2))
    assert _push(session, created.base.id, NOW + timedelta(minutes=1)).attempts == 0
    # the claimer died: after the lease the delivery is due again
    assert _push(session, created.base.id, NOW + timedelta(minutes=2)).delivered == 1
    assert len(receiver.received) == 1


def test_a_redirect_is_not_followed(session: Session, staff: User, receiver: Receiver) -> None:
    created = helpers.base(session, staff, webhook_url=receiver.url)
    receiver.script = [307]
    assert _push(session, created.base.id, NOW).failed == 1
    assert len(receiver.received) == 1


def test_only_http_addresses_are_posted_to() -> None:
    result = webhook.post("file:///etc/passwd", b"{}", {}, timeout=1)
    assert result.status_code is None
    assert result.error
