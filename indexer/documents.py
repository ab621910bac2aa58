"""Job → search document: the one place the index schema lives (FTS5 columns, ES mapping).

Text fields are tokenised here, with the same tokenizer function that queries use.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

# Text fields and their BM25 weights: the title outweighs skills, skills the description.
TEXT_FIELDS: dict[str, float] = {"title": 3.0, "skills": 1.5, "description": 1.0}

# Filterable fields kept beside the text (FTS5: indexed columns; ES: keywords and numbers).
FILTER_FIELDS: dict[str, str] = {
    "kind": "keyword",
    "status": "keyword",
    "city": "keyword",
    "district": "keyword",
    "county_code": "keyword",
    "town_code": "keyword",
    "occupation_code": "keyword",
    "education_level": "integer",
    "experience_years": "integer",
    "salary_unit": "keyword",
    "salary_monthly_min": "float",
    "salary_monthly_max": "float",
    "salary_min": "float",
    "salary_max": "float",
    "published_at": "date",
    "is_key_enterprise": "boolean",
    "employer_verified": "boolean",
    "lat": "float",
    "lng": "float",
}


class TextTokenizer(Protocol):
    def tokenize(self, text: str) -> list[str]: ...


@dataclass(frozen=True)
class JobRecord:
    """What the index needs of a job, independent of the web app's models."""

    id: int
    title: str
    description: str = ""
    skills: str = ""
    benefits: str = ""
    kind: str = "full_time"
    status: str = "published"
    city: str | None = None
    district: str | None = None
    county_code: str | None = None
    town_code: str | None = None
    occupation_code: str | None = None
    education_level: int | None = None
    experience_years: int | None = None
    salary_unit: str | None = None
    salary_min: float | None = None
    salary_max: float | None = None
    salary_monthly_min: float | None = None
    salary_monthly_max: float | None = None
    published_at: datetime | None = None
    is_key_enterprise: bool = False
    employer_verified: bool = False
    lat: float | None = None
    lng: float | None = None


def job_document(job: JobRecord, tokenizer: TextTokenizer) -> dict[str, Any]:
    """The engine-neutral document: token strings for text fields, plain values for filters."""
    document: dict[str, Any] = {
        "id": job.id,
        "title_text": job.title,
        "title": " ".join(tokenizer.tokenize(job.title)),
        # benefits are searched with skills: 包吃住 or 五险一金 are what seekers type
        "skills": " ".join(tokenizer.tokenize(f"{job.skills} {job.benefits}")),
        "description": " ".join(tokenizer.tokenize(job.description)),
    }
    for name in FILTER_FIELDS:
        document[name] = getattr(job, name)
    return document
