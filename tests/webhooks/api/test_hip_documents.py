"""Pushing FHIR documents end to end over HTTP: register -> verify -> key -> link -> push,
for each ABDM example bundle, and the person is told once per record."""

from __future__ import annotations

import io
import json
from collections.abc import AsyncIterator

import pytest

from core.healthid import numbers
from core.healthid.views import PersonView
from core.records.hitypes import HiType
from core.records.models import HealthRecord
from testing.linking import link_token
from testing.records import ALL_FIXTURES, fixture
from tests.webhooks.api.conftest import Api, Serve

LINK = "/api/v1/hip/care-contexts"
FHIR = {"Content-Type": "application/fhir+json"}
PRESCRIPTION = "MAXRVH9999PrescriptionDoc20160805.json"
#: The bundle whose ImmunizationRecommendation lacks forecastStatus (accepted with a warning).
TOLERATED = "MAXRVH1012OPConsultationDoc20190807.json"


def documents(reference: str) -> str:
    return f"{LINK}/{reference}/documents"


async def link(
    api: Api,
    key: str,
    person: PersonView,
    reference: str = "OPD-1",
    hi_type: HiType = HiType.PRESCRIPTION,
) -> None:
    facility = await api.services.facilities.authenticate(key)
    token = await link_token(api.services, facility, person)  # the person said yes
    body = {
        "reference": reference,
        "display": f"{hi_type.value} visit",
        "hi_type": hi_type.value,
        "date": "2026-01-10",
        "link_token": token,
    }
    answer = await api.call("POST", LINK, json_body=body, key=key)
    assert answer.status == 201, answer.body


@pytest.mark.parametrize("name", sorted(ALL_FIXTURES))
async def test_each_example_bundle_is_stored_and_announced(
    api: Api, person: PersonView, name: str
) -> None:
    facility_id, key = await api.verified()  # register -> verify -> key, all over HTTP
    hi_type = ALL_FIXTURES[name]
    await link(api, key, person, reference="VISIT-42", hi_type=hi_type)
    body = fixture(name)
    answer = await api.call("POST", documents("VISIT-42"), data=body, headers=FHIR, key=key)
    assert answer.status == 201, answer.body
    record = answer.body["record"]
    assert (record["hi_type"], record["care_context"], record["size"]) == (
        hi_type.value,
        "VISIT-42",
        len(body),
    )
    listed = await api.services.records.list_records(person.abha_number)
    assert [item.id for item in listed.items] == [record["id"]]
    opened = await api.services.records.read_record(record["id"], reader="test", channel="api")
    assert opened.fhir_json == body
    [announced] = api.announced
    assert announced.created
    assert announced.record.id == record["id"]
    assert announced.record.facility_id == facility_id
    assert announced.record.facility_name == "Sanjeevani Multispeciality Hospital"
    assert numbers.compact(announced.record.abha_number) == numbers.compact(person.abha_number)


async def test_plain_json_is_accepted_too(
    api: Api, hospital: tuple[str, str], person: PersonView
) -> None:
    await link(api, hospital[1], person)
    answer = await api.call(
        "POST",
        documents("OPD-1"),
        data=fixture(PRESCRIPTION),
        headers={"Content-Type": "application/json; charset=utf-8"},
        key=hospital[1],
    )
    assert answer.status == 201


async def test_a_repeat_with_the_same_idempotency_key_stores_and_announces_once(
    api: Api, hospital: tuple[str, str], person: PersonView
) -> None:
    _, key = hospital
    await link(api, key, person, hi_type=HiType.OP_CONSULTATION)
    headers = {**FHIR, "Idempotency-Key": "upload-2026-0001"}
    body = fixture(TOLERATED)
    first = await api.call("POST", documents("OPD-1"), data=body, headers=headers, key=key)
    again = await api.call("POST", documents("OPD-1"), data=body, headers=headers, key=key)
    assert (first.status, again.status) == (201, 200)
    assert again.body == first.body
    assert first.body["warnings"] == ["entry.9.resource.recommendation.0.forecastStatus"]
    assert again.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert await HealthRecord.all().count() == 1
    assert len(api.announced) == 1
    other = json.loads(body)
    other["id"] = "another-upload"
    clash = await api.call(
        "POST", documents("OPD-1"), data=json.dumps(other).encode(), headers=headers, key=key
    )
    assert (clash.status, clash.code) == (409, "records.idempotency_conflict")
    bad_key = await api.call(
        "POST",
        documents("OPD-1"),
        data=body,
        headers={**FHIR, "Idempotency-Key": "a b"},
        key=key,
    )
    assert (bad_key.status, bad_key.body["error"]["field"]) == (422, "idempotency_key")
    assert await HealthRecord.all().count() == 1


async def test_without_an_idempotency_key_each_push_is_a_new_record(
    api: Api, hospital: tuple[str, str], person: PersonView
) -> None:
    await link(api, hospital[1], person)
    for _ in range(2):
        answer = await api.call(
            "POST",
            documents("OPD-1"),
            data=fixture(PRESCRIPTION),
            headers=FHIR,
            key=hospital[1],
        )
        assert answer.status == 201
    assert len({stored.record.id for stored in api.announced}) == 2


async def test_a_failing_announcement_does_not_fail_the_upload(
    api: Api, hospital: tuple[str, str], person: PersonView
) -> None:
    api.hook_error = RuntimeError("the notifier is down")
    await link(api, hospital[1], person)
    answer = await api.call(
        "POST", documents("OPD-1"), data=fixture(PRESCRIPTION), headers=FHIR, key=hospital[1]
    )
    assert answer.status == 201
    assert len(api.announced) == 1
    assert await HealthRecord.filter(id=answer.body["record"]["id"]).exists()


async def test_a_document_over_the_apps_client_max_size_is_read_up_to_its_own_cap(
    api: Api, hospital: tuple[str, str], person: PersonView
) -> None:
    """The app refuses bodies over 1 MiB on `request.read()`; documents stream up to the
    records cap (5 MiB by default) instead, whether sized or chunked."""
    await link(api, hospital[1], person)
    padded = fixture(PRESCRIPTION) + b" " * (1024**2 + 1)

    async def chunks() -> AsyncIterator[bytes]:
        for start in range(0, len(padded), 256 * 1024):
            yield padded[start : start + 256 * 1024]

    for data in (io.BytesIO(padded), chunks()):
        answer = await api.call(
            "POST", documents("OPD-1"), data=data, headers=FHIR, key=hospital[1]
        )
        assert answer.status == 201, answer.body
        assert answer.body["record"]["size"] == len(padded)


async def test_without_a_hook_records_are_still_stored(serve: Serve, person: PersonView) -> None:
    api = await serve(hook=False)
    _, key = await api.verified()
    await link(api, key, person)
    answer = await api.call(
        "POST", documents("OPD-1"), data=fixture(PRESCRIPTION), headers=FHIR, key=key
    )
    assert answer.status == 201
    assert api.announced == []
    assert await HealthRecord.all().count() == 1
