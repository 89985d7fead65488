"""The HIU side of the partner API over real HTTP: ask in ABDM's shape, follow the request,
fetch what an artefact releases; every refusal the issue lists, each as documented JSON. Every
answer is checked against the OpenAPI document the server serves (tests/webhooks/api's client)."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from core.clock import FrozenClock
from core.consent.signing import verify
from core.healthid.views import PersonView
from core.records.hitypes import HiType
from testing.linking import link_token
from testing.world import PIN, World, abdm_body, bundle
from tests.webhooks.api.conftest import Api

ASK = "/api/v1/hiu/consent-requests"
CERTS = "/api/v1/consent/certs"
BACKWARDS = {"from": "2025-01-01T00:00:00Z", "to": "2024-01-01T00:00:00Z"}
PAST = "2025-01-01T00:00:00Z"
UNVERIFIED = "consent.requester_not_verified"


def records_of(artefact_id: str, query: str = "") -> str:
    return f"/api/v1/hiu/consents/{artefact_id}/records{query}"


async def scene(api: Api) -> tuple[World, PersonView, str, str, str, str]:
    """A person with two records at a HIP, a verified doctor, and two HIUs (ids and keys)."""
    world = World(api.services)
    person = await world.person()
    hip_id, hip_key = await api.verified(name="Apollo Clinic")
    token = await link_token(api.services, hip_id, person)
    for n, (kind, day) in enumerate(
        ((HiType.PRESCRIPTION, date(2024, 3, 1)), (HiType.DIAGNOSTIC_REPORT, date(2025, 6, 1)))
    ):
        link = {
            "reference": f"V-{n}",
            "display": "Visit",
            "hi_type": kind.value,
            "date": day.isoformat(),
            "link_token": token,
        }
        assert (
            await api.call("POST", "/api/v1/hip/care-contexts", json_body=link, key=hip_key)
        ).status == 201
        pushed = await api.call(
            "POST",
            f"/api/v1/hip/care-contexts/V-{n}/documents",
            data=bundle(kind, day),
            key=hip_key,
            headers={"Content-Type": "application/fhir+json"},
        )
        assert pushed.status == 201, pushed.body
    hiu_id, hiu_key = await api.verified(name="Sanjeevani Hospital")
    other_id, other_key = await api.verified(name="City Clinic")
    await world.doctor(works_at=[hiu_id, other_id])
    return world, person, hiu_id, hiu_key, other_id, other_key


async def test_ask_follow_fetch_and_be_refused_after_revocation(api: Api) -> None:
    _, person, hiu_id, key, _, other_key = await scene(api)
    body = abdm_body(hiu_id, person.address)
    asked = await api.call("POST", ASK, json_body=body, key=key)
    assert asked.status == 201, asked.body
    request_id = asked.body["id"]
    assert (asked.body["status"], asked.body["requestId"]) == ("REQUESTED", body["requestId"])
    assert asked.body["permission"]["dateRange"] == {"from": "2024-01-01", "to": "2025-12-31"}
    again = await api.call("POST", ASK, json_body=body, key=key)
    assert (again.status, again.headers["Idempotent-Replayed"]) == (200, "true")
    assert again.body == asked.body

    consent = api.services.consent
    code = (await consent.find_by_id(person.abha_number, request_id)).code
    await consent.grant(person.abha_number, code, PIN, channel="ussd")
    state = await api.call("GET", f"{ASK}/{request_id}", key=key)
    assert state.body["status"] == "GRANTED"
    [artefact] = state.body["consentArtefacts"]
    certs = await api.call("GET", CERTS)
    assert certs.headers["Cache-Control"] == "max-age=300"
    claims = json.loads(verify(artefact["signedArtefact"], certs.body))
    assert claims["consentDetail"]["consentId"] == artefact["id"]
    assert claims["consentDetail"]["patient"] == {"id": person.address}
    assert [c["careContextReference"] for c in claims["consentDetail"]["careContexts"]] == [
        "V-0",
        "V-1",
    ]

    fetched = await api.call("GET", records_of(artefact["id"]), key=key)
    assert fetched.status == 200, fetched.body
    assert fetched.headers["Cache-Control"] == "no-store"
    entry, lab = fetched.body["entries"]
    assert (entry["careContextReference"], entry["hiType"], entry["date"]) == (
        "V-0",
        "Prescription",
        "2024-03-01",
    )
    assert entry["bundle"] == json.loads(bundle(HiType.PRESCRIPTION, date(2024, 3, 1)))
    assert (lab["hiType"], fetched.body["total"], fetched.body["next"]) == (
        "DiagnosticReport",
        2,
        None,
    )

    stranger = await api.call("GET", records_of(artefact["id"]), key=other_key)
    assert (stranger.status, stranger.code) == (404, "consent.artefact_not_found")
    hidden = await api.call("GET", f"{ASK}/{request_id}", key=other_key)
    assert (hidden.status, hidden.code) == (404, "consent.request_not_found")

    await consent.revoke(person.abha_number, code, PIN, channel="sms")
    refused = await api.call("GET", records_of(artefact["id"]), key=key)
    assert (refused.status, refused.code) == (403, "consent.revoked")
    assert (await api.call("GET", f"{ASK}/{request_id}", key=key)).body["status"] == "REVOKED"


async def test_bad_requests_are_refused_clearly(api: Api) -> None:
    _, person, hiu_id, key, other_id, _ = await scene(api)

    async def refusal(body: dict[str, Any], **headers: str) -> tuple[int, str, Any]:
        answer = await api.call("POST", ASK, json_body=body, key=key, headers=headers)
        return answer.status, answer.code, answer.body["error"]

    def changed(path: str, value: Any) -> dict[str, Any]:
        body = abdm_body(hiu_id, person.address)
        node = body
        *parents, last = path.split(".")
        for part in parents:
            node = node[part]
        node[last] = value
        return body

    cases = [
        (changed("consent.purpose.code", "SHOPPING"), 422, "consent.purpose_unknown"),
        (changed("consent.hiTypes", ["Prescription", "Xray"]), 422, "consent.hi_type_unknown"),
        (changed("consent.permission.dateRange", BACKWARDS), 422, "consent.date_range_order"),
        (changed("consent.permission.dataEraseAt", PAST), 422, "consent.erase_at_past"),
        (changed("consent.patient.id", "nobody.here@sbx"), 404, "abha.not_found"),
        (changed("consent.patient.id", "91-0000-0000-0001"), 422, "abha.invalid"),
        (changed("consent.hiu.id", other_id), 403, "consent.hiu_mismatch"),
        (changed("consent.requester.identifier.value", "MH9999"), 403, UNVERIFIED),
        (changed("consent.permission.accessMode", "DELETE"), 422, "consent.invalid"),
        (changed("consent.permission.frequency.value", "1"), 422, "request.invalid"),
        (changed("consent.permission.dataEraseAt", "20 Dec 2026"), 422, "request.invalid"),
        (
            changed(
                "consent.careContexts", [{"patientReference": "x", "careContextReference": "V-0"}]
            ),
            422,
            "consent.invalid",
        ),  # visits without the HIP they belong to
        (changed("consent.careContextz", []), 422, "request.invalid"),  # unknown field
    ]
    for body, status, code in cases:
        answer_status, answer_code, error = await refusal(body)
        assert (answer_status, answer_code) == (status, code), (body, error)
    _, _, error = await refusal(changed("consent.permission.accessMode", "DELETE"))
    assert error["field"] == "consent.permission.accessMode"
    hindi = await api.call(
        "POST",
        ASK,
        json_body=changed("consent.hiTypes", ["Xray"]),
        key=key,
        headers={"Accept-Language": "hi"},
    )
    assert "अज्ञात" in hindi.body["error"]["message"]

    reused = changed("consent.purpose.code", "BTG")
    assert (
        await api.call("POST", ASK, json_body=abdm_body(hiu_id, person.address), key=key)
    ).status == 201
    assert (await refusal(reused))[:2] == (409, "consent.request_id_reused")
    anonymous = await api.call("POST", ASK, json_body=abdm_body(hiu_id, person.address))
    assert (anonymous.status, anonymous.code) == (401, "facility.key_missing")


async def test_fetch_paging_and_its_refusals(api: Api, clock: FrozenClock) -> None:
    _, person, hiu_id, key, _, _ = await scene(api)
    body = abdm_body(hiu_id, person.address, hiTypes=["Prescription", "DiagnosticReport"])
    request_id = (await api.call("POST", ASK, json_body=body, key=key)).body["id"]
    consent = api.services.consent
    code = (await consent.find_by_id(person.abha_number, request_id)).code
    [artefact] = (await consent.grant(person.abha_number, code, PIN, channel="sms")).artefacts
    first = await api.call("GET", records_of(artefact.id, "?page_size=1"), key=key)
    assert (first.body["total"], first.body["pages"], len(first.body["entries"])) == (2, 2, 1)
    assert first.body["next"] == records_of(artefact.id, "?page_size=1&page=2")
    second = await api.call("GET", first.body["next"], key=key)
    assert [e["hiType"] for e in first.body["entries"] + second.body["entries"]] == [
        "Prescription",
        "DiagnosticReport",
    ]  # oldest first
    refusals = (
        ("?page_size=21", "consent.paging"),
        ("?page=0", "consent.paging"),
        ("?page=x", "consent.paging"),
        ("?pin=1", "request.unknown_parameter"),
    )
    for query, code_expected in refusals:
        refused = await api.call("GET", records_of(artefact.id, query), key=key)
        assert (refused.status, refused.code) == (422, code_expected), query
    unknown = await api.call("GET", records_of("no-such-artefact"), key=key)
    assert (unknown.status, unknown.code) == (404, "consent.artefact_not_found")
    clock.advance(days=200)  # past dataEraseAt (2026-06-30), before any sweep
    expired = await api.call("GET", records_of(artefact.id), key=key)
    assert (expired.status, expired.code) == (403, "consent.expired")
    fetched = await api.services.audit.events(action="consent.fetched")
    released = [e.detail["records"] for e in fetched]
    assert [len(records) for records in released if isinstance(records, list)] == [1, 1]


async def test_the_consent_routes_are_documented(api: Api) -> None:
    paths = api.document["paths"]
    assert set(paths[ASK]) == {"post"}
    assert set(paths[f"{ASK}/{{request_id}}"]) == {"get"}
    assert set(paths["/api/v1/hiu/consents/{artefact_id}/records"]) == {"get"}
    assert paths[CERTS]["get"]["security"] == []
    keys = (await api.call("GET", CERTS)).body["keys"]
    assert keys == api.services.consent.jwks()["keys"]
