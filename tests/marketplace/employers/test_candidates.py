"""Recommended candidates: a small explainable ranking, names masked, no contact details."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from indexer.salary import Salary, SalaryUnit
from marketplace.employers.applicants import mask_name, recommended_candidates
from tests.marketplace import factories as shared
from tests.marketplace.accounts import factories
from tests.marketplace.employers.conftest import Account
from tests.marketplace.employers.helpers import application, seeker


def test_names_are_masked_to_the_family_name() -> None:
    assert mask_name("王小明") == "王**"
    assert mask_name("欧阳") == "欧**"
    assert mask_name("") == "**"


def test_candidates_are_ranked_by_occupation_skills_county_and_pay(
    signed_in: FlaskClient, session: Session, account: Account
) -> None:
    factories.weihai_places(session)
    job = shared.job(
        session,
        employer=account.employer,
        title="叉车司机",
        occupation_code="6-30-05-01",
        occupation_name="起重装卸机械操作工",
        skills="叉车证,仓库管理",
        county_code="371082",
        salary=Salary(min=5000, max=7000, unit=SalaryUnit.MONTH),
    )
    best = seeker(
        session,
        name="王小明",
        phone="13911112222",
        desired_job="叉车司机",
        desired_occupation_code="6-30-05-01",
        skills="叉车证,电焊",
        home_county_code="371082",
        expected_pay_min=6000,
        expected_pay_unit="month",
    )
    skills_only = seeker(session, name="李四", desired_job="仓管", skills="仓库管理")
    seeker(session, name="赵六", desired_job="厨师", skills="面点", home_county_code="371082")
    applied = seeker(session, name="孙七", desired_job="叉车司机")
    application(session, job, applied)
    session.commit()

    ranked = recommended_candidates(session, job)
    assert [candidate.profile.id for candidate in ranked] == [best.id, skills_only.id]
    assert ranked[0].reasons == [
        "期望职业与本职位一致（起重装卸机械操作工）",
        "期望职位：叉车司机",
        "具备技能：叉车证",
        "家在本区县",
        "期望薪资在本职位薪资范围内",
    ]

    page = signed_in.get(f"/employer/jobs/{job.id}/candidates").get_data(as_text=True)
    assert "王**" in page
    assert "王小明" not in page
    assert "13911112222" not in page
    assert "孙" not in page  # already applied: in the applicants list instead
    assert "推荐理由" in page


def test_at_most_twenty_candidates_are_shown(session: Session, account: Account) -> None:
    job = shared.job(session, employer=account.employer, title="焊工", skills="电焊")
    for _ in range(25):
        seeker(session, with_account=False, desired_job="焊工")
    session.commit()
    assert len(recommended_candidates(session, job)) == 20
