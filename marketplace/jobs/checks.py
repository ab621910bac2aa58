"""Posting checks at submit time: forbidden discrimination, fees, scams, implausible pay.

INTERFACE (fixed; the implementation behind it is being written):
    check_posting(draft, pay_reference) -> list[Finding]
A BLOCK finding stops the submit (shown inline with the words that triggered it); a REVIEW
finding lets it through to manual review by staff.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    BLOCK = "block"  # the posting cannot be submitted until it is fixed
    REVIEW = "review"  # the posting goes to a staff member before it is published


@dataclass(frozen=True)
class Finding:
    code: str  # e.g. "discrimination.gender", "fee.deposit", "scam.brushing", "pay.outlier"
    severity: Severity
    field: str  # the form field it is about: "title", "description", "salary", ...
    words: tuple[str, ...]  # the words in the posting that triggered it (empty for pay)
    message: str  # one sentence in Chinese saying what is wrong and what to do

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["severity"] = self.severity.value
        data["words"] = list(self.words)
        return data


@dataclass(frozen=True)
class PostingDraft:
    title: str
    description: str = ""
    skills: str = ""
    benefits: str = ""
    salary_min: float | None = None
    salary_max: float | None = None
    salary_unit: str | None = None  # indexer.salary.SalaryUnit value
    monthly_min: float | None = None  # monthly equivalent, when the unit converts
    monthly_max: float | None = None
    city: str | None = None


@dataclass(frozen=True)
class PayRange:
    """Monthly pay seen in postings like this one (similar title, same city)."""

    low: float  # a low percentile of monthly pay
    high: float  # a high percentile
    postings: int  # how many postings it is drawn from


def check_posting(draft: PostingDraft, pay_reference: PayRange | None = None) -> list[Finding]:
    """Every finding for `draft`, blocking ones first."""
    findings: list[Finding] = []
    text = f"{draft.title}\n{draft.description}"
    for word in ("限男性", "限女性", "仅限男", "仅限女"):
        if word in text:
            findings.append(
                Finding(
                    code="discrimination.gender",
                    severity=Severity.BLOCK,
                    field="description",
                    words=(word,),
                    message="招聘不得限定性别（《就业促进法》第二十七条），请删去",
                )
            )
    return findings
