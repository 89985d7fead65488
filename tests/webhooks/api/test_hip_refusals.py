"""Every refusal of a document push is clear, has the right status, and stores nothing."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import pytest

from core.facilities.models import Facility, FacilityStatus
from core.healthid.views import PersonView
from core.records.hitypes import HiType
from core.records.models import HealthRecord
from testing.records import fixture
from tests.webhooks.api.conftest import ADMIN_TOKEN, Api, Serve
from tests.webhooks.api.test_hip_documents import FHIR, PRESCRIPTION, documents, link


@pytest.fixture(autouse=True)
async def nothing_stored_or_announced(api: Api) -> AsyncIterator[None]:
    """Every test here ends with no record stored and nobody told."""
    yield
    assert await HealthRecord.all().count() == 0
    assert api.announced == []


@pytest.fixture
async def linked(api: Api, hospital: tuple[str, str], person: PersonView) -> str:
    """The hospital's key, with care context OPD-1 (a prescription) linked to the person."""
    await link(api, hospital[1], person)
    return hospital[1]


def broken_prescription() -> bytes:
    bundle = json.loads(fixture(PRESCRIPTION))
    bundle["entry"][0]["resource"]["date"] = "yesterday"
    return json.dumps(bundle).encode()


async def test_invalid_fhir_lists_the_failing_paths(api: Api, linked: str) -> None:
    answer = await api.call(
        "POST", documents("OPD-1"), data=broken_prescription(), headers=FHIR, key=linked
    )
    assert (answer.status, answer.code) == (422, "records.invalid_fhir")
    assert answer.body["error"]["paths"] == ["entry.0.resource.date"]
    assert "entry.0.resource.date" in answer.body["error"]["message"]


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (b'{"resourceType": "Patient", "id": "p1"}', "records.not_a_bundle"),
        (
            b'{"resourceType": "Bundle", "type": "collection", "entry": []}',
            "records.not_a_document",
        ),
        (fixture("MAXLIVNO10DiagnosticReportDoc20190801.json"), "records.type_mismatch"),
    ],
)
async def test_what_is_not_an_abdm_document_of_the_linked_type_is_refused(
    api: Api, linked: str, body: bytes, code: str
) -> None:
    answer = await api.call("POST", documents("OPD-1"), data=body, headers=FHIR, key=linked)
    assert (answer.status, answer.code) == (422, code)
    if code == "records.type_mismatch":
        assert answer.body["error"]["details"] == {
            "expected": "Prescription",
            "found": "DiagnosticReport",
        }


async def test_malformed_json_is_a_bad_request(api: Api, linked: str) -> None:
    answer = await api.call(
        "POST", documents("OPD-1"), data=fixture(PRESCRIPTION)[:-20], headers=FHIR, key=linked
    )
    assert (answer.status, answer.code) == (400, "request.malformed_json")


@pytest.mark.parametrize(
    "content_type",
    [
        "text/plain",
        "application/xml",
        "application/fhir+xml",
        "application/fhir+json; charset=utf-16",
        None,
    ],
)
async def test_a_wrong_content_type_is_refused(
    api: Api, linked: str, content_type: str | None
) -> None:
    headers = {"Content-Type": content_type} if content_type else {}
    answer = await api.call(
        "POST", documents("OPD-1"), data=fixture(PRESCRIPTION), headers=headers, key=linked
    )
    assert (answer.status, answer.code) == (415, "request.unsupported_media_type")
    assert "application/fhir+json" in answer.body["error"]["message"]


async def test_another_facilitys_care_context_is_not_found(
    api: Api, linked: str, person: PersonView
) -> None:
    _, lab_key = await api.verified(name="Kashi Pathology", facility_type="diagnostic_lab")
    answer = await api.call(
        "POST", documents("OPD-1"), data=fixture(PRESCRIPTION), headers=FHIR, key=lab_key
    )
    assert (answer.status, answer.code) == (404, "records.care_context_not_found")
    unknown = await api.call(
        "POST", documents("OPD-404"), data=fixture(PRESCRIPTION), headers=FHIR, key=linked
    )
    assert (unknown.status, unknown.code) == (404, "records.care_context_not_found")


@pytest.mark.parametrize(
    ("headers", "code"),
    [
        ({}, "facility.key_missing"),
        ({"Authorization": "Bearer not-a-key"}, "facility.key_invalid"),
        ({"X-API-Key": "afk_aaaaaaaa_" + "a" * 52}, "facility.key_invalid"),  # nobody's key
    ],
)
async def test_a_missing_or_unknown_key_is_refused(
    api: Api, linked: str, headers: dict[str, str], code: str
) -> None:
    answer = await api.call(
        "POST", documents("OPD-1"), data=fixture(PRESCRIPTION), headers={**FHIR, **headers}
    )
    assert (answer.status, answer.code) == (401, code)
    assert answer.headers["WWW-Authenticate"] == 'Bearer realm="arogya-partner-api"'


async def test_a_revoked_key_is_refused(api: Api, hospital: tuple[str, str], linked: str) -> None:
    facility_id, _ = hospital
    revoke = f"/api/v1/admin/facilities/{facility_id}/keys/revoke"
    assert (await api.call("POST", revoke, admin=ADMIN_TOKEN)).status == 204
    answer = await api.call(
        "POST", documents("OPD-1"), data=fixture(PRESCRIPTION), headers=FHIR, key=linked
    )
    assert (answer.status, answer.code) == (401, "facility.key_revoked")


async def test_an_unverified_facility_is_refused(
    api: Api, hospital: tuple[str, str], linked: str
) -> None:
    await Facility.filter(id=hospital[0]).update(status=FacilityStatus.REJECTED)
    answer = await api.call(
        "POST", documents("OPD-1"), data=fixture(PRESCRIPTION), headers=FHIR, key=linked
    )
    assert (answer.status, answer.code) == (403, "facility.not_verified")


async def test_a_record_for_a_deactivated_abha_is_refused(
    api: Api, linked: str, person: PersonView
) -> None:
    await api.services.healthid.deactivate(person.abha_number, channel="sms")
    answer = await api.call(
        "POST", documents("OPD-1"), data=fixture(PRESCRIPTION), headers=FHIR, key=linked
    )
    assert (answer.status, answer.code) == (403, "abha.inactive")


async def test_a_bad_reference_in_the_path_is_named(api: Api, linked: str) -> None:
    answer = await api.call(
        "POST", documents("OPD%201"), data=fixture(PRESCRIPTION), headers=FHIR, key=linked
    )
    assert (answer.status, answer.body["error"]["field"]) == (422, "reference")


async def test_the_size_cap_is_enforced_before_and_while_reading(
    serve: Serve, person: PersonView
) -> None:
    small = await serve(records_max_bundle_bytes=4096)  # the prescription is 3619 bytes
    _, key = await small.verified()
    await link(small, key, person, hi_type=HiType.DIAGNOSTIC_REPORT)
    report = fixture("MAXLIVNO10DiagnosticReportDoc20190801.json")  # 6011 bytes
    declared = await small.call("POST", documents("OPD-1"), data=report, headers=FHIR, key=key)
    assert (declared.status, declared.code) == (413, "request.too_large")
    assert declared.body["error"]["details"] == {"max_kb": 4}

    async def chunks() -> AsyncIterator[bytes]:  # no Content-Length: chunked transfer
        for start in range(0, len(report), 1000):
            yield report[start : start + 1000]

    streamed = await small.call("POST", documents("OPD-1"), data=chunks(), headers=FHIR, key=key)
    assert (streamed.status, streamed.code) == (413, "request.too_large")
    assert small.announced == []
