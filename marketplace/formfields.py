"""Pieces every form shares: input filters, the mobile-number check, the education choices."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import Field, SelectChoice
from wtforms.validators import ValidationError

from indexer.education import EducationLevel
from marketplace.accounts.services import is_mobile, normalize_phone


def stripped(value: Any) -> Any:
    """Filter: surrounding spaces off typed text."""
    return value.strip() if isinstance(value, str) else value


def blank_as_none(value: Any) -> Any:
    """Filter: an empty choice is no value."""
    return value or None


def phone_digits(value: Any) -> Any:
    """Filter: a typed phone number as digits (spaces, dashes and +86 dropped)."""
    return normalize_phone(value) if isinstance(value, str) else value


def mobile_number(_form: FlaskForm, field: Field) -> None:
    """Validator: an 11-digit mainland mobile number (when one is given)."""
    if field.data and not is_mobile(field.data):
        raise ValidationError("请输入 11 位手机号码，例如 13912345678")


def education_choices(blank: str) -> list[SelectChoice]:
    """The education levels to choose from, after a blank choice labelled `blank`."""
    return [SelectChoice("", blank)] + [
        SelectChoice(level.code, level.label)
        for level in EducationLevel
        if level is not EducationLevel.NONE
    ]
