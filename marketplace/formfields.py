"""Pieces every form shares: input filters, the mobile-number check, the education choices."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask_wtf import FlaskForm
from wtforms import DecimalField, Field, SelectChoice
from wtforms.validators import StopValidation, ValidationError

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


class AmountField(DecimalField):  # type: ignore[misc]  # untyped base
    """A decimal amount of money: "nan" and "inf" are refused, not passed on (Python's Decimal
    reads them as numbers, and a range check then raised: a 500). Each form's range still
    bounds the finite ones. Text that is no number gets one message, not the range's too.
    """

    data: Decimal | None

    def process_formdata(self, valuelist: list[Any]) -> None:
        super().process_formdata(valuelist)
        if self.data is not None and not self.data.is_finite():
            self.data = None
            raise ValueError("请输入数字金额，例如 4500")

    def _value(self) -> str:
        # as typed, else plainly: 200 and 2.5, never Decimal's 2E+2 (a normalized 200)
        if self.raw_data or self.data is None or self.places is not None:
            return str(super()._value())
        return format(self.data, "f")

    def pre_validate(self, form: Any) -> None:
        typed = bool(self.raw_data and str(self.raw_data[0]).strip())
        if self.process_errors and typed:  # (left empty, Optional() has its say)
            raise StopValidation()  # the reading's message says it all

    def amount(self) -> float:
        """The amount of a required field once the form has validated."""
        if self.data is None:
            raise ValueError(f"{self.name} holds no amount: validate the form first")
        return float(self.data)


class Form(FlaskForm):  # type: ignore[misc]  # untyped base
    """Every form's base: WTForms' own messages (不是有效的整数 …) in Chinese.

    Flask-WTF translates only through Flask-Babel, which we do not use, so the app sets
    WTF_I18N_ENABLED = False and WTForms reads its bundled zh catalogue.
    """

    class Meta:
        locales = ("zh_CN", "zh")
