"""The OpenAPI document is kept in step with the code: same routes, same methods, sound refs,
a valid OpenAPI 3.1 document, closed objects."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate

from marketplace.api.openapi import document
from tests.marketplace.api.contract import (
    DOCUMENT_URI,
    PREFIX,
    ApiClient,
    doc_path,
    errors,
    registry,
)

IGNORED_METHODS = {"HEAD", "OPTIONS"}


def _routes(app: Flask) -> dict[str, set[str]]:
    routes: dict[str, set[str]] = {}
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith(f"{PREFIX}/"):
            methods = set(rule.methods or ()) - IGNORED_METHODS
            routes.setdefault(doc_path(rule.rule), set()).update(methods)
    return routes


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["$ref"]] if "$ref" in node else []
        return found + [ref for value in node.values() for ref in _refs(value)]
    if isinstance(node, list):
        return [ref for value in node for ref in _refs(value)]
    return []


def test_every_api_route_is_documented_with_its_methods_and_nothing_more(app: Flask) -> None:
    documented = {
        path: {method.upper() for method in operations}
        for path, operations in document()["paths"].items()
    }
    assert _routes(app) == documented


def test_path_parameters_match_the_routes() -> None:
    for path, operations in document()["paths"].items():
        names = {part[1:-1] for part in path.split("/") if part.startswith("{")}
        for method, operation in operations.items():
            declared = {p["name"] for p in operation.get("parameters", []) if p["in"] == "path"}
            assert declared == names, f"{method} {path}"


def test_every_reference_resolves_and_every_schema_is_used() -> None:
    doc = document()
    refs = set(_refs(doc))
    resolver = registry(doc).resolver(DOCUMENT_URI)
    for ref in refs:
        assert isinstance(resolver.lookup(ref).contents, dict), ref
    assert {ref.rsplit("/", 1)[1] for ref in refs} == set(doc["components"]["schemas"])


def test_every_operation_is_identified_and_answers_in_json() -> None:
    doc = document()
    assert doc["openapi"].startswith("3.1")
    ids = []
    for operations in doc["paths"].values():
        for operation in operations.values():
            ids.append(operation["operationId"])
            assert operation["responses"]
            for answer in operation["responses"].values():
                assert "application/json" in answer["content"]
            for scheme in (name for need in operation["security"] for name in need):
                assert scheme in doc["components"]["securitySchemes"]
    assert len(ids) == len(set(ids))


def test_the_document_is_served(api: ApiClient) -> None:
    response = api.get(f"{PREFIX}/openapi.json")
    assert response.status_code == 200
    assert response.get_json() == document()


def test_the_document_is_a_valid_openapi_3_1_document() -> None:
    validate(document())  # raises OpenAPIValidationError, naming the place


@pytest.mark.parametrize("name", sorted(document()["components"]["schemas"]))
def test_every_schema_is_valid_json_schema_2020_12(name: str) -> None:
    Draft202012Validator.check_schema(document()["components"]["schemas"][name])


def _objects(node: Any, where: str) -> list[tuple[str, dict[str, Any]]]:
    """Every (sub)schema that lists properties, with where it is."""
    found: list[tuple[str, dict[str, Any]]] = []
    if isinstance(node, dict):
        if "properties" in node:
            found.append((where, node))
        for key, value in node.items():
            found += _objects(value, f"{where}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _objects(value, f"{where}/{index}")
    return found


def test_every_object_is_closed() -> None:
    doc = document()
    objects = _objects(doc["components"]["schemas"], "#/components/schemas")
    objects += _objects(doc["paths"], "#/paths")
    assert objects
    for where, schema in objects:
        assert schema.get("additionalProperties") is False, where


ERROR = ("components", "schemas", "Error")


def test_the_checker_catches_an_undocumented_field() -> None:
    doc = document()
    error = {"error": {"code": "x", "message": "y"}}
    assert errors(doc, ERROR, error) == []
    assert errors(doc, ERROR, {"error": {**error["error"], "extra": 1}}) == [
        "$.error: Additional properties are not allowed ('extra' was unexpected)"
    ]
    assert errors(doc, ERROR, {"error": {"code": 1, "message": "y"}}) == [
        "$.error.code: 1 is not of type 'string'"
    ]
    assert errors(doc, ERROR, {"error": {"code": "x"}}) == [
        "$.error: 'message' is a required property"
    ]


def test_the_checker_follows_references_and_checks_times_and_enums() -> None:
    doc = document()
    job = ("components", "schemas", "Posting")
    found = errors(doc, job, {"id": 1, "title": "t", "kind": "nonsense", "posted_at": "yesterday"})
    assert "$.kind: 'nonsense' is not one of" in " ".join(found)
    assert "$.posted_at: 'yesterday' is not a 'date-time'" in found
    assert "$: 'employer' is a required property" in found
    bad_employer = {"id": 1, "name": "n", "verified": "yes", "key_enterprise": False}
    assert "$.employer.verified: 'yes' is not of type 'boolean'" in errors(
        doc, job, {"employer": bad_employer}
    )
    assert (
        errors(doc, ("components", "schemas", "Session"), {"user": None, "csrf_token": "t"}) == []
    )
