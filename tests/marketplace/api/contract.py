"""The API's contract in tests: a small JSON Schema check (the subset openapi.py uses) and a
test client that checks every response it gets against the OpenAPI document.

jsonschema is not installed in this project; this checker covers type (with null), enum,
properties, required, additionalProperties, items, oneOf, minimum and $ref, and fails on any
other keyword it meets so that the document cannot quietly outgrow it.
"""

from __future__ import annotations

import re
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from marketplace.api.openapi import document

PREFIX = "/api/v1"
_TYPES: dict[str, tuple[type, ...]] = {
    "object": (dict,),
    "array": (list,),
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "null": (type(None),),
}
# keywords that only describe (or constrain requests, which the views check themselves)
_DESCRIPTIVE = {"description", "format", "maxLength", "maximum", "exclusiveMinimum"}
_CHECKED = {"$ref", "type", "enum", "properties", "required", "additionalProperties", "items"}
_CHECKED |= {"oneOf", "minimum"}


def resolve(doc: dict[str, Any], ref: str) -> dict[str, Any]:
    node: Any = doc
    for part in ref.removeprefix("#/").split("/"):
        node = node[part]
    assert isinstance(node, dict)
    return node


def _is_type(value: Any, kind: str) -> bool:
    if isinstance(value, bool) and kind in ("integer", "number"):
        return False
    return isinstance(value, _TYPES[kind])


def errors(doc: dict[str, Any], schema: dict[str, Any], value: Any, where: str = "$") -> list[str]:
    """What is wrong with `value` against `schema` (empty: it validates)."""
    unknown = set(schema) - _CHECKED - _DESCRIPTIVE
    assert not unknown, f"contract checker does not know {unknown} (at {where})"
    if "$ref" in schema:
        return errors(doc, resolve(doc, schema["$ref"]), value, where)
    if "oneOf" in schema:
        matching = [s for s in schema["oneOf"] if not errors(doc, s, value, where)]
        return [] if len(matching) == 1 else [f"{where}: matches {len(matching)} of oneOf"]
    found: list[str] = []
    if "type" in schema:
        kinds = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        if not any(_is_type(value, kind) for kind in kinds):
            return [f"{where}: {value!r} is not {'/'.join(kinds)}"]
    if "enum" in schema and value not in schema["enum"]:
        found.append(f"{where}: {value!r} not in {schema['enum']}")
    if "minimum" in schema and isinstance(value, int | float) and value < schema["minimum"]:
        found.append(f"{where}: {value!r} below {schema['minimum']}")
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        for name in schema.get("required", []):
            if name not in value:
                found.append(f"{where}: missing {name}")
        extra = schema.get("additionalProperties", True)
        for name, item in value.items():
            if name in properties:
                found += errors(doc, properties[name], item, f"{where}.{name}")
            elif extra is False:
                found.append(f"{where}: undocumented field {name}")
            elif isinstance(extra, dict):
                found += errors(doc, extra, item, f"{where}.{name}")
    if isinstance(value, list) and "items" in schema:
        for index, item in enumerate(value):
            found += errors(doc, schema["items"], item, f"{where}[{index}]")
    return found


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
        documented = operation["responses"].get(str(response.status_code))
        assert documented is not None, f"{method} {path}: {response.status_code} not documented"
        schema = documented["content"]["application/json"]["schema"]
        problems = errors(self.doc, schema, response.get_json())
        assert not problems, f"{method} {path} → {response.status_code}: {problems}"

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
