"""Account actions: sign-up of seekers and employers, authentication, and the seeker profile.

Services take the session as an argument and flush; the caller commits. No flask here beyond
what the session needs, and no personal data (names, phones) in logs: user ids only.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from functools import cache

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from indexer.education import EducationLevel
from indexer.salary import SalaryUnit
from marketplace.accounts.models import Role, User
from marketplace.accounts.passwords import hash_password, needs_rehash, verify_password
from marketplace.database import utcnow
from marketplace.employers.credit_code import InvalidCreditCode, normalize_credit_code
from marketplace.employers.models import Employer, Verification
from marketplace.errors import Conflict, DomainError, ValidationError
from marketplace.jobs.models import JobKind
from marketplace.places.models import Place, PlaceLevel
from marketplace.seekers.models import SeekerProfile, TargetGroup

log = logging.getLogger(__name__)

MOBILE = re.compile(r"1[3-9][0-9]{9}")  # ASCII digits: normalize_phone folds the others
MIN_PASSWORD_LENGTH = 8
# the pay units a seeker may state for expected pay (month, day, hour)
PROFILE_PAY_UNITS = (SalaryUnit.MONTH, SalaryUnit.DAY, SalaryUnit.HOUR)


class PhoneTaken(Conflict):
    """Another account already has this phone number."""

    def __init__(self) -> None:
        super().__init__("该手机号已注册，请直接登录")


class InactiveAccount(DomainError):
    """The password was right but staff have switched the account off."""

    status = 403
    code = "inactive"


def normalize_phone(raw: str) -> str:
    """Digits only, without a +86 / 0086 country prefix: '+86 139-1234-5678' → '13912345678'.

    Full-width digits (１３９…, as Chinese input methods type them) become ASCII first.
    """
    digits = re.sub(r"[^0-9]", "", unicodedata.normalize("NFKC", raw))
    for prefix in ("0086", "86"):
        if digits.startswith(prefix) and len(digits) == len(prefix) + 11:
            return digits[len(prefix) :]
    return digits


def is_mobile(phone: str) -> bool:
    """True for a mainland mobile number (normalised): 1[3-9] and nine more digits."""
    return MOBILE.fullmatch(phone) is not None


def mask_phone(phone: str | None) -> str:
    """'13912345678' → '139****5678'; shown to everyone but the parties who need the number."""
    if not phone:
        return ""
    if len(phone) < 8:
        return "*" * len(phone)
    return f"{phone[:3]}****{phone[-4:]}"


# a mobile number inside free text, its digits perhaps grouped (138 1234 5678, 138-1234-5678)
_MOBILE_IN_TEXT = re.compile(r"(?<![0-9])1[3-9][0-9](?:[ -]?[0-9]){8}(?![0-9])")


def mask_phones_in(text: str | None) -> str:
    """Free text with every mobile number in it masked (138****5678): for notes a poster typed
    that anyone may read."""
    return _MOBILE_IN_TEXT.sub(
        lambda found: mask_phone(re.sub(r"[ -]", "", found.group())), text or ""
    )


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(f"密码至少 {MIN_PASSWORD_LENGTH} 位")


def _checked_phone(session: Session, raw: str) -> str:
    phone = normalize_phone(raw)
    if not is_mobile(phone):
        raise ValidationError("请输入 11 位手机号码")
    # phones double as usernames, so a phone may clash with either column
    taken = session.scalar(
        select(User.id).where(or_(User.phone == phone, User.username == phone)).limit(1)
    )
    if taken is not None:
        raise PhoneTaken
    return phone


def _new_user(session: Session, *, phone: str, password: str, role: Role, name: str) -> User:
    user = User(
        username=phone,  # people sign in with their phone; a username is for staff and demos
        password_hash=hash_password(password),
        role=role,
        display_name=name,
        phone=phone,
        is_active=True,
    )
    session.add(user)
    return user


def _flush_or_conflict(session: Session) -> None:
    # the checks above can race with another sign-up; the unique indexes have the last word
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        raise PhoneTaken from None


def register_seeker(session: Session, *, name: str, phone: str, password: str) -> User:
    """Create a seeker account and an empty profile under their name."""
    name = name.strip()
    if not name:
        raise ValidationError("请填写姓名")
    _check_password(password)
    number = _checked_phone(session, phone)
    user = _new_user(session, phone=number, password=password, role=Role.SEEKER, name=name)
    _flush_or_conflict(session)
    session.add(SeekerProfile(user_id=user.id, name=name, phone=number, target_groups=[]))
    session.flush()
    log.info("seeker registered user_id=%s", user.id)
    return user


def _claimable(session: Session, employer: Employer) -> bool:
    """An employer created by an import, never verified, and with no account yet."""
    if not employer.imported or employer.verification != Verification.UNVERIFIED:
        return False
    owner = session.scalar(select(User.id).where(User.employer_id == employer.id).limit(1))
    return owner is None


def register_employer(
    session: Session,
    *,
    employer_name: str,
    credit_code: str,
    contact_name: str,
    phone: str,
    password: str,
) -> User:
    """Create (or claim an imported) employer, pending staff verification, and its account.

    Raises ValidationError for a malformed credit code, Conflict when it is already registered.
    """
    employer_name = employer_name.strip()
    contact_name = contact_name.strip()
    if not employer_name or not contact_name:
        raise ValidationError("请填写单位名称和联系人")
    try:
        code = normalize_credit_code(credit_code)
    except InvalidCreditCode as error:
        raise ValidationError(str(error)) from None
    _check_password(password)
    number = _checked_phone(session, phone)

    employer = session.scalar(select(Employer).where(Employer.credit_code == code))
    if employer is not None and not _claimable(session, employer):
        raise Conflict(
            "该统一社会信用代码已注册。如需为本单位开通账号，请联系本单位已注册的账号或就业服务机构"
        )
    if employer is None:
        # an imported employer known only by name (imports rarely carry a code)
        for candidate in session.scalars(
            select(Employer)
            .where(Employer.name == employer_name, Employer.credit_code.is_(None))
            .order_by(Employer.id)
        ):
            if _claimable(session, candidate):
                employer = candidate
                break
    if employer is None:
        employer = Employer(name=employer_name, credit_code=code, imported=False)
        session.add(employer)
    else:
        log.info("imported employer claimed employer_id=%s", employer.id)
        employer.credit_code = code
    # staff verify before the first posting goes live
    employer.verification = Verification.PENDING
    employer.verified_at = None

    user = _new_user(
        session, phone=number, password=password, role=Role.EMPLOYER, name=contact_name
    )
    user.employer = employer
    _flush_or_conflict(session)
    log.info("employer registered user_id=%s employer_id=%s", user.id, employer.id)
    return user


@cache
def _dummy_hash() -> str:
    # computed once per process, on first use rather than at import
    return hash_password("no-such-user-placeholder")


def authenticate(session: Session, login: str, password: str) -> User | None:
    """The user for a username or phone and password, or None; about the same work either way.

    Raises InactiveAccount when the password is right but the account is switched off.
    """
    login = login.strip()
    conditions = [User.username == login]
    phone = normalize_phone(login)
    if is_mobile(phone):
        conditions.append(User.phone == phone)
    # a username that looks like someone else's phone: the exact username wins
    user = session.scalar(
        select(User).where(or_(*conditions)).order_by((User.username == login).desc()).limit(1)
    )
    if user is None:
        # hash anyway, so that timing does not tell which logins exist
        verify_password(_dummy_hash(), password)
        log.info("login failed: no such account")
        return None
    if not verify_password(user.password_hash, password):
        log.info("login failed user_id=%s", user.id)
        return None
    if not user.is_active:
        log.info("login refused, account inactive user_id=%s", user.id)
        raise InactiveAccount("该账号已停用，请联系就业服务机构")
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    session.flush()
    return user


@dataclass
class ProfileChanges:
    """What a seeker may change on their own profile (codes, not labels)."""

    desired_job: str | None = None
    skills: list[str] = field(default_factory=list)
    education: str | None = None
    expected_pay_min: float | None = None
    expected_pay_max: float | None = None
    expected_pay_unit: str | None = None
    desired_kind: str | None = None
    home_town_code: str | None = None
    target_groups: list[str] = field(default_factory=list)
    birth_date: date | None = None
    graduation_year: int | None = None
    open_to_employers: bool = True


def split_skills(raw: str) -> list[str]:
    """'叉车, 电焊，Excel、叉车' → ['叉车', '电焊', 'Excel']: split on commas, drop repeats."""
    tags: list[str] = []
    for part in re.split(r"[,，、;；\n]+", raw):
        tag = part.strip()
        if tag and tag.lower() not in {t.lower() for t in tags}:
            tags.append(tag)
    return tags


def _validate(session: Session, changes: ProfileChanges) -> Place | None:
    if changes.education is not None:
        try:
            EducationLevel.from_code(changes.education)
        except ValueError:
            raise ValidationError("学历选项无效") from None
    if changes.desired_kind is not None and changes.desired_kind not in set(JobKind):
        raise ValidationError("工作类型选项无效")
    if changes.expected_pay_unit is not None and changes.expected_pay_unit not in set(
        PROFILE_PAY_UNITS
    ):
        raise ValidationError("薪资单位选项无效")
    low, high = changes.expected_pay_min, changes.expected_pay_max
    if (low is not None and low < 0) or (high is not None and high < 0):
        raise ValidationError("期望薪资不能为负数")
    if low is not None and high is not None and low > high:
        raise ValidationError("期望薪资的最低值不能高于最高值")
    today = utcnow().date()
    if changes.birth_date is not None and not (
        date(today.year - 100, 1, 1) <= changes.birth_date <= date(today.year - 14, 12, 31)
    ):
        raise ValidationError("出生日期不在合理范围内（年满 14 周岁）")
    if changes.graduation_year is not None and not (
        1950 <= changes.graduation_year <= today.year + 1
    ):
        raise ValidationError(f"毕业年份应在 1950–{today.year + 1} 之间")
    unknown = set(changes.target_groups) - set(TargetGroup)
    if unknown:
        raise ValidationError("人群选项无效")
    if len(changes.skills) > 30 or any(len(tag) > 30 for tag in changes.skills):
        raise ValidationError("技能最多 30 个，每个不超过 30 字")
    if changes.home_town_code is None:
        return None
    town = session.get(Place, changes.home_town_code)
    if town is None or town.level != PlaceLevel.TOWN:
        raise ValidationError("家乡镇街选项无效")
    return town


def update_profile(session: Session, user: User, changes: ProfileChanges) -> SeekerProfile:
    """Save a seeker's own profile (created on first save); ValidationError on a bad value."""
    if user.role != Role.SEEKER:
        raise ValidationError("只有求职者可以填写求职资料")
    town = _validate(session, changes)
    profile = session.scalar(select(SeekerProfile).where(SeekerProfile.user_id == user.id))
    if profile is None:
        profile = SeekerProfile(user_id=user.id, name=user.display_name, phone=user.phone)
        session.add(profile)
    profile.desired_job = (changes.desired_job or "").strip() or None
    profile.skills = ",".join(changes.skills)
    profile.education = changes.education
    profile.expected_pay_min = changes.expected_pay_min
    profile.expected_pay_max = changes.expected_pay_max
    # a unit without an amount says nothing
    has_pay = changes.expected_pay_min is not None or changes.expected_pay_max is not None
    profile.expected_pay_unit = changes.expected_pay_unit if has_pay else None
    profile.desired_kind = changes.desired_kind
    profile.birth_date = changes.birth_date
    profile.graduation_year = changes.graduation_year
    profile.open_to_employers = changes.open_to_employers
    if town is None:
        profile.home_town_code = profile.home_county_code = None
    elif town.code != profile.home_town_code:
        profile.home_town_code = town.code
        profile.home_county_code = town.parent_code
        # the village belonged to the old town; the town's point stands in for the home
        # until someone picks the village (distances are within a 5 km circle)
        profile.home_village_code = None
        profile.lat, profile.lng, profile.datum = town.lat, town.lng, town.datum
    order = [str(group) for group in TargetGroup]
    profile.target_groups = sorted(set(changes.target_groups), key=order.index)
    session.flush()
    return profile
