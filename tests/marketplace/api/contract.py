"""The API's contract in tests: responses are validated with jsonschema against the OpenAPI
document's schemas, through a test client that checks every response it gets.

The document is registered whole as one resource, so its `#/components/schemas/...` references
resolve as they do for any OpenAPI 3.1 reader (whose schema dialect is JSON Schema 2020-12).
"""

from __future__ import annotations

import re
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012
from werkzeug.test import TestResponse

from marketplace.api.openapi import document

PREFIX = "/api/v1"
# the document's address inside the registry; it is never fetched
DOCUMENT_URI = "urn:jiuye:openapi"


def registry(doc: dict[str, Any]) -> Registry[Any]:
    """A registry holding the whole document, so `$ref`s into it resolve."""
    resource: Resource[Any] = DRAFT202012.create_resource(doc)
    empty: Registry[Any] = Registry()
    return empty.with_resource(DOCUMENT_URI, resource)


def pointer(*parts: str) -> str:
    """A JSON pointer into the document: ('paths', '/jobs') → '/paths/~1jobs'."""
    return "".join("/" + part.replace("~", "~0").replace("/", "~1") for part in parts)


def validator(doc: dict[str, Any], *parts: str) -> Draft202012Validator:
    """A validator for the schema at `parts` inside `doc`, e.g. ('components', 'schemas', 'Job').

    The schema is reached by reference rather than copied out, so relative references inside
    it resolve against the document. Formats are checked (date-time needs rfc3339-validator,
    which openapi-schema-validator brings along; test_openapi checks it is in force)."""
    return Draft202012Validator(
        {"$ref": f"{DOCUMENT_URI}#{pointer(*parts)}"},
        registry=registry(doc),
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )


def errors(doc: dict[str, Any], parts: tuple[str, ...], value: Any) -> list[str]:
    """What is wrong with `value` against the schema at `parts` (empty: it validates)."""
    found = validator(doc, *parts).iter_errors(value)
    return sorted(f"{error.json_path}: {error.message}" for error in found)


def doc_path(rule: str) -> str:
    """'/api/v1/jobs/<int:job_id>' → '/jobs/{job_id}' (the document's servers hold the prefix)."""
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule).removeprefix(PREFIX)


class ApiClient:
    """A test client that sends the CSRF token on writes and checks each response's status and
    body against the OpenAPI document."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.client: FlaskClient = app.test_client()
        self.doc = document()
        self.csrf_token: str | None = None

    def call(self, method: str, path: str, **kwargs: Any) -> TestResponse:
        headers = dict(kwargs.pop("headers", {}))
        if method != "GET":
            if self.csrf_token is None:
                self.csrf_token = self.call("GET", f"{PREFIX}/session").get_json()["csrf_token"]
            headers.setdefault("X-CSRFToken", self.csrf_token)
        response = self.client.open(path, method=method, headers=headers, **kwargs)
        self.check(method, path, response)
        return response

    def check(self, method: str, path: str, response: TestResponse) -> None:
        adapter = self.app.url_map.bind("localhost")
        rule, _args = adapter.match(path.split("?")[0], method=method, return_rule=True)
        operation = self.doc["paths"][doc_path(rule.rule)][method.lower()]
        status = str(response.status_code)
        assert status in operation["responses"], f"{method} {path}: {status} not documented"
        schema = ("responses", status, "content", "application/json", "schema")
        parts = ("paths", doc_path(rule.rule), method.lower(), *schema)
        problems = errors(self.doc, parts, response.get_json())
        assert not problems, f"{method} {path} → {status}: {problems}"

    def get(self, path: str, **kwargs: Any) -> TestResponse:
        return self.call("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> TestResponse:
        return self.call("POST", path, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> TestResponse:
        return self.call("DELETE", path, **kwargs)

    def sign_in(self, login: str, password: str) -> TestResponse:
        response = self.post(f"{PREFIX}/session", json={"login": login, "password": password})
        assert response.status_code == 201, response.get_json()
        self.csrf_token = response.get_json()["csrf_token"]
        return response
