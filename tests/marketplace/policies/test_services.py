"""Policy services on a real database: loading, dates, matching, declarations, claims, outreach."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from marketplace.accounts.models import Role
from marketplace.errors import Conflict, Forbidden, NotFound, ValidationError
from marketplace.places.models import ServicePoint
from marketplace.policies import services, spec
from marketplace.policies.models import ClaimStatus, Policy, PolicyClaim, PolicyDeclaration
from marketplace.policies.services import MatchStatus
from tests.marketplace.accounts import factories as accounts
from tests.marketplace.policies.conftest import add_policies, policy_entry, seeker

DAY = date(2026, 6, 1)
TOWN = "371082001"  # a town of 荣成市
OTHER_TOWN = "371083001"  # a town of 乳山市


@pytest.mark.postgres
def test_loading_the_built_in_file_twice_changes_nothing_the_second_time(
    session: Session,
) -> None:
    specs = spec.read_file(spec.BUILTIN_FILE)
    first = services.load_policies(session, specs)
    session.commit()
    assert len(first.created) == len(specs) == 9
    second = services.load_policies(session, specs)
    session.commit()
    assert second.created == second.updated == []
    assert len(second.unchanged) == 9
    assert session.scalar(select(func.count()).select_from(Policy)) == 9


@pytest.mark.postgres
def test_loading_updates_by_code_and_keeps_policies_missing_from_the_file(
    session: Session,
) -> None:
    add_policies(session, policy_entry(code="kept"), policy_entry(code="changed"))
    session.commit()
    result = services.load_policies(
        session, spec.parse({"policies": [policy_entry(code="changed", valid_to="2027-06-30")]})
    )
    session.commit()
    assert result.updated == ["changed"]
    assert result.not_in_file == ["kept"]
    changed = session.scalar(select(Policy).where(Policy.code == "changed"))
    assert changed is not None
    assert changed.valid_to == date(2027, 6, 30)


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("day", "offered"),
    [
        (date(2024, 12, 31), False),  # the day before valid_from
        (date(2025, 1, 1), True),  # valid_from
        (date(2025, 12, 31), True),  # valid_to
        (date(2026, 1, 1), False),  # the day after valid_to
    ],
)
def test_a_policy_is_offered_from_its_first_to_its_last_day(
    session: Session, day: date, offered: bool
) -> None:
    (policy,) = add_policies(
        session, policy_entry(code="window", valid_from="2025-01-01", valid_to="2025-12-31")
    )
    session.commit()
    assert (policy in services.offered_policies(session, day)) is offered
    profile = seeker(session, target_groups=["graduate"])
    codes = [item.policy.code for item in services.matches_for_seeker(session, profile, day)]
    assert ("window" in codes) is offered


@pytest.mark.parametrize(
    ("now", "day"),
    [
        (datetime(2026, 11, 26, 15, 59, 59, tzinfo=UTC), date(2026, 11, 26)),
        (datetime(2026, 11, 26, 16, 0, 0, tzinfo=UTC), date(2026, 11, 27)),  # Shanghai midnight
        (datetime(2026, 11, 26, 16, 0, 0), date(2026, 11, 27)),  # naive is UTC
        (datetime(2026, 11, 27, 0, 30, tzinfo=timezone(timedelta(hours=8))), date(2026, 11, 27)),
    ],
)
def test_the_policy_date_is_the_shanghai_calendar_date(now: datetime, day: date) -> None:
    assert services.local_today(now) == day


def test_an_expired_policy_is_not_offered_to_a_seeker(session: Session) -> None:
    add_policies(
        session,
        policy_entry(code="current"),
        policy_entry(code="expired", valid_from="2023-01-01", valid_to="2025-12-31"),
    )
    profile = seeker(session, target_groups=["graduate"])
    day = date(2026, 11, 26)
    codes = {item.policy.code for item in services.matches_for_seeker(session, profile, day)}
    assert codes == {"current"}
    with pytest.raises(NotFound):
        services.claim_policy(session, profile, "expired", day)


def test_matches_come_eligible_first_with_amounts_at_the_seekers_tier(session: Session) -> None:
    add_policies(
        session,
        policy_entry(code="for-youth", rule={"field": "age", "op": "between", "value": [16, 24]}),
        policy_entry(code="for-grads"),
        policy_entry(
            code="for-veterans",
            rule={"field": "target_groups", "op": "contains", "value": "veteran"},
        ),
    )
    profile = seeker(session, target_groups=["graduate"], education="master")
    matches = services.matches_for_seeker(session, profile, DAY)
    assert [(m.policy.code, m.status) for m in matches] == [
        ("for-grads", MatchStatus.ELIGIBLE),
        ("for-youth", MatchStatus.MISSING),
        ("for-veterans", MatchStatus.INELIGIBLE),
    ]
    assert matches[0].amount == "每月 2000 元（硕士）"
    assert matches[1].missing == ("出生日期",)
    assert matches[2].failures == ("要求属于退役军人，您的资料中未选择该人群",)


def test_declarations_are_set_changed_and_forgotten(session: Session) -> None:
    add_policies(
        session,
        policy_entry(code="flex", rule={"field": "flexible_employment", "op": "==", "value": True}),
    )
    profile = seeker(session)
    status = lambda: services.matches_for_seeker(session, profile, DAY)[0].status  # noqa: E731
    assert status() is MatchStatus.MISSING
    services.declare(session, profile, {"flexible_employment": True})
    assert status() is MatchStatus.ELIGIBLE
    services.declare(session, profile, {"flexible_employment": False})
    assert status() is MatchStatus.INELIGIBLE
    services.declare(session, profile, {"flexible_employment": None})
    assert status() is MatchStatus.MISSING
    assert session.scalar(select(func.count()).select_from(PolicyDeclaration)) == 0
    with pytest.raises(ValidationError):
        services.declare(session, profile, {"age": True})


def test_a_claim_is_recorded_once_and_refused_when_not_eligible(session: Session) -> None:
    add_policies(
        session,
        policy_entry(code="grads"),
        policy_entry(
            code="vets", rule={"field": "target_groups", "op": "contains", "value": "veteran"}
        ),
        policy_entry(code="firms", side="employer"),
    )
    profile = seeker(session, target_groups=["graduate"])
    claim = services.claim_policy(session, profile, "grads", DAY)
    assert claim.status == ClaimStatus.APPLIED
    with pytest.raises(Conflict):
        services.claim_policy(session, profile, "grads", DAY)
    with pytest.raises(ValidationError, match="不符合申请条件"):
        services.claim_policy(session, profile, "vets", DAY)
    with pytest.raises(NotFound):
        services.claim_policy(session, profile, "firms", DAY)
    with pytest.raises(NotFound):
        services.claim_policy(session, profile, "no-such-policy", DAY)
    (match,) = [m for m in services.matches_for_seeker(session, profile, DAY) if m.claim]
    assert not match.claimable


def test_a_seeker_may_claim_again_after_a_refusal(session: Session) -> None:
    add_policies(session, policy_entry(code="grads"))
    staff = accounts.user(session, role=Role.STAFF)
    profile = seeker(session, target_groups=["graduate"])
    claim = services.claim_policy(session, profile, "grads", DAY)
    services.set_claim_status(session, staff, claim.id, ClaimStatus.REJECTED)
    assert claim.decided_by_id == staff.id
    assert claim.decided_at is not None
    again = services.claim_policy(session, profile, "grads", DAY)
    assert again.id != claim.id


def test_a_seeker_with_facts_missing_may_still_claim(session: Session) -> None:
    add_policies(
        session,
        policy_entry(
            code="insured", rule={"field": "employer.social_insurance", "op": "==", "value": True}
        ),
    )
    profile = seeker(session)
    assert services.claim_policy(session, profile, "insured", DAY).status == ClaimStatus.APPLIED


def test_outreach_lists_who_qualifies_and_drops_them_once_they_claim(session: Session) -> None:
    add_policies(
        session,
        policy_entry(code="grads"),
        policy_entry(
            code="youth",
            rule={
                "all": [
                    {"field": "target_groups", "op": "contains", "value": "youth_16_24"},
                    {"field": "age", "op": "between", "value": [16, 24]},
                ]
            },
        ),
    )
    staff = accounts.user(session, role=Role.STAFF)
    grad = seeker(session, name="张明", target_groups=["graduate"], phone="13900001111")
    youth = seeker(session, name="刘洋", target_groups=["youth_16_24"])
    seeker(session, name="赵刚", target_groups=[])
    found = {entry.policy.code: entry for entry in services.outreach(session, staff, DAY)}
    assert [c.seeker.id for c in found["grads"].eligible] == [grad.id]
    assert found["grads"].eligible[0].phone == "13900001111"
    assert found["youth"].eligible == []
    assert [(c.seeker.id, c.missing) for c in found["youth"].possible] == [
        (youth.id, ("出生日期",))
    ]
    # the account's number stands in when the profile has none
    assert found["youth"].possible[0].phone is not None
    services.claim_policy(session, grad, "grads", DAY)
    found = {entry.policy.code: entry for entry in services.outreach(session, staff, DAY)}
    assert found["grads"].eligible == []


def test_outreach_is_for_staff_and_only_for_their_area(session: Session) -> None:
    accounts.weihai_places(session)
    add_policies(session, policy_entry(code="grads"))
    point = ServicePoint(name="宁津街道便民服务中心", level="town", place_code=TOWN)
    session.add(point)
    session.flush()
    town_staff = accounts.user(session, role=Role.STAFF, service_point_id=point.id)
    city_staff = accounts.user(session, role=Role.STAFF)
    here = seeker(session, target_groups=["graduate"], home_town_code=TOWN)
    there = seeker(session, target_groups=["graduate"], home_town_code=OTHER_TOWN)
    (entry,) = services.outreach(session, town_staff, DAY)
    assert [c.seeker.id for c in entry.eligible] == [here.id]
    (entry,) = services.outreach(session, city_staff, DAY)
    assert {c.seeker.id for c in entry.eligible} == {here.id, there.id}
    with pytest.raises(NotFound):
        services.reveal_phone(session, town_staff, there.id, "grads")
    with pytest.raises(Forbidden):
        services.outreach(session, accounts.user(session, role=Role.SEEKER), DAY)


def test_revealing_a_phone_is_written_to_the_audit_log(
    session: Session, caplog: pytest.LogCaptureFixture
) -> None:
    staff = accounts.user(session, role=Role.STAFF)
    profile = seeker(session, phone="13900002222")
    with caplog.at_level(logging.INFO, logger="jiuye.audit"):
        assert services.reveal_phone(session, staff, profile.id, "grads") == "13900002222"
    (record,) = [r for r in caplog.records if r.name == "jiuye.audit"]
    assert record.getMessage() == (
        f"staff user {staff.id} viewed the phone of seeker {profile.id} (policy grads)"
    )
    assert "13900002222" not in record.getMessage()


def test_claim_decisions_are_staff_only_and_checked(session: Session) -> None:
    add_policies(session, policy_entry(code="grads"))
    staff = accounts.user(session, role=Role.STAFF)
    profile = seeker(session, target_groups=["graduate"])
    claim = services.claim_policy(session, profile, "grads", DAY)
    assert services.open_claims(session, staff) == [claim]
    with pytest.raises(ValidationError):
        services.set_claim_status(session, staff, claim.id, ClaimStatus.APPLIED)
    with pytest.raises(NotFound):
        services.set_claim_status(session, staff, claim.id + 99, ClaimStatus.PAID)
    with pytest.raises(Forbidden):
        services.set_claim_status(session, accounts.user(session), claim.id, ClaimStatus.PAID)
    services.set_claim_status(session, staff, claim.id, ClaimStatus.PAID)
    assert services.open_claims(session, staff) == []
    assert session.scalar(select(PolicyClaim.status)) == ClaimStatus.PAID
