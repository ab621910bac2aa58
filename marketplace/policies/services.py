"""Policy matching: load the policy file, match seekers to policies, record claims, find people.

Services take the session as an argument and flush; the caller commits. Dates are Asia/Shanghai
calendar dates (`local_today`); no personal data in logs beyond ids, except the audit lines that
say which staff member looked at whose phone number.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, select, true
from sqlalchemy.orm import Session

from marketplace.accounts.models import Role, User
from marketplace.database import utcnow
from marketplace.errors import Conflict, Forbidden, NotFound, ValidationError
from marketplace.policies import rules, spec
from marketplace.policies.models import ClaimStatus, Policy, PolicyClaim, PolicyDeclaration
from marketplace.seekers.models import SeekerProfile

log = logging.getLogger(__name__)
audit = logging.getLogger("jiuye.audit")

LOCAL_ZONE = ZoneInfo("Asia/Shanghai")
OPEN_CLAIMS = (ClaimStatus.APPLIED, ClaimStatus.APPROVED, ClaimStatus.PAID)
CLAIM_LABELS = {
    ClaimStatus.APPLIED: "已申请，待审核",
    ClaimStatus.APPROVED: "已审核通过",
    ClaimStatus.REJECTED: "未通过",
    ClaimStatus.PAID: "已发放",
}


def local_today(now: datetime | None = None) -> date:
    """The Asia/Shanghai calendar date of `now` (naive means UTC, as the database stores it)."""
    moment = now or datetime.now(UTC)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(LOCAL_ZONE).date()


# --- loading ------------------------------------------------------------------------------------


@dataclass
class LoadResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    # in the database but not in the file: kept (claims refer to them), reported
    not_in_file: list[str] = field(default_factory=list)


def _columns(item: spec.PolicySpec) -> dict[str, Any]:
    return {
        "name": item.name,
        "summary": item.summary,
        "side": item.side,
        "target": item.target,
        "amount": item.amount,
        "valid_from": item.valid_from,
        "valid_to": item.valid_to,
        "documents": list(item.documents),
        "office": item.office,
        "phone": item.phone,
        "rule": item.rule,
        "note": item.note,
    }


def load_policies(session: Session, specs: Sequence[spec.PolicySpec]) -> LoadResult:
    """Upsert the specs by code (idempotent: a second load of the same file changes nothing)."""
    existing = {policy.code: policy for policy in session.scalars(select(Policy))}
    result = LoadResult()
    for item in specs:
        values = _columns(item)
        policy = existing.get(item.code)
        if policy is None:
            session.add(Policy(code=item.code, **values))
            result.created.append(item.code)
        elif any(getattr(policy, key) != value for key, value in values.items()):
            for key, value in values.items():
                setattr(policy, key, value)
            result.updated.append(item.code)
        else:
            result.unchanged.append(item.code)
    codes = {item.code for item in specs}
    result.not_in_file = sorted(code for code in existing if code not in codes)
    session.flush()
    return result


def offered_policies(session: Session, day: date, side: str | None = None) -> list[Policy]:
    """The policies in force on `day` (both ends inclusive), optionally of one side."""
    query = select(Policy).where(Policy.valid_from <= day, Policy.valid_to >= day)
    if side is not None:
        query = query.where(Policy.side == side)
    return list(session.scalars(query.order_by(Policy.id)))


# --- matching -----------------------------------------------------------------------------------


class MatchStatus(StrEnum):
    ELIGIBLE = "eligible"
    MISSING = "missing"  # undecided: facts or proof documents are missing
    INELIGIBLE = "ineligible"


@dataclass(frozen=True)
class Match:
    policy: Policy
    status: MatchStatus
    amount: str  # in words, at the seeker's education tier where there is one
    missing: tuple[str, ...] = ()  # 毕业年份, 社保缴纳证明 ...
    failures: tuple[str, ...] = ()  # the unmet requirements, in Chinese
    claim: PolicyClaim | None = None

    @property
    def claimable(self) -> bool:
        """The seeker may press 我要申请: not refused by the rules and no open claim."""
        open_claim = self.claim is not None and self.claim.status in OPEN_CLAIMS
        return self.status is not MatchStatus.INELIGIBLE and not open_claim


def declared_facts(session: Session, seeker_ids: Iterable[int]) -> dict[int, dict[str, bool]]:
    ids = list(seeker_ids)
    found: dict[int, dict[str, bool]] = {seeker_id: {} for seeker_id in ids}
    if not ids:
        return found
    rows = session.scalars(select(PolicyDeclaration).where(PolicyDeclaration.seeker_id.in_(ids)))
    for row in rows:
        found[row.seeker_id][row.fact] = row.value
    return found


def facts_for(profile: SeekerProfile, declared: Mapping[str, bool], day: date) -> dict[str, Any]:
    return rules.seeker_facts(
        day=day,
        birth_date=profile.birth_date,
        education=profile.education,
        graduation_year=profile.graduation_year,
        target_groups=profile.target_groups,
        home_codes=(profile.home_county_code, profile.home_town_code, profile.home_village_code),
        declared=declared,
    )


def match(policy: Policy, facts: Mapping[str, Any], claim: PolicyClaim | None = None) -> Match:
    """One policy against one person's facts."""
    verdict = rules.evaluate(policy.rule, facts)
    amount = spec.amount_words(policy.amount, facts.get("education"))
    if verdict.value is True:
        return Match(policy, MatchStatus.ELIGIBLE, amount, claim=claim)
    if verdict.value is None:
        missing = rules.missing_words(verdict.unknown)
        return Match(policy, MatchStatus.MISSING, amount, missing=missing, claim=claim)
    return Match(policy, MatchStatus.INELIGIBLE, amount, failures=verdict.failures, claim=claim)


def latest_claims(session: Session, seeker_id: int) -> dict[int, PolicyClaim]:
    """The newest claim of each policy by this seeker, by policy id."""
    query = select(PolicyClaim).where(PolicyClaim.seeker_id == seeker_id)
    claims: dict[int, PolicyClaim] = {}
    for claim in session.scalars(query.order_by(PolicyClaim.applied_at, PolicyClaim.id)):
        claims[claim.policy_id] = claim
    return claims


def matches_for_seeker(session: Session, profile: SeekerProfile, day: date) -> list[Match]:
    """Every seeker-side policy in force on `day`, matched against this seeker: the 政策 page."""
    facts = facts_for(profile, declared_facts(session, [profile.id])[profile.id], day)
    claims = latest_claims(session, profile.id)
    found = [
        match(policy, facts, claims.get(policy.id))
        for policy in offered_policies(session, day, side="seeker")
    ]
    order = {MatchStatus.ELIGIBLE: 0, MatchStatus.MISSING: 1, MatchStatus.INELIGIBLE: 2}
    return sorted(found, key=lambda item: order[item.status])


def declare(session: Session, profile: SeekerProfile, values: Mapping[str, bool | None]) -> None:
    """Record what the seeker states about declared facts; None forgets a statement."""
    current = {
        row.fact: row
        for row in session.scalars(
            select(PolicyDeclaration).where(PolicyDeclaration.seeker_id == profile.id)
        )
    }
    for name, value in values.items():
        fact = rules.FACTS.get(name)
        if fact is None or fact.source != "declared":
            raise ValidationError(f"无法申报的情况：{name}")
        row = current.get(name)
        if value is None:
            if row is not None:
                session.delete(row)
        elif row is None:
            session.add(PolicyDeclaration(seeker_id=profile.id, fact=name, value=value))
        elif row.value != value:
            row.value = value
    session.flush()


def claim_policy(session: Session, profile: SeekerProfile, code: str, day: date) -> PolicyClaim:
    """Record a claim (status applied); refused when not offered, not eligible or already open."""
    policy = session.scalar(select(Policy).where(Policy.code == code))
    if (
        policy is None
        or policy.side != "seeker"
        or not spec.in_force(policy.valid_from, policy.valid_to, day)
    ):
        raise NotFound("该政策不存在或已过期")
    facts = facts_for(profile, declared_facts(session, [profile.id])[profile.id], day)
    result = match(policy, facts, latest_claims(session, profile.id).get(policy.id))
    if result.status is MatchStatus.INELIGIBLE:
        raise ValidationError("不符合申请条件：" + "；".join(result.failures))
    if not result.claimable:
        raise Conflict("您已申请过该政策，请等待经办机构审核")
    claim = PolicyClaim(seeker_id=profile.id, policy_id=policy.id, status=ClaimStatus.APPLIED)
    session.add(claim)
    session.flush()
    log.info("seeker %s claimed policy %s", profile.id, policy.code)
    return claim


# --- staff: the people a policy should find -----------------------------------------------------


def require_staff(actor: User) -> None:
    if actor.role != Role.STAFF:
        raise Forbidden("仅工作人员可以使用此功能")


def _seeker_scope(actor: User) -> ColumnElement[bool]:
    """City staff see every seeker; staff of a service point those whose home is under it."""
    point = actor.service_point
    if point is None:
        return true()
    column = {
        "county": SeekerProfile.home_county_code,
        "town": SeekerProfile.home_town_code,
    }.get(point.level, SeekerProfile.home_village_code)
    return column == point.place_code


@dataclass(frozen=True)
class Candidate:
    seeker: SeekerProfile
    phone: str | None  # the full number: templates and the CSV mask it
    missing: tuple[str, ...] = ()


@dataclass
class Outreach:
    """One policy's people: those who qualify today and those who may (facts missing)."""

    policy: Policy
    eligible: list[Candidate] = field(default_factory=list)
    possible: list[Candidate] = field(default_factory=list)


def outreach(session: Session, actor: User, day: date) -> list[Outreach]:
    """Per seeker-side policy in force, the seekers in the actor's area who have not claimed it.

    Every seeker in scope is evaluated in Python: rules are data, not SQL. At a city's tens of
    thousands of profiles this is a second or so; precompute per night if it ever hurts.
    """
    require_staff(actor)
    policies = offered_policies(session, day, side="seeker")
    rows = list(
        session.execute(
            select(SeekerProfile, User.phone)
            .outerjoin(User, User.id == SeekerProfile.user_id)
            .where(_seeker_scope(actor))
            .order_by(SeekerProfile.id)
        ).all()
    )
    seekers = [seeker for seeker, _ in rows]
    phones = {seeker.id: seeker.phone or account_phone for seeker, account_phone in rows}
    declared = declared_facts(session, [seeker.id for seeker in seekers])
    # any claim, even a refused one, means staff have already met this person over the policy
    claimed = {
        (seeker_id, policy_id)
        for seeker_id, policy_id in session.execute(
            select(PolicyClaim.seeker_id, PolicyClaim.policy_id)
        )
    }
    found = [Outreach(policy) for policy in policies]
    for seeker in seekers:
        facts = facts_for(seeker, declared[seeker.id], day)
        for entry in found:
            if (seeker.id, entry.policy.id) in claimed:
                continue
            result = match(entry.policy, facts)
            if result.status is MatchStatus.ELIGIBLE:
                entry.eligible.append(Candidate(seeker, phones[seeker.id]))
            elif result.status is MatchStatus.MISSING:
                entry.possible.append(Candidate(seeker, phones[seeker.id], result.missing))
    return found


def seeker_phone(session: Session, seeker: SeekerProfile) -> str | None:
    """The number to call: the profile's, else the seeker's account's."""
    if seeker.phone:
        return seeker.phone
    if seeker.user_id is None:
        return None
    return session.scalar(select(User.phone).where(User.id == seeker.user_id))


def reveal_phone(session: Session, actor: User, seeker_id: int, policy_code: str) -> str | None:
    """The full number of a seeker in the actor's area, written to the audit log."""
    require_staff(actor)
    seeker = session.scalar(
        select(SeekerProfile).where(SeekerProfile.id == seeker_id, _seeker_scope(actor))
    )
    if seeker is None:
        raise NotFound("没有找到该求职者，或其不在您的服务范围内")
    audit.info(
        "staff user %s viewed the phone of seeker %s (policy %s)", actor.id, seeker.id, policy_code
    )
    return seeker_phone(session, seeker)


def set_claim_status(session: Session, actor: User, claim_id: int, status: str) -> PolicyClaim:
    """Staff move a claim to approved, rejected or paid."""
    require_staff(actor)
    if status not in (ClaimStatus.APPROVED, ClaimStatus.REJECTED, ClaimStatus.PAID):
        raise ValidationError("无效的状态")
    claim = session.scalar(
        select(PolicyClaim)
        .join(SeekerProfile, SeekerProfile.id == PolicyClaim.seeker_id)
        .where(PolicyClaim.id == claim_id, _seeker_scope(actor))
    )
    if claim is None:
        raise NotFound("没有找到该申请，或其不在您的服务范围内")
    claim.status = status
    claim.decided_at = utcnow()
    claim.decided_by_id = actor.id
    session.flush()
    log.info("staff user %s set claim %s to %s", actor.id, claim.id, status)
    return claim


def open_claims(session: Session, actor: User) -> list[PolicyClaim]:
    """Claims in the actor's area still waiting for a decision or a payment, oldest first."""
    require_staff(actor)
    query = (
        select(PolicyClaim)
        .join(SeekerProfile, SeekerProfile.id == PolicyClaim.seeker_id)
        .where(
            PolicyClaim.status.in_((ClaimStatus.APPLIED, ClaimStatus.APPROVED)),
            _seeker_scope(actor),
        )
        .order_by(PolicyClaim.applied_at, PolicyClaim.id)
    )
    return list(session.scalars(query))
