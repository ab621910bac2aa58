"""Phone numbers: normalised on the way in, masked on the way out."""

from __future__ import annotations

import pytest

from marketplace.accounts.services import is_mobile, mask_phone, normalize_phone


def test_a_mobile_number_is_masked_in_the_middle() -> None:
    assert mask_phone("13912345678") == "139****5678"


@pytest.mark.parametrize("empty", [None, ""])
def test_no_number_masks_to_nothing(empty: str | None) -> None:
    assert mask_phone(empty) == ""


def test_a_short_number_is_masked_whole() -> None:
    assert mask_phone("12333") == "*****"


@pytest.mark.parametrize(
    "raw",
    [
        "139 1234 5678",
        "139-1234-5678",
        "+86 139 1234 5678",
        "0086 13912345678",
        "１３９ １２３４ ５６７８",  # full width, as a Chinese input method types it
    ],
)
def test_phones_are_stored_as_eleven_digits(raw: str) -> None:
    assert normalize_phone(raw) == "13912345678"


@pytest.mark.parametrize(
    ("phone", "ok"), [("13912345678", True), ("12912345678", False), ("1391234567", False)]
)
def test_only_mainland_mobile_numbers_pass(phone: str, ok: bool) -> None:
    assert is_mobile(phone) is ok
