"""Business actions on labour cooperation bases: register, tokens, digests, pushes, recruits.

No Flask here except reading settings through the callers; every staff action checks the actor.
The caller commits.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, Select, func, or_, select, update
from sqlalchemy.orm import Session, joinedload

from marketplace.accounts.models import User
from marketplace.bases import digest as digests
from marketplace.bases import webhook
from marketplace.bases.models import (
    BaseDelivery,
    BaseDeliveryAttempt,
    BaseDeliveryJob,
    BaseRecruit,
    DeliveryState,
    LabourBase,
)
from marketplace.employers.models import Employer
from marketplace.errors import Conflict, NotFound, ValidationError
from marketplace.jobs.models import Job, JobStatus
from marketplace.seekers.models import Application, ApplicationStatus
from marketplace.staff.review import require_staff

log = logging.getLogger(__name__)

# SQL narrows the candidates before digest.choose decides; this many is plenty for one digest.
CANDIDATE_CAP = 2000


# --- secrets -------------------------------------------------------------------------------------


def new_secret() -> str:
    return secrets.token_hex(32)


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    # the token is 256 random bits: a plain SHA-256 is enough, no slow hash needed
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def feed_token_ok(base: LabourBase, token: str | None) -> bool:
    """Whether `token` is the base's feed token (compared in constant time)."""
    return hmac.compare_digest(token_hash(token or ""), base.feed_token_hash)


# --- bases ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BaseFields:
    name: str
    province: str
    city: str
    contact_name: str | None = None
    contact_phone: str | None = None
    occupation_prefixes: Sequence[str] = ()
    kinds: Sequence[str] = ()
    min_monthly_pay: float | None = None
    keywords: Sequence[str] = ()
    districts: Sequence[str] = ()
    webhook_url: str | None = None
    active: bool = True


@dataclass(frozen=True)
class Created:
    """A new base with the two values shown once: the webhook secret and the feed token."""

    base: LabourBase
    secret: str
    feed_token: str


def _apply(base: LabourBase, fields: BaseFields) -> None:
    if not fields.name.strip() or not fields.province.strip() or not fields.city.strip():
        raise ValidationError("请填写基地名称、所在省份和城市")
    base.name = fields.name.strip()
    base.province = fields.province.strip()
    base.city = fields.city.strip()
    base.contact_name = fields.contact_name or None
    base.contact_phone = fields.contact_phone or None
    base.occupation_prefixes = list(fields.occupation_prefixes)
    base.kinds = list(fields.kinds)
    base.min_monthly_pay = fields.min_monthly_pay
    base.keywords = list(fields.keywords)
    base.districts = list(fields.districts)
    base.webhook_url = fields.webhook_url or None
    base.active = fields.active


def register_base(session: Session, actor: User, fields: BaseFields) -> Created:
    require_staff(actor)
    secret, token = new_secret(), new_feed_token()
    base = LabourBase(webhook_secret=secret, feed_token_hash=token_hash(token))
    _apply(base, fields)
    session.add(base)
    session.flush()
    log.info("base %s registered by user %s", base.id, actor.id)
    return Created(base, secret, token)


def update_base(session: Session, actor: User, base: LabourBase, fields: BaseFields) -> None:
    require_staff(actor)
    _apply(base, fields)
    session.flush()


def rotate_secret(session: Session, actor: User, base: LabourBase) -> str:
    """A new webhook secret (returned to be shown once); the old one stops signing at once."""
    require_staff(actor)
    base.webhook_secret = new_secret()
    session.flush()
    log.info("base %s webhook secret rotated by user %s", base.id, actor.id)
    return base.webhook_secret


def rotate_feed_token(session: Session, actor: User, base: LabourBase) -> str:
    require_staff(actor)
    token = new_feed_token()
    base.feed_token_hash = token_hash(token)
    session.flush()
    log.info("base %s feed token rotated by user %s", base.id, actor.id)
    return token


def get_base(session: Session, base_id: int) -> LabourBase:
    base = session.get(LabourBase, base_id)
    if base is None:
        raise NotFound("没有找到该劳务合作基地")
    return base


# --- digests -------------------------------------------------------------------------------------


def candidates_query(wants: digests.Wants) -> Select[Job]:
    """Published vacancies narrowed in SQL by the base's wants; digest.matches has the last word.

    Every filter is in SQL so that the cap never hides a match behind older non-matching rows.
    """
    query = (
        select(Job)
        .join(Job.employer)
        .options(joinedload(Job.employer))
        .where(Job.status == JobStatus.PUBLISHED)
    )
    if wants.kinds:
        query = query.where(Job.kind.in_(list(wants.kinds)))
    if wants.occupation_prefixes:
        query = query.where(
            or_(
                *(
                    Job.occupation_code.startswith(p, autoescape=True)
                    for p in wants.occupation_prefixes
                )
            )
        )
    if wants.districts:
        query = query.where(Job.district.in_(list(wants.districts)))
    if wants.min_monthly_pay is not None:
        best = func.coalesce(Job.salary_monthly_max, Job.salary_monthly_min)
        query = query.where(best >= wants.min_monthly_pay)
    words = [word for word in wants.keywords if word]
    if words:
        columns = (Job.title, Job.description, Job.skills)
        query = query.where(
            or_(*(column.contains(word, autoescape=True) for word in words for column in columns))
        )
    key_first = Employer.is_key_enterprise.desc()
    return query.order_by(key_first, Job.published_at.desc(), Job.id.desc()).limit(CANDIDATE_CAP)


def build_digest(
    session: Session,
    base: LabourBase,
    now: datetime,
    site_url: str,
    limit: int = digests.DEFAULT_LIMIT,
) -> tuple[digests.Digest, list[Job]]:
    """The digest for `base` now, and the jobs in it."""
    wants = digests.wants_of(base)
    jobs = digests.choose(wants, session.scalars(candidates_query(wants)).unique(), limit)
    items = [digests.item(job, site_url.rstrip("/")) for job in jobs]
    return digests.Digest(base.id, base.name, now, items), jobs


def digest_json(digest: digests.Digest) -> str:
    return json.dumps(digest.as_dict(), ensure_ascii=False, separators=(",", ":"))


# --- pushes --------------------------------------------------------------------------------------


def create_delivery(
    session: Session, base: LabourBase, now: datetime, site_url: str, limit: int
) -> BaseDelivery:
    """A new push of the base's current digest, with the jobs it carries, due at once."""
    digest, jobs = build_digest(session, base, now, site_url, limit)
    payload = digest.as_dict()
    delivery_id = str(uuid.uuid4())
    payload["delivery_id"] = delivery_id
    delivery = BaseDelivery(
        base=base,
        base_id=base.id,
        delivery_id=delivery_id,
        body=json.dumps(payload, ensure_ascii=False, separators=(",", ":")),
        state=DeliveryState.PENDING,
        attempts=0,
        next_attempt_at=now,
        created_at=now,
    )
    session.add(delivery)
    session.flush()
    for job in jobs:
        session.add(BaseDeliveryJob(delivery_id=delivery.id, job_id=job.id))
    session.flush()
    return delivery


def digest_due(session: Session, base: LabourBase, now: datetime, interval: timedelta) -> bool:
    """A base with a webhook gets a new digest when its last one is older than `interval`."""
    if not base.active or not base.webhook_url:
        return False
    last = session.scalar(
        select(func.max(BaseDelivery.created_at)).where(BaseDelivery.base_id == base.id)
    )
    return last is None or last <= now - interval


def claim(session: Session, delivery: BaseDelivery, now: datetime, lease: timedelta) -> bool:
    """Take `delivery` for one attempt, so that two pushers running at once do not both send it.

    Moves its next attempt past the lease (it comes due again if this process dies mid-attempt);
    refused when someone else attempted or claimed it since it was read. Commits.
    """
    result = session.execute(
        update(BaseDelivery)
        .where(
            BaseDelivery.id == delivery.id,
            BaseDelivery.state == DeliveryState.PENDING,
            BaseDelivery.attempts == delivery.attempts,
            BaseDelivery.next_attempt_at <= now,
        )
        .values(next_attempt_at=now + lease)
        .execution_options(synchronize_session=False)
    )
    session.commit()
    return cast(CursorResult[Any], result).rowcount == 1


@dataclass
class PushReport:
    created: int = 0
    attempts: int = 0
    delivered: int = 0
    retrying: int = 0
    failed: int = 0

    def line(self) -> str:
        return (
            f"{self.created} new digests, {self.attempts} attempts: "
            f"{self.delivered} delivered, {self.retrying} to retry, {self.failed} failed"
        )


def push_due(
    session: Session,
    now: datetime,
    *,
    site_url: str,
    interval: timedelta,
    timeout: float = webhook.DEFAULT_TIMEOUT,
    limit: int = digests.DEFAULT_LIMIT,
    base_id: int | None = None,
    force: bool = False,
) -> PushReport:
    """Send due retries, then new digests to bases that are due (all of `base_id`'s when forced).

    Commits after each attempt, so a crash loses at most the attempt in flight.
    """
    report = PushReport()
    bases_query = select(LabourBase).where(LabourBase.active.is_(True)).order_by(LabourBase.id)
    if base_id is not None:
        bases_query = bases_query.where(LabourBase.id == base_id)
    bases = list(session.scalars(bases_query))
    for base in bases:
        if (force and base.webhook_url) or digest_due(session, base, now, interval):
            create_delivery(session, base, now, site_url, limit)
            report.created += 1
    session.commit()
    due = select(BaseDelivery).where(
        BaseDelivery.state == DeliveryState.PENDING, BaseDelivery.next_attempt_at <= now
    )
    if base_id is not None:
        due = due.where(BaseDelivery.base_id == base_id)
    for delivery in list(session.scalars(due.order_by(BaseDelivery.next_attempt_at))):
        if not claim(session, delivery, now, timedelta(seconds=2 * timeout + 60)):
            continue  # another `flask bases push` (or a push-now click) took it
        record = webhook.attempt(session, delivery, now, timeout)
        session.commit()
        report.attempts += 1
        if record.outcome == "delivered":
            report.delivered += 1
        elif record.outcome == "retry":
            report.retrying += 1
        else:
            report.failed += 1
    return report


# --- recruits ------------------------------------------------------------------------------------


def record_recruit(
    session: Session,
    actor: User,
    base: LabourBase,
    *,
    application_id: int | None = None,
    person_name: str | None = None,
    job_id: int | None = None,
    note: str | None = None,
) -> BaseRecruit:
    """Credit a hire to `base`: an application that reached hired, or a walk-in person by name."""
    require_staff(actor)
    name = (person_name or "").strip()
    if application_id is not None:
        application = session.get(Application, application_id)
        if application is None:
            raise ValidationError("没有找到该求职申请")
        if application.status != ApplicationStatus.HIRED:
            raise ValidationError("该申请还没有录用，录用后才能记为基地输送")
        taken = session.scalar(
            select(BaseRecruit).where(BaseRecruit.application_id == application_id)
        )
        if taken is not None:
            raise Conflict("该申请已记在一个基地名下")
        name = application.seeker.name
        job_id = application.job_id
    elif not name:
        raise ValidationError("请填写求职申请编号，或现场招用人员的姓名")
    elif job_id is not None and session.get(Job, job_id) is None:
        raise ValidationError("没有找到该职位")
    recruit = BaseRecruit(
        base_id=base.id,
        application_id=application_id,
        job_id=job_id,
        person_name=name[:40],
        note=(note or "").strip() or None,
        recorded_by=actor.id,
    )
    session.add(recruit)
    session.flush()
    return recruit


def recruit_counts(session: Session) -> dict[int, int]:
    rows = session.execute(
        select(BaseRecruit.base_id, func.count()).group_by(BaseRecruit.base_id)
    ).all()
    return {base_id: count for base_id, count in rows}


def base_rows(session: Session) -> list[tuple[LabourBase, int]]:
    """Every base with how many recruits it sent, active first then by name."""
    counts = recruit_counts(session)
    bases = session.scalars(
        select(LabourBase).order_by(LabourBase.active.desc(), LabourBase.province, LabourBase.id)
    )
    return [(base, counts.get(base.id, 0)) for base in bases]


def delivery_log(session: Session, base: LabourBase, limit: int = 50) -> list[dict[str, Any]]:
    """A base's latest deliveries with their attempts, newest first."""
    deliveries = list(
        session.scalars(
            select(BaseDelivery)
            .where(BaseDelivery.base_id == base.id)
            .order_by(BaseDelivery.created_at.desc(), BaseDelivery.id.desc())
            .limit(limit)
        )
    )
    ids = [delivery.id for delivery in deliveries]
    attempts: dict[int, list[BaseDeliveryAttempt]] = {i: [] for i in ids}
    for row in session.scalars(
        select(BaseDeliveryAttempt)
        .where(BaseDeliveryAttempt.delivery_id.in_(ids))
        .order_by(BaseDeliveryAttempt.number)
    ):
        attempts[row.delivery_id].append(row)
    jobs = dict(
        session.execute(
            select(BaseDeliveryJob.delivery_id, func.count())
            .where(BaseDeliveryJob.delivery_id.in_(ids))
            .group_by(BaseDeliveryJob.delivery_id)
        ).all()
    )
    return [
        {"delivery": d, "attempts": attempts[d.id], "jobs": jobs.get(d.id, 0)} for d in deliveries
    ]


def recruits_of(session: Session, base: LabourBase) -> list[BaseRecruit]:
    return list(
        session.scalars(
            select(BaseRecruit)
            .where(BaseRecruit.base_id == base.id)
            .order_by(BaseRecruit.at.desc(), BaseRecruit.id.desc())
        )
    )
