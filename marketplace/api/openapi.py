"""The OpenAPI 3.1 document of /api/v1, as data. tests/marketplace/api keep it in step with the
code: every route is here with its methods (and nothing else is), and real responses validate
against these schemas (objects are closed: a field added in code must be added here)."""

from __future__ import annotations

import copy
from typing import Any

from indexer.queries import Sort
from indexer.salary import SalaryUnit
from marketplace.accounts.models import Role
from marketplace.gigs.models import SKILLS, OfferStatus, PayUnit, RequestStatus
from marketplace.gigs.services import MAX_DAYS_AHEAD, MAX_HOURS, PAY_BOUNDS
from marketplace.jobs.models import JobKind, JobStatus
from marketplace.places.models import Datum
from marketplace.seekers.models import ApplicationStatus

Schema = dict[str, Any]

VERSION = "1.0.0"


def _ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def _nullable(kind: str, **more: Any) -> Schema:
    return {"type": [kind, "null"], **more}


def _object(**properties: Schema) -> Schema:
    """A closed object: every property listed, all of them required (see `_only`)."""
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


def _only(required: list[str], schema: Schema) -> Schema:
    """The object `schema` with only these properties required (request bodies)."""
    return {**schema, "required": required}


STRING: Schema = {"type": "string"}
INTEGER: Schema = {"type": "integer"}
NUMBER: Schema = {"type": "number"}
BOOLEAN: Schema = {"type": "boolean"}
TIME: Schema = {"type": "string", "format": "date-time"}  # UTC, ending in Z
TIME_OR_NULL: Schema = _nullable("string", format="date-time")

_JOB_SUMMARY: dict[str, Schema] = {
    "id": INTEGER,
    "title": STRING,
    "kind": {"type": "string", "enum": list(JobKind)},
    "employer": _ref("Employer"),
    "pay": _ref("Pay"),
    "place": _ref("Place"),
    "posted_at": TIME_OR_NULL,
}

SCHEMAS: dict[str, Schema] = {
    "Error": _object(
        error=_object(
            code={"type": "string", "description": "machine-readable, e.g. not_found"},
            message={"type": "string", "description": "为人阅读的中文说明，指明出错的字段"},
        )
    ),
    "User": _object(
        id=INTEGER,
        role={"type": "string", "enum": list(Role)},
        display_name=STRING,
    ),
    "Session": _object(
        user={"oneOf": [_ref("User"), {"type": "null"}]},
        csrf_token={
            "type": "string",
            "description": "send it back in the X-CSRFToken header of every write",
        },
    ),
    "Credentials": _object(
        login={"type": "string", "description": "手机号或用户名"},
        password=STRING,
    ),
    "Employer": _object(id=INTEGER, name=STRING, verified=BOOLEAN, key_enterprise=BOOLEAN),
    "Pay": _object(
        min=_nullable("number"),
        max=_nullable("number"),
        unit=_nullable("string", description="month, year, day, hour or piece; null: 面议"),
        months=_nullable("integer", description="months paid a year (13薪 → 13)"),
        text={"type": "string", "description": "月薪 6000–8000 元 · 13薪"},
    ),
    "Place": _object(
        province=_nullable("string"),
        city=_nullable("string"),
        district=_nullable("string"),
        address=_nullable("string"),
    ),
    "Location": _object(lat=NUMBER, lng=NUMBER, datum=_nullable("string")),
    "Segment": _object(text=STRING, match=BOOLEAN),
    "JobHit": _object(
        **_JOB_SUMMARY,
        rank=INTEGER,
        distance_km=_nullable("number"),
        reasons={"type": "array", "items": STRING, "description": "why this job, strongest first"},
        highlights=_object(
            title={"type": "array", "items": _ref("Segment")},
            snippet={"type": "array", "items": _ref("Segment")},
        ),
    ),
    "JobSearchPage": _object(
        hits={"type": "array", "items": _ref("JobHit")},
        total=INTEGER,
        page=INTEGER,
        per_page=INTEGER,
        facets={
            "type": "object",
            "additionalProperties": {"type": "object", "additionalProperties": INTEGER},
            "description": "facet name → value → count (kind, district, salary band ...)",
        },
    ),
    "Job": _object(
        **_JOB_SUMMARY,
        description=STRING,
        occupation=_nullable("string"),
        headcount=_nullable("integer"),
        education=_nullable("string"),
        experience_years=_nullable("integer"),
        skills={"type": "array", "items": STRING},
        benefits={"type": "array", "items": STRING},
        expires_at=TIME_OR_NULL,
        source={"type": "string", "description": "platform, or the site a posting came from"},
        location={"oneOf": [_ref("Location"), {"type": "null"}]},
    ),
    "GigPay": _object(
        amount=NUMBER,
        unit={"type": "string", "enum": list(PayUnit)},
        text={"type": "string", "description": "200 元/天"},
    ),
    "GigOffer": _object(
        id=INTEGER,
        status={"type": "string", "enum": list(OfferStatus)},
        wave=INTEGER,
        distance_km=NUMBER,
        offered_at=TIME,
        expires_at=TIME,
        seconds_left={"type": "integer", "minimum": 0, "description": "0 once not answerable"},
        request=_object(
            id=INTEGER,
            title=STRING,
            description=STRING,
            skills={"type": "array", "items": STRING},
            address=_nullable("string"),
            starts_at=TIME,
            ends_at=TIME,
            pay=_ref("GigPay"),
            headcount=INTEGER,
            urgent=BOOLEAN,
        ),
        contact={
            "oneOf": [
                _object(name=_nullable("string"), phone=_nullable("string")),
                {"type": "null"},
            ],
            "description": "the requester's contact, shown once the offer is accepted",
        },
    ),
    "GigOfferList": _object(
        registered={"type": "boolean", "description": "false: not registered as a worker"},
        offers={"type": "array", "items": _ref("GigOffer")},
    ),
    "NewGigRequest": _only(
        ["title", "starts_at", "ends_at", "pay_amount", "pay_unit", "headcount"],
        _object(
            title={"type": "string", "maxLength": 120},
            starts_at={
                "type": "string",
                "format": "date-time",
                "description": f"须带时区; later than now, at most {MAX_DAYS_AHEAD} days ahead",
            },
            ends_at={
                "type": "string",
                "format": "date-time",
                "description": f"after starts_at, at most {MAX_HOURS} hours after it",
            },
            pay_amount={
                "type": "number",
                "exclusiveMinimum": 0,
                "description": "元 per pay_unit, within bounds per unit (400 outside): "
                + "; ".join(f"{unit} {low:g}–{high:g}" for unit, (low, high) in PAY_BOUNDS.items()),
            },
            pay_unit={"type": "string", "enum": list(PayUnit)},
            headcount={"type": "integer", "minimum": 1, "maximum": 200},
            skills={"type": "array", "items": {"type": "string", "enum": list(SKILLS)}},
            place_code={"type": "string", "description": "村居或镇街代码; or give lat and lng"},
            lat=NUMBER,
            lng=NUMBER,
            datum={"type": "string", "enum": list(Datum)},
            address=STRING,
            description=STRING,
            urgent={"type": "boolean", "description": "即时快招: offer to nearby workers at once"},
            service_point_id={"type": "integer", "description": "staff posting for a walk-in"},
            contact_name=STRING,
            contact_phone=STRING,
        ),
    ),
    "GigRequestStatus": _object(
        id=INTEGER,
        title=STRING,
        status={"type": "string", "enum": list(RequestStatus)},
        urgent=BOOLEAN,
        headcount=INTEGER,
        offered={"type": "integer", "description": "offers still open to an answer"},
        accepted=INTEGER,
        declined=INTEGER,
        expired={"type": "integer", "description": "offers that ran out unanswered"},
        summary={"type": "string", "description": "已接单 1/3"},
        starts_at=TIME,
        ends_at=TIME,
        pay=_ref("GigPay"),
        address=_nullable("string"),
        dispatch=_object(
            waves=INTEGER,
            radius_km=_nullable("number"),
            base_radius_km={"type": "number", "description": "the 5 km service circle"},
            widened=BOOLEAN,
            note=_nullable("string"),
        ),
        workers={
            "type": "array",
            "items": _object(name=STRING, phone=_nullable("string")),
            "description": "the workers who accepted (phones masked)",
        },
        created_at=TIME,
        closed_at=TIME_OR_NULL,
    ),
    "CancelGigRequest": _only([], _object(reason=STRING)),
    "Application": _object(
        id=INTEGER,
        status={"type": "string", "enum": list(ApplicationStatus)},
        status_label={"type": "string", "description": "已投递、已查看、邀请面试 ..."},
        can_withdraw=BOOLEAN,
        applied_at=TIME,
        updated_at=TIME,
        job=_object(**_JOB_SUMMARY, open={"type": "boolean", "description": "still hiring"}),
        history={
            "type": "array",
            "items": _object(
                from_status=_nullable("string"),
                to_status=STRING,
                at=TIME,
            ),
            "description": "status changes, oldest first (empty right after applying)",
        },
    ),
    "ApplicationList": _object(applications={"type": "array", "items": _ref("Application")}),
    "NewApplication": _object(job_id=INTEGER),
    "Posting": _object(
        **_JOB_SUMMARY,
        status={"type": "string", "enum": list(JobStatus)},
        applicants=INTEGER,
        new_applicants={"type": "integer", "description": "not yet opened by the employer"},
        updated_at=TIME,
    ),
    "PostingList": _object(jobs={"type": "array", "items": _ref("Posting")}),
    "NewPosting": _only(
        ["title"],
        _object(
            title={"type": "string", "maxLength": 200},
            kind={"type": "string", "enum": list(JobKind)},
            description=STRING,
            pay_min={"type": "number", "description": "leave out both for 面议"},
            pay_max=NUMBER,
            pay_unit={"type": "string", "enum": list(SalaryUnit)},
            headcount=INTEGER,
            education={"type": "string", "description": "an education level code"},
            experience_years=INTEGER,
            skills={"type": "array", "items": STRING},
            benefits={"type": "array", "items": STRING},
            county_code={"type": "string", "description": "威海市的区县代码"},
            district={"type": "string", "description": "free text when no county is chosen"},
            address=STRING,
        ),
    ),
    "PostingOutcome": _object(
        job=_ref("Posting"),
        published={"type": "boolean", "description": "false: waiting for staff review"},
        review={
            "type": "array",
            "items": _object(code=STRING, field=STRING, message=STRING),
            "description": "what sent the posting to staff review",
        },
    ),
}


def _json(schema: Schema, description: str) -> Schema:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


_ERRORS = {
    400: "bad input the service refused (message in Chinese), or a missing CSRF token",
    401: "not signed in",
    403: "signed in with an account of another kind",
    404: "no such object, or not yours",
    409: "refused by the state of things (expired, full, double-booked, closed)",
    422: "a malformed field; the message names it",
    429: "too many failed sign-ins for this login or address lately: try again later",
    503: "search or the odd-job queue is unavailable",
}


def _responses(ok: int, schema: str, description: str, *errors: int) -> Schema:
    answers = {str(ok): _json(_ref(schema), description)}
    for status in errors:
        answers[str(status)] = _json(_ref("Error"), _ERRORS[status])
    return answers


def _path_id(name: str, what: str) -> Schema:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "schema": INTEGER,
        "description": what,
    }


def _query(name: str, schema: Schema, description: str) -> Schema:
    return {"name": name, "in": "query", "schema": schema, "description": description}


def _body(schema: str) -> Schema:
    return {"required": True, "content": {"application/json": {"schema": _ref(schema)}}}


READ: list[Schema] = [{"session": []}]
WRITE: list[Schema] = [{"session": [], "csrf": []}]
PUBLIC: list[Schema] = [{}]

PATHS: dict[str, Schema] = {
    "/session": {
        "get": {
            "operationId": "getSession",
            "summary": "Who is signed in, and a CSRF token for the writes",
            "security": PUBLIC,
            "responses": _responses(200, "Session", "the session"),
        },
        "post": {
            "operationId": "signIn",
            "summary": "Sign in with a phone (or username) and password",
            "security": [{"csrf": []}],
            "requestBody": _body("Credentials"),
            "responses": _responses(201, "Session", "signed in", 400, 401, 403, 422, 429),
        },
        "delete": {
            "operationId": "signOut",
            "summary": "Sign out",
            "security": [{"csrf": []}],
            "responses": _responses(200, "Session", "signed out", 400),
        },
    },
    "/jobs": {
        "get": {
            "operationId": "searchJobs",
            "summary": "Search published jobs",
            "security": PUBLIC,
            "parameters": [
                _query("q", STRING, "words, e.g. 水产加工 荣成"),
                _query("kind", {"type": "string", "enum": list(JobKind)}, "kind of work"),
                _query("district", STRING, "区市, e.g. 荣成市"),
                _query(
                    "sort",
                    {"type": "string", "enum": [Sort.RELEVANCE, Sort.NEWEST, Sort.PAY]},
                    "order",
                ),
                _query("page", {"type": "integer", "minimum": 1, "maximum": 250}, "from 1"),
                _query("per_page", {"type": "integer", "minimum": 1, "maximum": 50}, "default 20"),
            ],
            "responses": _responses(200, "JobSearchPage", "a page of hits", 422, 503),
        }
    },
    "/jobs/{job_id}": {
        "get": {
            "operationId": "getJob",
            "summary": "A published job",
            "security": PUBLIC,
            "parameters": [_path_id("job_id", "the job")],
            "responses": _responses(200, "Job", "the job", 404),
        }
    },
    "/gigs/offers": {
        "get": {
            "operationId": "listGigOffers",
            "summary": "The signed-in worker's live offers, soonest deadline first",
            "security": READ,
            "responses": _responses(200, "GigOfferList", "live offers", 401, 403),
        }
    },
    "/gigs/offers/{offer_id}/accept": {
        "post": {
            "operationId": "acceptGigOffer",
            "summary": "Accept an offer (atomic: never beyond headcount, never double-booked)",
            "security": WRITE,
            "parameters": [_path_id("offer_id", "the offer")],
            "responses": _responses(200, "GigOffer", "accepted", 400, 401, 403, 404, 409, 503),
        }
    },
    "/gigs/offers/{offer_id}/decline": {
        "post": {
            "operationId": "declineGigOffer",
            "summary": "Decline an offer",
            "security": WRITE,
            "parameters": [_path_id("offer_id", "the offer")],
            "responses": _responses(200, "GigOffer", "declined", 400, 401, 403, 404, 409, 503),
        }
    },
    "/gigs/requests": {
        "post": {
            "operationId": "postGigRequest",
            "summary": "Post an odd-job request; urgent ones (即时快招) are dispatched at once",
            "security": WRITE,
            "requestBody": _body("NewGigRequest"),
            "responses": _responses(201, "GigRequestStatus", "posted", 400, 401, 403, 422, 503),
        }
    },
    "/gigs/requests/{request_id}": {
        "get": {
            "operationId": "getGigRequest",
            "summary": "A request's live status: offered n, accepted n of m, expired, radius",
            "security": READ,
            "parameters": [_path_id("request_id", "the request")],
            "responses": _responses(200, "GigRequestStatus", "the status", 401, 404),
        }
    },
    "/gigs/requests/{request_id}/cancel": {
        "post": {
            "operationId": "cancelGigRequest",
            "summary": "Cancel a request: every offer and place ends",
            "security": WRITE,
            "parameters": [_path_id("request_id", "the request")],
            "requestBody": {
                "required": False,
                "content": {"application/json": {"schema": _ref("CancelGigRequest")}},
            },
            "responses": _responses(
                200, "GigRequestStatus", "cancelled", 400, 401, 403, 404, 409, 422, 503
            ),
        }
    },
    "/applications": {
        "get": {
            "operationId": "listApplications",
            "summary": "The signed-in seeker's applications, newest first, with their history",
            "security": READ,
            "responses": _responses(200, "ApplicationList", "applications", 401, 403),
        },
        "post": {
            "operationId": "apply",
            "summary": "Apply to a published job (again: the same application, 200)",
            "security": WRITE,
            "requestBody": _body("NewApplication"),
            "responses": {
                **_responses(201, "Application", "applied", 400, 401, 403, 404, 409, 422),
                "200": _json(_ref("Application"), "applied before: that application"),
            },
        },
    },
    "/applications/{application_id}/withdraw": {
        "post": {
            "operationId": "withdrawApplication",
            "summary": "Take back an application before the employer has decided",
            "security": WRITE,
            "parameters": [_path_id("application_id", "the application")],
            "responses": _responses(200, "Application", "withdrawn", 400, 401, 403, 404, 409),
        }
    },
    "/employer/jobs": {
        "get": {
            "operationId": "listPostings",
            "summary": "The employer's postings with applicant counts",
            "security": READ,
            "responses": _responses(200, "PostingList", "postings", 401, 403),
        },
        "post": {
            "operationId": "postJob",
            "summary": "Post a vacancy: published at once, or sent to staff review",
            "security": WRITE,
            "requestBody": _body("NewPosting"),
            "responses": _responses(201, "PostingOutcome", "posted", 400, 401, 403, 422),
        },
    },
    "/openapi.json": {
        "get": {
            "operationId": "getOpenApi",
            "summary": "This document",
            "security": PUBLIC,
            "responses": {
                "200": _json({"type": "object"}, "the OpenAPI document"),
            },
        }
    },
}

DOCUMENT: Schema = {
    "openapi": "3.1.0",
    "info": {
        "title": "Jiuye 就业 API",
        "version": VERSION,
        "description": (
            "Jobs search, applications, employers' postings and odd jobs (即时快招) for apps,"
            " kiosks and mini-programs. Sign in with"
            " POST /session (the session cookie is the credential); every write sends the"
            " csrf_token from GET or POST /session in the X-CSRFToken header. Errors are"
            ' {"error": {"code", "message"}} with the message in Chinese. Times are UTC.'
        ),
    },
    "servers": [{"url": "/api/v1"}],
    "paths": PATHS,
    "components": {
        "schemas": SCHEMAS,
        "securitySchemes": {
            "session": {"type": "apiKey", "in": "cookie", "name": "session"},
            "csrf": {"type": "apiKey", "in": "header", "name": "X-CSRFToken"},
        },
    },
}


def document() -> Schema:
    """A copy of the document (callers may not change the module's own)."""
    return copy.deepcopy(DOCUMENT)
