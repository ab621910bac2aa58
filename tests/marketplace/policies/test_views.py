"""The policy pages: the seeker's list and claim, the public list, the staff outreach list."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from marketplace.accounts.models import Role
from marketplace.policies.models import ClaimStatus, PolicyClaim, PolicyDeclaration
from tests.marketplace.accounts import factories as accounts
from tests.marketplace.policies.conftest import (
    account,
    add_policies,
    policy_entry,
    seeker,
    sign_in,
    today,
)


def current_and_expired(session: Session) -> None:
    """A current policy for graduates, and one that ended yesterday (Shanghai date)."""
    day = today()
    add_policies(
        session,
        policy_entry(
            code="living",
            name="高校毕业生生活津贴",
            valid_from=(day - timedelta(days=30)).isoformat(),
            valid_to=day.isoformat(),  # its last day: still offered
        ),
        policy_entry(
            code="ended",
            name="已到期的补贴",
            valid_from="2023-01-01",
            valid_to=(day - timedelta(days=1)).isoformat(),
        ),
        policy_entry(
            code="firm-side",
            name="吸纳高校毕业生社保补贴",
            side="employer",
            amount={"unit": "month", "description": "全额补贴单位缴纳部分"},
        ),
    )


def client_for(app: Flask, session: Session, role: Role = Role.STAFF) -> FlaskClient:
    user = accounts.user(session, role=role)
    session.commit()
    client = app.test_client()
    sign_in(client, user)
    return client


def test_a_seeker_sees_what_they_may_claim_with_amounts_and_not_expired_ones(
    app: Flask, client: FlaskClient, session: Session
) -> None:
    current_and_expired(session)
    profile = seeker(session, target_groups=["graduate"], education="doctorate")
    session.commit()
    sign_in(client, account(session, profile))
    page = client.get("/policies/").get_data(as_text=True)
    assert "高校毕业生生活津贴" in page
    assert "每月 5000 元（博士）" in page
    assert "居民身份证、毕业证书" in page
    assert "威海市就业人才中心（电话 12333）" in page
    assert f'至 <time datetime="{today().isoformat()}">' in page
    assert "我要申请" in page
    assert "已到期的补贴" not in page
    assert "吸纳高校毕业生社保补贴" not in page  # employer-side


def test_the_profile_page_lists_the_policies_and_what_is_missing(
    client: FlaskClient, session: Session
) -> None:
    add_policies(
        session,
        policy_entry(code="grads", name="返乡留威一次性补贴"),
        policy_entry(
            code="insured",
            name="社保相关补贴",
            rule={"field": "employer.social_insurance", "op": "==", "value": True},
        ),
        policy_entry(
            code="vets",
            name="退役军人专项",
            rule={"field": "target_groups", "op": "contains", "value": "veteran"},
        ),
    )
    profile = seeker(session, target_groups=["graduate"], education="bachelor")
    session.commit()
    sign_in(client, account(session, profile))
    page = client.get("/profile").get_data(as_text=True)
    assert "我可以申请的政策" in page
    assert "返乡留威一次性补贴" in page
    assert "缺少：社保缴纳证明" in page
    assert "退役军人专项" not in page


def test_the_profile_include_is_silent_for_a_seeker_without_a_profile(
    client: FlaskClient, session: Session
) -> None:
    user = accounts.user(session, role=Role.SEEKER)
    session.commit()
    sign_in(client, user)
    page = client.get("/profile")
    assert page.status_code == 200
    assert "我可以申请的政策" not in page.get_data(as_text=True)
    assert "请先" in client.get("/policies/").get_data(as_text=True)


def test_claiming_records_the_claim_and_the_staff_list_drops_the_seeker(
    app: Flask, client: FlaskClient, session: Session
) -> None:
    current_and_expired(session)
    profile = seeker(session, name="孙晓梅", target_groups=["graduate"], phone="13900003333")
    staff = client_for(app, session)
    page = staff.get("/policies/staff").get_data(as_text=True)
    assert "孙晓梅" in page
    assert "139****3333" in page
    assert "13900003333" not in page
    assert "已到期的补贴" not in page

    sign_in(client, account(session, profile))
    response = client.post("/policies/living/claim")
    assert response.status_code == 303
    claim = session.scalar(select(PolicyClaim).where(PolicyClaim.seeker_id == profile.id))
    assert claim is not None
    assert claim.status == ClaimStatus.APPLIED
    assert "已申请，待审核" in client.get("/policies/").get_data(as_text=True)
    assert client.post("/policies/living/claim").status_code == 409

    page = staff.get("/policies/staff").get_data(as_text=True)
    outreach, _, claims = page.partition("待处理的申请")
    assert "孙晓梅" not in outreach
    assert "孙晓梅" in claims
    response = staff.post(f"/policies/staff/claims/{claim.id}", data={"status": "approved"})
    assert response.status_code == 303
    session.refresh(claim)
    assert claim.status == ClaimStatus.APPROVED


def test_an_expired_policy_cannot_be_claimed(client: FlaskClient, session: Session) -> None:
    current_and_expired(session)
    profile = seeker(session, target_groups=["graduate"])
    session.commit()
    sign_in(client, account(session, profile))
    assert client.post("/policies/ended/claim").status_code == 404
    assert session.scalar(select(PolicyClaim)) is None


def test_a_seeker_who_does_not_qualify_cannot_claim(client: FlaskClient, session: Session) -> None:
    current_and_expired(session)
    profile = seeker(session, target_groups=["migrant_worker"])
    session.commit()
    sign_in(client, account(session, profile))
    page = client.get("/policies/").get_data(as_text=True)
    assert "为什么不符合" in page
    assert "要求属于高校毕业生" in page
    assert client.post("/policies/living/claim").status_code == 400


def test_declaring_a_fact_updates_what_the_seeker_may_claim(
    client: FlaskClient, session: Session
) -> None:
    add_policies(
        session,
        policy_entry(
            code="flex",
            name="灵活就业意外伤害保险补贴",
            amount={"unit": "year", "up_to": 100},
            rule={"field": "flexible_employment", "op": "==", "value": True},
        ),
    )
    profile = seeker(session)
    session.commit()
    sign_in(client, account(session, profile))
    assert "缺少：平台从业证明" in client.get("/policies/").get_data(as_text=True)
    response = client.post("/policies/declare", data={"flexible_employment": "yes"})
    assert response.status_code == 303
    page = client.get("/policies/").get_data(as_text=True)
    assert "可以申请（1）" in page
    assert "每年最高 100 元" in page
    declaration = session.scalar(select(PolicyDeclaration))
    assert declaration is not None
    assert declaration.value is True
    assert (
        client.post("/policies/declare", data={"flexible_employment": "maybe"}).status_code == 400
    )


def test_the_public_list_shows_current_policies_without_personal_data(
    client: FlaskClient, session: Session
) -> None:
    current_and_expired(session)
    seeker(session, name="周立新", target_groups=["graduate"])
    session.commit()
    page = client.get("/policies/all").get_data(as_text=True)
    assert "高校毕业生生活津贴" in page
    assert "每月：博士 5000 元 / 硕士 2000 元 / 本科 1000 元" in page
    assert "单位申领" in page
    assert "吸纳高校毕业生社保补贴" in page
    assert "已到期的补贴" not in page
    assert "周立新" not in page


def test_staff_pages_are_for_staff_only(app: Flask, client: FlaskClient, session: Session) -> None:
    assert client.get("/policies/staff").status_code == 302  # to the login page
    seeker_client = client_for(app, session, Role.SEEKER)
    assert seeker_client.get("/policies/staff").status_code == 403
    assert seeker_client.get("/policies/staff.csv").status_code == 403
    assert seeker_client.post("/policies/staff/phone", data={"seeker_id": "1"}).status_code == 403
    employer_client = client_for(app, session, Role.EMPLOYER)
    assert employer_client.get("/policies/staff").status_code == 403
    staff = client_for(app, session)
    assert staff.get("/policies/").status_code == 403  # the seeker page is for seekers


def test_the_csv_has_names_and_masked_numbers(app: Flask, session: Session) -> None:
    current_and_expired(session)
    seeker(session, name="陈静", target_groups=["graduate"], phone="13900004444")
    staff = client_for(app, session)
    response = staff.get("/policies/staff.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff政策编码,政策,类别,求职者编号,姓名,手机号,缺少")
    assert "living,高校毕业生生活津贴,符合条件" in text
    assert "陈静,139****4444" in text
    assert "13900004444" not in text


def test_staff_see_a_full_number_on_request(app: Flask, session: Session) -> None:
    profile = seeker(session, name="陈静", phone="13900005555")
    staff = client_for(app, session)
    response = staff.post(
        "/policies/staff/phone", data={"seeker_id": str(profile.id), "policy": "living"}
    )
    assert response.status_code == 200
    assert "13900005555" in response.get_data(as_text=True)
    assert staff.post("/policies/staff/phone", data={"seeker_id": "x"}).status_code == 400
    assert staff.post("/policies/staff/phone", data={"seeker_id": "999999"}).status_code == 404


def test_a_seeker_without_a_profile_is_sent_to_fill_it_in(
    client: FlaskClient, session: Session
) -> None:
    add_policies(session, policy_entry(code="grads"))
    user = accounts.user(session, role=Role.SEEKER)
    session.commit()
    sign_in(client, user)
    for path in ("/policies/grads/claim", "/policies/declare"):
        response = client.post(path, data={"starting_business": "yes"})
        assert response.status_code == 302
        assert response.headers["Location"].endswith("/profile")
    assert session.scalar(select(PolicyClaim)) is None
