"""Account services on the database: sign-up, claiming imports, authentication, profiles."""

from __future__ import annotations

from datetime import date

import pytest
from argon2 import PasswordHasher
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from marketplace.accounts import services
from marketplace.accounts.models import Role, User
from marketplace.employers.models import Employer, Verification
from marketplace.errors import Conflict, ValidationError
from marketplace.seekers.models import SeekerProfile
from tests.marketplace import factories as shared
from tests.marketplace.accounts import factories

pytestmark = pytest.mark.postgres

PASSWORD = factories.PASSWORD


def _employer(session: Session, **fields: str) -> User:
    values = {
        "employer_name": "威海蓝海船舶配套有限公司",
        "credit_code": shared.credit_code(),
        "contact_name": "张伟",
        "phone": "13612345678",
        "password": "lanhai-2023-ok",
    }
    values.update(fields)
    return services.register_employer(session, **values)


def test_a_seeker_is_stored_with_a_normalised_phone_and_an_argon2id_hash(
    session: Session,
) -> None:
    user = services.register_seeker(
        session, name="王海燕", phone="+86 139-1234-5678", password="haiyan-2023-ok"
    )
    session.commit()
    assert (user.username, user.phone, user.role) == ("13912345678", "13912345678", Role.SEEKER)
    assert user.password_hash.startswith("$argon2id$")
    assert "haiyan-2023-ok" not in user.password_hash
    profile = session.scalars(select(SeekerProfile)).one()
    assert (profile.user_id, profile.name, profile.phone) == (user.id, "王海燕", "13912345678")


def test_a_short_password_is_refused(session: Session) -> None:
    with pytest.raises(ValidationError, match="至少 8 位"):
        services.register_seeker(session, name="李强", phone="13912345678", password="short")


def test_a_phone_that_is_someone_elses_username_is_taken(session: Session) -> None:
    factories.user(session, Role.STAFF, username="13912345678", phone=None)
    with pytest.raises(services.PhoneTaken):
        services.register_seeker(session, name="李强", phone="13912345678", password=PASSWORD)


def test_an_employer_registers_pending_verification(session: Session) -> None:
    user = _employer(session)
    session.commit()
    employer = session.get(Employer, user.employer_id)
    assert employer is not None
    assert employer.verification == Verification.PENDING
    assert (employer.name, employer.imported) == ("威海蓝海船舶配套有限公司", False)


def test_a_malformed_credit_code_is_a_validation_error(session: Session) -> None:
    with pytest.raises(ValidationError, match="18 位"):
        _employer(session, credit_code="91371000123")
    assert session.scalar(select(func.count()).select_from(Employer)) == 0


def test_a_registered_credit_code_is_a_conflict(session: Session) -> None:
    taken = shared.employer(session)
    with pytest.raises(Conflict, match="已注册"):
        _employer(session, credit_code=taken.credit_code or "")


def test_an_imported_employer_with_the_same_code_is_claimed(session: Session) -> None:
    imported = shared.employer(
        session, name="荣成海带加工厂", imported=True, verification=Verification.UNVERIFIED
    )
    user = _employer(session, credit_code=imported.credit_code or "")
    assert user.employer_id == imported.id
    assert imported.verification == Verification.PENDING
    assert session.scalar(select(func.count()).select_from(Employer)) == 1


def test_an_imported_employer_with_the_same_name_is_claimed(session: Session) -> None:
    imported = shared.employer(
        session,
        name="威海蓝海船舶配套有限公司",
        credit_code=None,
        imported=True,
        verification=Verification.UNVERIFIED,
    )
    code = shared.credit_code()
    user = _employer(session, credit_code=code)
    assert user.employer_id == imported.id
    assert (imported.credit_code, imported.verification) == (code, Verification.PENDING)
    # a second account cannot claim it again: it now has a code and an owner
    with pytest.raises(Conflict):
        _employer(session, credit_code=code, phone="13512345678")


def test_a_verified_employer_of_the_same_name_is_not_claimed(session: Session) -> None:
    shared.employer(session, name="威海蓝海船舶配套有限公司", credit_code=None)
    user = _employer(session)
    assert session.scalar(select(func.count()).select_from(Employer)) == 2
    assert user.employer is not None
    assert user.employer.verification == Verification.PENDING


def test_authenticate_by_phone_or_username_and_records_the_time(session: Session) -> None:
    user = factories.user(session, phone="13912345678", username="haiyan")
    assert services.authenticate(session, "haiyan", PASSWORD) is user
    assert services.authenticate(session, "139 1234 5678", PASSWORD) is user
    assert user.last_login_at is not None
    assert services.authenticate(session, "haiyan", "wrong-password") is None
    assert services.authenticate(session, "nobody", PASSWORD) is None


def test_an_inactive_account_is_refused_only_after_the_right_password(
    session: Session,
) -> None:
    factories.user(session, phone="13912345678", is_active=False)
    assert services.authenticate(session, "13912345678", "wrong-password") is None
    with pytest.raises(services.InactiveAccount):
        services.authenticate(session, "13912345678", PASSWORD)


def test_a_weak_hash_is_upgraded_at_login(session: Session) -> None:
    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(PASSWORD)
    user = factories.user(session, phone="13912345678")
    user.password_hash = weak
    assert services.authenticate(session, "13912345678", PASSWORD) is user
    assert user.password_hash != weak
    assert not services.needs_rehash(user.password_hash)


def test_a_profile_is_saved_with_codes_and_the_towns_county(session: Session) -> None:
    factories.weihai_places(session)
    user = factories.user(session)
    changes = services.ProfileChanges(
        desired_job="电焊工",
        skills=services.split_skills("电焊, 气割，电焊、Excel"),
        education="secondary_vocational",
        expected_pay_min=200,
        expected_pay_max=300,
        expected_pay_unit="day",
        desired_kind="odd_job",
        home_town_code="371003001",
        target_groups=["youth_16_24", "graduate"],
    )
    profile = services.update_profile(session, user, changes)
    assert profile.skills == "电焊,气割,Excel"
    assert (profile.home_county_code, profile.home_town_code) == ("371003", "371003001")
    assert profile.lat is not None
    assert profile.target_groups == ["graduate", "youth_16_24"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"education": "kindergarten"}, "学历"),
        ({"expected_pay_min": 8000, "expected_pay_max": 5000}, "最低值"),
        ({"expected_pay_unit": "piece"}, "薪资单位"),
        ({"home_town_code": "371003"}, "家乡"),  # a county is not a town
        ({"target_groups": ["astronaut"]}, "人群"),
        ({"birth_date": date(2030, 1, 1)}, "出生日期"),
        ({"graduation_year": 1900}, "毕业年份"),
    ],
)
def test_profile_values_outside_the_lists_are_refused(
    session: Session, change: dict[str, object], message: str
) -> None:
    factories.weihai_places(session)
    user = factories.user(session)
    with pytest.raises(ValidationError, match=message):
        services.update_profile(session, user, services.ProfileChanges(**change))  # type: ignore[arg-type]
