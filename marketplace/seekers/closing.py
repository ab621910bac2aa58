"""注销账号: a seeker closes their own account online.

What identifies the person goes: the profile's name, phone, ID number, birth date, home and
wishes are cleared, invitations and policy declarations deleted, the interaction log no
longer names the account, and the account can never sign in again (its phone number is free
for a new one). What others rely on stays, without the person: applications still open are
withdrawn (the employer sees 求职者已撤回), odd-job offers still open are declined and the
registration paused; policy claims stay with the service office that decides them.
Refused while the person holds an odd job not yet over: they withdraw or finish it first.
"""

from __future__ import annotations

import logging
import secrets
from datetime import datetime

import redis
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from marketplace.accounts.models import User
from marketplace.accounts.passwords import hash_password, verify_password
from marketplace.errors import Conflict, ServiceUnavailable, ValidationError
from marketplace.gigs import records
from marketplace.gigs import services as gigs
from marketplace.gigs.models import GigOffer, GigWorker, OfferStatus
from marketplace.gigs.records import QUEUE_DOWN
from marketplace.interactions.models import Interaction
from marketplace.policies.models import PolicyDeclaration
from marketplace.seekers import services
from marketplace.seekers.models import Application, Invitation, SeekerProfile

log = logging.getLogger(__name__)

CLOSED_NAME = "已注销用户"


def _close_gig_worker(
    session: Session, client: redis.Redis, user: User, worker: GigWorker, now: datetime
) -> None:
    if records.booked_between(session, worker.id, now):
        raise Conflict("您还有已接、尚未结束的零工：请先在“零工”中退出或完工后再注销")
    open_offers = session.scalars(
        select(GigOffer.id).where(
            GigOffer.worker_id == worker.id,
            GigOffer.status == OfferStatus.OFFERED,
            GigOffer.expires_at > now,
        )
    ).all()
    session.rollback()
    for offer_id in open_offers:
        gigs.decline_offer(session, client, offer_id, actor=user, now=now)
    gigs.pause_worker(session, client, worker.id, actor=user, now=now)


def _clear(profile: SeekerProfile) -> None:
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


def close_account(
    session: Session, client: redis.Redis | None, user: User, password: str, now: datetime
) -> None:
    """Close the seeker's account (the password confirms it is them); committed. `client`
    (the gig queue) is needed only when the person registered for odd jobs."""
    if not verify_password(user.password_hash, password):
        raise ValidationError("密码不正确，账号未注销")
    profile = session.scalar(select(SeekerProfile).where(SeekerProfile.user_id == user.id))
    if profile is not None:
        worker = session.scalar(select(GigWorker).where(GigWorker.seeker_id == profile.id))
        if worker is not None:
            if client is None:
                raise ServiceUnavailable(QUEUE_DOWN)
            _close_gig_worker(session, client, user, worker, now)
        applications = session.scalars(
            select(Application.job_id).where(
                Application.seeker_id == profile.id,
                Application.status.in_(services.WITHDRAWABLE),
            )
        ).all()
        for job_id in applications:
            services.withdraw(session, profile, job_id, user_id=user.id)
        session.execute(delete(Invitation).where(Invitation.seeker_id == profile.id))
        session.execute(delete(PolicyDeclaration).where(PolicyDeclaration.seeker_id == profile.id))
        _clear(profile)
    session.execute(update(Interaction).where(Interaction.user_id == user.id).values(user_id=None))
    user.is_active = False
    user.phone = None
    user.username = f"closed-{user.id}"
    user.display_name = CLOSED_NAME
    user.password_hash = hash_password(secrets.token_urlsafe(32))
    session.commit()
    log.info("seeker account closed user_id=%s", user.id)
