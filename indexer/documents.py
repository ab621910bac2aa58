"""Job → search document: the one place the index schema lives (FTS5 columns, ES mapping).

Text fields are tokenised here, with the same tokenizer function that queries use.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from indexer.queries import occupation_group, salary_band

# Text fields and their BM25 weights: the title counts most. Skills and benefits are tags that
# many postings repeat, so they count less than the description (measured on the dev set).
TEXT_FIELDS: dict[str, float] = {"title": 2.5, "skills": 0.6, "description": 1.0}

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


# -- Elasticsearch --------------------------------------------------------------------------

# Bump when the mapping or the source below changes: an index built with another is stale.
ELASTICSEARCH_SCHEMA_VERSION = "2"

# The analyzer of the text fields: the tokens arrive jieba-cut and space-joined, so splitting
# on whitespace reproduces them (lower-casing is a no-op after our normalisation, kept as a guard).
_TOKENS_ANALYZER = "jieba_tokens"

# lat/lng travel as one geo_point; the other filter fields map one to one.
_GEO_FIELDS = ("lat", "lng")

# The one searched field. FTS5's bm25() is BM25F: a word's weighted counts in all columns
# saturate together and the length is the whole posting's. A sum of per-field BM25
# (most_fields) ranks differently (a short title outscores everything), and the stand-in
# ignores combined_fields' weights. Writing each field's tokens as many times as its weight
# into one field gives weighted counts, one saturation and one length. Weights round to whole
# repeats, at least one (2.5/0.6/1 → 3/1/1); repeats also lengthen the posting, so scaling
# them up to keep the ratios exactly does worse. On the dev queries (parity corpus) 3/1/1
# shares 9.4 of FTS5's top 10, 2/1/1 9.1, 4/1/2 9.0; most_fields shared 5.2.
BODY_FIELD = "body"
BODY_REPEATS: dict[str, int] = {
    name: max(1, math.floor(weight + 0.5)) for name, weight in TEXT_FIELDS.items()
}

_ES_TYPES: dict[str, dict[str, Any]] = {
    "keyword": {"type": "keyword"},
    "integer": {"type": "integer"},
    "float": {"type": "float"},
    "date": {"type": "date", "format": "epoch_millis"},
    "boolean": {"type": "boolean"},
}


def elasticsearch_settings() -> dict[str, Any]:
    """Index settings: the whitespace analyzer for pre-tokenised text."""
    return {
        "analysis": {
            "analyzer": {
                _TOKENS_ANALYZER: {
                    "type": "custom",
                    "tokenizer": "whitespace",
                    "filter": ["lowercase"],
                }
            }
        }
    }


def elasticsearch_mapping() -> dict[str, Any]:
    """The mapping of `elasticsearch_source` documents (strict: an unknown field is an error)."""
    properties: dict[str, Any] = {
        "id": {"type": "long"},
        "title_text": {"type": "keyword"},  # the raw title, for suggestions
        "location": {"type": "geo_point"},
        "salary_band": {"type": "keyword"},  # precomputed facet bucket
        "occupation_group": {"type": "keyword"},  # the occupation facet's 中类
        "salary_monthly_top": {"type": "float"},  # the pay order's key
    }
    properties[BODY_FIELD] = {"type": "text", "analyzer": _TOKENS_ANALYZER}
    for name in TEXT_FIELDS:
        # kept in the source to show what was indexed; only the body is searched
        properties[name] = {"type": "text", "index": False}
    for name, kind in FILTER_FIELDS.items():
        if name not in _GEO_FIELDS:
            properties[name] = dict(_ES_TYPES[kind])
    # the body repeats the text fields: not stored twice
    return {"dynamic": "strict", "_source": {"excludes": [BODY_FIELD]}, "properties": properties}


def elasticsearch_source(document: Mapping[str, Any]) -> dict[str, Any]:
    """A `job_document` as Elasticsearch indexes it: the weighted body, a geo_point, epoch
    millis, the salary band."""
    source: dict[str, Any] = {
        "id": int(document["id"]),
        "title_text": document.get("title_text"),
    }
    for name in TEXT_FIELDS:
        source[name] = document.get(name) or ""
    source[BODY_FIELD] = " ".join(
        text for name, repeats in BODY_REPEATS.items() for text in [source[name]] * repeats if text
    )
    for name, kind in FILTER_FIELDS.items():
        if name in _GEO_FIELDS:
            continue
        value = document.get(name)
        if value is None:
            source[name] = None
        elif kind == "date":
            source[name] = epoch_millis(value)
        elif kind == "boolean":
            source[name] = bool(value)
        elif kind == "keyword":
            source[name] = str(value)  # StrEnum members (SalaryUnit, kinds) as their values
        else:
            source[name] = value
    lat, lng = document.get("lat"), document.get("lng")
    source["location"] = None if lat is None or lng is None else {"lat": lat, "lon": lng}
    low, high = document.get("salary_monthly_min"), document.get("salary_monthly_max")
    source["salary_band"] = salary_band(low, high)
    source["occupation_group"] = occupation_group(document.get("occupation_code"))
    # the highest stated pay: a posting of "7000 以上" pays at least 7000, not "unstated"
    source["salary_monthly_top"] = high if high is not None else low
    return source


def epoch_millis(value: datetime | float) -> int:
    """A time as Elasticsearch's epoch_millis; naive datetimes read as local time, as FTS5 does."""
    seconds = value.timestamp() if isinstance(value, datetime) else float(value)
    return round(seconds * 1000)
