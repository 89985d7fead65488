"""ABDM's published schemas (ndhm-hiu.yml, via jsonschema) judge both directions: every request
ABDM's `ConsentRequest` allows in the shapes HIUs send is accepted, and the artefacts and
callbacks we emit are what ABDM's `ConsentArtefactResponse` and `HIUConsentNotificationEvent`
describe, timestamps written as ABDM writes them."""

from __future__ import annotations

import copy
import json
from datetime import date
from typing import Any

import pytest

from core.consent.models import ConsentCallback
from core.consent.signing import verify
from core.healthid.views import PersonView
from core.records.hitypes import HiType
from testing.world import PIN, World, abdm_body
from tests.webhooks.api.abdm_schemas import TIMESTAMP, problems, schema
from tests.webhooks.api.conftest import Api

ASK = "/api/v1/hiu/consent-requests"
NOTIFY_URL = "https://hiu.example.in/v0.5/consents/hiu/notify"


def zone_less(body: dict[str, Any]) -> dict[str, Any]:
    """Times as NHA's ABDM wrapper writes them: no zone, no milliseconds (UTC meant)."""
    changed = copy.deepcopy(body)
    permission = changed["consent"]["permission"]
    permission["dateRange"] = {"from": "2024-01-01T00:00:00", "to": "2025-12-31T00:00:00"}
    permission["dataEraseAt"] = "2026-06-30T00:00:00"
    changed["timestamp"] = "2026-01-10T10:15:00"
    return changed


async def parties(api: Api, callback_url: str | None = None) -> tuple[PersonView, str, str]:
    world = World(api.services)
    person = await world.person()
    hiu_id, key = await api.verified(name="Sanjeevani Hospital", callback_url=callback_url)
    await world.doctor(works_at=[hiu_id])
    return person, hiu_id, key


@pytest.mark.parametrize("shape", ["as published", "zone-less times"])
async def test_requests_abdm_allows_are_accepted(api: Api, shape: str) -> None:
    person, hiu_id, key = await parties(api)
    body = abdm_body(hiu_id, person.address, consentNotificationUrl=NOTIFY_URL)
    if shape == "zone-less times":
        body = zone_less(body)
    # ABDM's schema: valid (format is an annotation there, as JSON Schema has it by default)
    assert problems(schema("ConsentRequest"), body, formats=False) == []
    asked = await api.call("POST", ASK, json_body=body, key=key)
    assert asked.status == 201, asked.body
    assert asked.body["permission"]["dateRange"] == {"from": "2024-01-01", "to": "2025-12-31"}


async def test_the_published_schema_wants_the_notification_url(api: Api) -> None:
    """Why it is accepted at all: ABDM requires it; we notify the registered callback URL."""
    body = abdm_body("IN0912345678", "asha.devi91@sbx")
    assert problems(schema("ConsentRequest"), body) == [
        "consent: 'consentNotificationUrl' is a required property"
    ]


async def test_artefacts_and_callbacks_are_abdm_shaped(api: Api) -> None:
    person, hiu_id, key = await parties(api, callback_url="https://hiu.example.in/arogya")
    world = World(api.services)
    asked = await api.call("POST", ASK, json_body=abdm_body(hiu_id, person.address), key=key)
    assert asked.status == 201, asked.body
    hip = await world.facility("Apollo Clinic")
    await world.record(hip, person, HiType.PRESCRIPTION, date(2024, 3, 1))
    consent = api.services.consent
    code = (await consent.find_by_id(person.abha_number, asked.body["id"])).code
    await consent.grant(person.abha_number, code, PIN, channel="ussd")
    state = await api.call("GET", f"{ASK}/{asked.body['id']}", key=key)
    [artefact] = state.body["consentArtefacts"]
    certs = await api.call("GET", "/api/v1/consent/certs")
    claims = json.loads(verify(artefact["signedArtefact"], certs.body))
    detail = claims["consentDetail"]

    consent_shape = {
        "status": "GRANTED",
        "consentDetail": detail,
        "signature": artefact["signedArtefact"],
    }
    pointer = schema("ConsentArtefactResponse") + "/properties/consent"
    assert problems(pointer, consent_shape) == []
    permission = detail["permission"]
    stamps = [detail["createdAt"], permission["dataEraseAt"], *permission["dateRange"].values()]
    assert all(TIMESTAMP.fullmatch(s) for s in stamps), stamps
    # the IST calendar days asked for, both ends whole
    assert permission["dateRange"] == {
        "from": "2023-12-31T18:30:00.000Z",
        "to": "2025-12-31T18:29:59.999Z",
    }
    assert detail["requester"]["identifier"] == {
        "type": "REGNO",
        "value": "MH1001",
        "system": "https://www.mciindia.org",
    }

    events = await ConsentCallback.all().order_by("seq")
    assert [event.event.value for event in events] == ["GRANTED"]
    for event in events:
        assert problems(schema("HIUConsentNotificationEvent"), event.payload) == []
        assert TIMESTAMP.fullmatch(str(event.payload["timestamp"])), event.payload


async def test_abdm_hip_and_care_contexts_narrow_what_is_asked(api: Api) -> None:
    person, hiu_id, key = await parties(api)
    world = World(api.services)
    apollo, city = await world.facility("Apollo Clinic"), await world.facility("City Clinic")
    first = await world.record(apollo, person, HiType.PRESCRIPTION, date(2024, 3, 1))
    await world.record(apollo, person, HiType.PRESCRIPTION, date(2024, 4, 1))
    await world.record(city, person, HiType.PRESCRIPTION, date(2024, 5, 1))
    reference = first.care_context_reference
    body = abdm_body(
        hiu_id,
        person.address,
        consentNotificationUrl=NOTIFY_URL,
        hip={"id": apollo.id},
        careContexts=[{"patientReference": person.address, "careContextReference": reference}],
    )
    assert problems(schema("ConsentRequest"), body) == []
    asked = await api.call("POST", ASK, json_body=body, key=key)
    assert asked.status == 201, asked.body
    consent = api.services.consent
    code = (await consent.find_by_id(person.abha_number, asked.body["id"])).code
    await consent.grant(person.abha_number, code, PIN, channel="ussd")
    state = await api.call("GET", f"{ASK}/{asked.body['id']}", key=key)
    [artefact] = state.body["consentArtefacts"]  # Apollo only, not City Clinic
    assert artefact["hipId"] == apollo.id
    certs = await api.call("GET", "/api/v1/consent/certs")
    detail = json.loads(verify(artefact["signedArtefact"], certs.body))["consentDetail"]
    assert [c["careContextReference"] for c in detail["careContexts"]] == [reference]
    fetched = await api.call("GET", f"/api/v1/hiu/consents/{artefact['id']}/records", key=key)
    assert [entry["id"] for entry in fetched.body["entries"]] == [first.id]
