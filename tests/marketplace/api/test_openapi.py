"""The OpenAPI document is kept in step with the code: same routes, same methods, sound refs."""

from __future__ import annotations

from typing import Any

from flask import Flask

from marketplace.api.openapi import document
from tests.marketplace.api.contract import PREFIX, ApiClient, doc_path, errors, resolve

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
    for ref in refs:
        resolve(doc, ref)
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


def test_the_checker_catches_an_undocumented_field() -> None:
    doc = document()
    error = {"error": {"code": "x", "message": "y"}}
    schema = {"$ref": "#/components/schemas/Error"}
    assert errors(doc, schema, error) == []
    assert errors(doc, schema, {"error": {**error["error"], "extra": 1}}) == [
        "$.error: undocumented field extra"
    ]
    assert errors(doc, schema, {"error": {"code": 1, "message": "y"}}) == [
        "$.error.code: 1 is not string"
    ]
