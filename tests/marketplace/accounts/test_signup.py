"""Sign-up pages: seekers and employers, their inline errors, and what they create."""

from __future__ import annotations

from datetime import date

from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from marketplace.accounts.models import Role, User
from marketplace.employers.models import Employer, Verification
from marketplace.seekers.models import SeekerProfile
from tests.marketplace import factories as shared
from tests.marketplace.accounts import factories

SEEKER = {
    "name": "王海燕",
    "phone": "139 1234 5678",
    "password": "haiyan-2023-ok",
    "confirm": "haiyan-2023-ok",
    "agree": "y",
}


def _employer_form(**fields: str) -> dict[str, str]:
    form = {
        "employer_name": "威海海星水产有限公司",
        "credit_code": shared.credit_code(),
        "contact_name": "刘建国",
        "phone": "13812345678",
        "password": "haixing-2023-ok",
        "confirm": "haixing-2023-ok",
        "agree": "y",
    }
    form.update(fields)
    return form


def test_signup_page_offers_seeker_and_employer(client: FlaskClient) -> None:
    page = client.get("/signup").get_data(as_text=True)
    assert "我是求职者" in page
    assert "我是用人单位" in page


def test_a_seeker_signs_up_is_logged_in_and_saves_a_profile(
    client: FlaskClient, session: Session
) -> None:
    factories.weihai_places(session)
    session.commit()
    response = client.post("/signup/seeker", data=SEEKER)
    assert response.status_code == 302
    assert response.headers["Location"] == "/profile"

    page = client.get("/profile").get_data(as_text=True)
    assert "我的求职资料" in page
    assert "注册成功" in page
    assert "139****5678" in page
    assert "13912345678" not in page

    response = client.post(
        "/profile",
        data={
            "desired_job": "叉车司机",
            "skills": "叉车证，电焊, 叉车证",
            "education": "senior_high",
            "pay_min": "5000",
            "pay_max": "7000",
            "pay_unit": "month",
            "desired_kind": "full_time",
            "home_town": "371082001",
            "target_groups": ["migrant_worker", "youth_16_24"],
            "birth_date": "2004-05-20",
            "graduation_year": "2022",
        },
    )
    assert response.status_code == 302
    page = client.get("/profile").get_data(as_text=True)
    assert "求职资料已保存" in page
    assert "叉车司机" in page
    assert "5000–7000 元/月" in page
    assert "农民工" in page
    assert "<dt>学历</dt><dd>高中</dd>" in page
    assert "<dt>毕业年份</dt><dd>2022 年</dd>" in page
    assert "<dt>出生日期</dt><dd>2004-05-20</dd>" in page

    user = session.scalars(select(User).where(User.phone == "13912345678")).one()
    assert user.role == Role.SEEKER
    assert user.password_hash.startswith("$argon2id$")
    assert "haiyan-2023-ok" not in user.password_hash
    profile = session.scalars(select(SeekerProfile).where(SeekerProfile.user_id == user.id)).one()
    assert profile.skills == "叉车证,电焊"
    assert profile.education == "senior_high"
    assert profile.home_town_code == "371082001"
    assert profile.home_county_code == "371082"
    assert profile.target_groups == ["migrant_worker", "youth_16_24"]
    # what the age and graduate policies need
    assert profile.birth_date == date(2004, 5, 20)
    assert profile.graduation_year == 2022
    # the recommendation box was left unticked: employers will not be shown this seeker
    assert profile.open_to_employers is False
    assert "<dt>推荐给招聘单位</dt><dd>不允许</dd>" in page

    client.post("/profile", data={"pay_unit": "month", "open_to_employers": "y"})
    session.refresh(profile)
    assert profile.open_to_employers is True
    assert "<dt>推荐给招聘单位</dt><dd>允许（隐去姓名）</dd>" in client.get("/profile").get_data(
        as_text=True
    )


def test_seeker_signup_shows_inline_errors_and_creates_nothing(
    client: FlaskClient, session: Session
) -> None:
    form = dict(SEEKER, phone="1234", confirm="something-else", agree="")
    response = client.post("/signup/seeker", data=form)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "请输入 11 位手机号码" in page
    assert "两次输入的密码不一致" in page
    assert "请阅读并同意" in page
    assert session.scalar(select(func.count()).select_from(User)) == 0


def test_a_phone_already_registered_is_refused(client: FlaskClient, session: Session) -> None:
    factories.user(session, phone="13912345678")
    session.commit()
    page = client.post("/signup/seeker", data=SEEKER).get_data(as_text=True)
    assert "该手机号已注册" in page
    assert session.scalar(select(func.count()).select_from(User)) == 1


def test_a_bad_credit_code_shows_the_checkers_message_and_creates_nothing(
    client: FlaskClient, session: Session
) -> None:
    good = shared.credit_code()
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    response = client.post("/signup/employer", data=_employer_form(credit_code=bad))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "统一社会信用代码校验位不正确" in page
    assert 'aria-invalid="true"' in page
    assert session.scalar(select(func.count()).select_from(Employer)) == 0
    assert session.scalar(select(func.count()).select_from(User)) == 0


def test_a_valid_employer_signup_creates_a_pending_employer(
    client: FlaskClient, session: Session
) -> None:
    code = shared.credit_code()
    response = client.post("/signup/employer", data=_employer_form(credit_code=code.lower()))
    assert response.status_code == 302
    employer = session.scalars(select(Employer)).one()
    assert employer.credit_code == code
    assert employer.verification == Verification.PENDING
    assert not employer.imported
    user = session.scalars(select(User)).one()
    assert (user.role, user.employer_id, user.display_name) == (
        Role.EMPLOYER,
        employer.id,
        "刘建国",
    )
    page = client.get("/profile").get_data(as_text=True)
    assert "威海海星水产有限公司" in page
    assert "审核中" in page
    assert "138****5678" in page


def test_a_registered_credit_code_is_refused_with_a_clear_message(
    client: FlaskClient, session: Session
) -> None:
    taken = shared.employer(session)
    session.commit()
    page = client.post(
        "/signup/employer", data=_employer_form(credit_code=taken.credit_code or "")
    ).get_data(as_text=True)
    assert "该统一社会信用代码已注册" in page
    assert session.scalar(select(func.count()).select_from(Employer)) == 1
    assert session.scalar(select(func.count()).select_from(User)) == 0


def test_user_text_is_escaped_on_the_profile(client: FlaskClient) -> None:
    client.post("/signup/seeker", data=dict(SEEKER, name="<script>alert(1)</script>"))
    page = client.get("/profile").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_a_pay_that_is_not_a_number_is_refused_on_the_profile(
    client: FlaskClient, session: Session
) -> None:
    client.post("/signup/seeker", data=SEEKER)
    for amount in ("nan", "-inf"):
        response = client.post(
            "/profile",
            data={"pay_min": amount, "pay_max": "7000", "pay_unit": "month"},
        )
        assert response.status_code == 200, amount  # the form again, with its errors
        assert "请输入数字金额" in response.get_data(as_text=True)
    profile = session.scalars(select(SeekerProfile)).one()
    assert profile.expected_pay_min is None


def test_the_agreement_and_privacy_policy_are_pages_the_signup_links_to(
    client: FlaskClient,
) -> None:
    for page in ("/signup/seeker", "/signup/employer"):
        html = client.get(page).get_data(as_text=True)
        assert 'href="/terms"' in html
        assert 'href="/privacy"' in html
    terms = client.get("/terms")
    assert terms.status_code == 200
    assert "用户服务协议" in terms.get_data(as_text=True)
    privacy = client.get("/privacy").get_data(as_text=True)
    assert "隐私政策" in privacy
    assert "推荐人选" in privacy
