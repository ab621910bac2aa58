"""注销账号: a seeker closes their own account online.

What identifies the person goes: the profile's name, phone, ID number, birth date, home and
wishes are cleared, invitations and policy declarations deleted, the odd-job registration
emptied (its point rounded to about a kilometre), a labour base's hire record and the odd
jobs they posted no longer name them, the interaction log no longer names the account or its
browser, and the account can never sign in again (its phone number is free for a new one).
What others rely on stays, without the person: applications still open are withdrawn (the
employer sees 求职者已撤回), odd-job offers still open are declined.

Refused while something still needs the person: an odd job they accepted or posted that is
not over, or a policy claim the service office has not settled.
"""

from __future__ import annotations

import logging
import secrets
from datetime import datetime

import redis
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from marketplace.accounts.models import User
from marketplace.accounts.passwords import hash_password
from marketplace.bases.models import BaseRecruit
from marketplace.errors import Conflict, ServiceUnavailable
from marketplace.gigs import records
from marketplace.gigs import services as gigs
from marketplace.gigs.models import (
    LIVE_REQUEST_STATUSES,
    GigOffer,
    GigRequest,
    GigWorker,
    OfferStatus,
)
from marketplace.gigs.records import QUEUE_DOWN
from marketplace.interactions.models import Interaction
from marketplace.policies.models import ClaimStatus, PolicyClaim, PolicyDeclaration
from marketplace.seekers import services
from marketplace.seekers.models import Application, Invitation, SeekerProfile

log = logging.getLogger(__name__)

CLOSED_NAME = "已注销用户"
GIG_BOOKED = "您还有已接、尚未结束的零工：请先在“零工”中退出，或等该零工结束后再注销"
GIG_POSTED = "您发布的零工需求还在进行中：请先取消，或等它结束后再注销"
CLAIM_OPEN = "您有尚未办结的政策申领：办结后再注销，以免经办机构无法联系您"


def _refusal(
    session: Session,
    user: User,
    profile: SeekerProfile | None,
    worker: GigWorker | None,
    now: datetime,
) -> None:
    """Raise Conflict when something still needs the person."""
    posted = select(GigRequest.id).where(
        GigRequest.requester_user_id == user.id,
        GigRequest.status.in_(LIVE_REQUEST_STATUSES),
        GigRequest.ends_at > now,
    )
    if session.scalar(posted.limit(1)) is not None:
        raise Conflict(GIG_POSTED)
    if worker is not None and records.booked_between(session, worker.id, now):
        raise Conflict(GIG_BOOKED)
    if profile is None:
        return
    open_claim = select(PolicyClaim.id).where(
        PolicyClaim.seeker_id == profile.id,
        PolicyClaim.status.in_((ClaimStatus.APPLIED, ClaimStatus.APPROVED)),
    )
    if session.scalar(open_claim.limit(1)) is not None:
        raise Conflict(CLAIM_OPEN)


def _stop_gig_worker(
    session: Session, client: redis.Redis, user: User, worker_id: int, now: datetime
) -> None:
    """Decline the worker's open offers and pause them (each committed by the gig services)."""
    open_offers = session.scalars(
        select(GigOffer.id).where(
            GigOffer.worker_id == worker_id,
            GigOffer.status == OfferStatus.OFFERED,
            GigOffer.expires_at > now,
        )
    ).all()
    session.rollback()
    for offer_id in open_offers:
        try:
            gigs.decline_offer(session, client, offer_id, actor=user, now=now)
        except Conflict:  # answered or expired meanwhile: checked again before closing
            session.rollback()
    gigs.pause_worker(session, client, worker_id, actor=user, now=now)


def _clear(profile: SeekerProfile, worker: GigWorker | None) -> None:
    profile.name = CLOSED_NAME
    for name in (
        "phone", "id_number", "birth_date", "education", "graduation_year", "experience_years",
        "desired_job", "desired_occupation_code", "desired_kind", "expected_pay_min",
        "expected_pay_max", "expected_pay_unit", "home_county_code", "home_town_code",
        "home_village_code", "lat", "lng", "datum",
    ):  # fmt: skip
        setattr(profile, name, None)
    profile.skills = ""
    profile.target_groups = []
    profile.open_to_employers = False
    if worker is not None:
        worker.skills = ""
        worker.rate_amount = worker.rate_unit = None
        worker.available_from = worker.available_until = None
        # the columns hold a point: about a kilometre, no longer a house
        worker.lat, worker.lng = round(worker.lat, 2), round(worker.lng, 2)


def close_account(session: Session, client: redis.Redis | None, user: User, now: datetime) -> None:
    """Close the seeker's account (the caller has confirmed their password); committed.
    `client` (the gig queue) is needed only when the person registered for odd jobs."""
    profile = session.scalar(select(SeekerProfile).where(SeekerProfile.user_id == user.id))
    worker = (
        session.scalar(select(GigWorker).where(GigWorker.seeker_id == profile.id))
        if profile is not None
        else None
    )
    _refusal(session, user, profile, worker, now)
    if worker is not None:
        if client is None:
            raise ServiceUnavailable(QUEUE_DOWN)
        _stop_gig_worker(session, client, user, worker.id, now)
        # an offer accepted from another device meanwhile keeps the account open
        _refusal(session, user, profile, worker, now)
    if profile is not None:
        application_ids = session.scalars(
            select(Application.id).where(Application.seeker_id == profile.id)
        ).all()
        for job_id in session.scalars(
            select(Application.job_id).where(
                Application.seeker_id == profile.id,
                Application.status.in_(services.WITHDRAWABLE),
            )
        ).all():
            services.withdraw(session, profile, job_id, user_id=user.id)
        session.execute(
            update(BaseRecruit)
            .where(BaseRecruit.application_id.in_(application_ids))
            .values(person_name=CLOSED_NAME)
        )
        session.execute(delete(Invitation).where(Invitation.seeker_id == profile.id))
        session.execute(delete(PolicyDeclaration).where(PolicyDeclaration.seeker_id == profile.id))
        _clear(profile, worker)
    session.execute(
        update(GigRequest)
        .where(GigRequest.requester_user_id == user.id)
        .values(contact_name=None, contact_phone=None)
    )
    session.execute(
        update(Interaction)
        .where(Interaction.user_id == user.id)
        .values(user_id=None, session_id=None)
    )
    user.is_active = False
    user.phone = None
    user.username = f"closed-{user.id}"
    user.display_name = CLOSED_NAME
    user.password_hash = hash_password(secrets.token_urlsafe(32))
    session.commit()
    log.info("seeker account closed user_id=%s", user.id)
