"""Staff actions on employers: verification and the key-enterprise flag (staff only)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from marketplace.accounts.models import Role, User
from marketplace.database import utcnow
from marketplace.employers.models import Employer, KeyCategory, Verification
from marketplace.errors import Forbidden, ValidationError


def _require_staff(actor: User) -> None:
    # the flag moves a company's postings up and through the green channel: staff decide it
    if actor.role != Role.STAFF or not actor.is_active:
        raise Forbidden("只有就业服务工作人员可以进行此操作")


def verify_employer(
    session: Session, actor: User, employer: Employer, approve: bool, note: str | None = None
) -> None:
    """Approve or reject an employer's registration (`note`: why it was refused)."""
    _require_staff(actor)
    employer.verification = Verification.VERIFIED if approve else Verification.REJECTED
    employer.verified_at = utcnow() if approve else None
    employer.verification_note = None if approve else note
    session.add(employer)


def set_key_enterprise(
    session: Session, actor: User, employer: Employer, category: KeyCategory | str | None
) -> None:
    """Flag an employer as a key enterprise (重点企业) with its category, or clear the flag."""
    _require_staff(actor)
    if category is None:
        employer.is_key_enterprise = False
        employer.key_category = None
    else:
        try:
            employer.key_category = KeyCategory(category).value
        except ValueError:
            raise ValidationError(f"未知的重点企业类别：{category}") from None
        employer.is_key_enterprise = True
    session.add(employer)
