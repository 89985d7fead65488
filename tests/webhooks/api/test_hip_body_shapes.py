"""Bodies that once gave a 500 or were read in the wrong encoding: deep nesting, UTF-16."""

from __future__ import annotations

import json
from typing import Any

from core.healthid.views import PersonView
from core.records.models import HealthRecord
from testing.records import fixture
from tests.webhooks.api.conftest import Api
from tests.webhooks.api.test_hip_documents import FHIR, PRESCRIPTION, documents, link


def nested_extension(depth: int) -> dict[str, Any]:
    node: dict[str, Any] = {"url": "https://example.in/leaf", "valueString": "x"}
    for level in range(depth):
        node = {"url": f"https://example.in/level-{level}", "extension": [node]}
    return node


async def test_deeply_nested_extensions_are_a_422_not_a_500(
    api: Api, hospital: tuple[str, str], person: PersonView
) -> None:
    await link(api, hospital[1], person)
    bundle = json.loads(fixture(PRESCRIPTION))
    bundle["entry"][0]["resource"]["extension"] = [nested_extension(120)]
    answer = await api.call(
        "POST", documents("OPD-1"), data=json.dumps(bundle).encode(), headers=FHIR, key=hospital[1]
    )
    assert (answer.status, answer.code) == (422, "records.too_deep")
    assert answer.body["error"]["details"] == {"max": 64}
    assert await HealthRecord.all().count() == 0


async def test_a_body_that_is_not_utf8_is_refused(
    api: Api, hospital: tuple[str, str], person: PersonView
) -> None:
    await link(api, hospital[1], person)
    utf16 = fixture(PRESCRIPTION).decode("utf-8").encode("utf-16")
    answer = await api.call("POST", documents("OPD-1"), data=utf16, headers=FHIR, key=hospital[1])
    assert (answer.status, answer.code) == (400, "request.malformed_json")
    assert await HealthRecord.all().count() == 0
