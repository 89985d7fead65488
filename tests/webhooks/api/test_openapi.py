"""The OpenAPI document matches the routes, its examples match its schemas, and the checker
that every other test relies on really refuses what it should."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.webhooks.api.conftest import Api
from tests.webhooks.api.schema_check import UnsupportedKeyword, errors, resolve, response_problems
from webhooks.api import PREFIX
from webhooks.api.keys import PARTNER_API
from webhooks.api.openapi import build_document

METHODS = frozenset({"get", "post", "put", "patch", "delete"})


def registered_routes(api: Api) -> set[tuple[str, str]]:
    assert api.client.app is not None
    partner_api = api.client.app[PARTNER_API]
    return {
        (route.method.lower(), route.resource.canonical)
        for route in partner_api.router.routes()
        if route.method != "HEAD" and route.resource is not None
    }


def documented_routes(document: dict[str, Any]) -> set[tuple[str, str]]:
    return {
        (method, path)
        for path, item in document["paths"].items()
        for method in item
        if method in METHODS
    }


async def test_every_route_is_documented_and_every_documented_route_exists(api: Api) -> None:
    routes = registered_routes(api)
    assert all(path.startswith(f"{PREFIX}/") for _, path in routes)
    assert routes == documented_routes(api.document)
    expected = {
        ("post", "/api/v1/facilities"),
        ("post", "/api/v1/hip/care-contexts"),
        ("post", "/api/v1/hip/care-contexts/{reference}/documents"),
        ("post", "/api/v1/professionals"),
        ("post", "/api/v1/hiu/consent-requests"),
        ("get", "/api/v1/hiu/consents/{artefact_id}/records"),
        ("get", "/api/v1/consent/certs"),
    }
    assert expected <= routes, expected - routes


async def test_the_document_is_public_and_is_openapi_3_1(api: Api) -> None:
    answer = await api.call("GET", "/api/v1/openapi.json")
    assert answer.status == 200
    assert answer.body == build_document()
    assert answer.body["openapi"] == "3.1.0"
    assert set(answer.body["components"]["securitySchemes"]) == {
        "facilityKey",
        "facilityKeyHeader",
        "adminToken",
    }


def walk(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from walk(value)


def test_every_reference_resolves_and_every_operation_is_complete() -> None:
    document = build_document()
    for node in walk(document):
        if "$ref" in node:
            assert isinstance(resolve(document, node["$ref"]), dict)
    ids = []
    schemes = document["components"]["securitySchemes"]
    for path, item in document["paths"].items():
        for method, operation in item.items():
            ids.append(operation["operationId"])
            assert operation["summary"], (method, path)
            assert operation["tags"], (method, path)
            assert all(set(need) <= set(schemes) for need in operation["security"])
            assert any(status.startswith("2") for status in operation["responses"])
            named = {p["name"] for p in operation.get("parameters", []) if p["in"] == "path"}
            assert named == {part[1:-1] for part in path.split("/") if part.startswith("{")}
    assert len(ids) == len(set(ids))


def test_every_example_in_the_document_fits_its_schema() -> None:
    document = build_document()
    checked = 0
    for node in walk(document):
        if "schema" in node and "example" in node:
            assert errors(node["schema"], node["example"], document) == []
            checked += 1
        if "examples" in node and isinstance(node["examples"], list) and "type" in node:
            schema = {key: value for key, value in node.items() if key != "examples"}
            for example in node["examples"]:
                assert errors(schema, example, document) == []
                checked += 1
    assert checked >= 8


def test_the_checker_refuses_bodies_the_schemas_refuse() -> None:
    document = build_document()
    error = {"$ref": "#/components/schemas/ErrorResponse"}
    assert errors(error, {"error": {"code": "x", "message": "y"}}, document) == []
    assert errors(error, {"error": {"code": "x"}}, document)  # no message
    assert errors(error, {"error": {"code": "x", "message": "y", "extra": 1}}, document)
    assert errors(error, {"error": {"code": 7, "message": "y"}}, document)
    assert errors(error, {"error": {"code": "x", "message": "y", "paths": "a"}}, document)
    receipt = {"$ref": "#/components/schemas/DocumentReceipt"}
    good = document["paths"]["/api/v1/hip/care-contexts/{reference}/documents"]["post"]
    example = good["responses"]["201"]["content"]["application/json"]["example"]
    assert errors(receipt, example, document) == []
    assert errors(receipt, {**example, "record": {**example["record"], "date": "10/01"}}, document)
    assert errors(receipt, {**example, "record": {**example["record"], "size": True}}, document)
    assert errors(receipt, {**example, "record": {**example["record"], "hi_type": "X"}}, document)


def test_the_checker_knows_undocumented_statuses_and_unsupported_keywords() -> None:
    document = build_document()
    problems = response_problems(document, "GET", "/api/v1/facilities/IN0912345678", 418, {})
    assert problems == ["GET /api/v1/facilities/{facility_id}: status 418 is not documented"]
    assert response_problems(document, "POST", "/api/v1/nowhere", 200, {})
    with pytest.raises(UnsupportedKeyword):
        errors({"discriminator": {}}, {}, document)


async def test_unknown_paths_and_methods_answer_json(api: Api) -> None:
    missing = await api.call("GET", "/api/v1/nowhere")
    assert (missing.status, missing.code) == (404, "http.404")
    wrong = await api.call("DELETE", "/api/v1/facilities")
    assert (wrong.status, wrong.code) == (405, "http.405")
    assert set(wrong.headers["Allow"].split(",")) >= {"GET", "POST"}
