"""The person answers a facility's link request with "YES <code>" by SMS, over the real app.

The facility then takes its token without a code. The same words from another phone authorise
nothing, and a request answered by SMS cannot be answered again.
"""

from __future__ import annotations

from typing import Any

from core.records.people import person_by_number
from testing.linking import sent_link_code
from tests.running import SMS_TOKEN, Running
from tests.webhooks.api.test_record_notice import a_person, verified_facility

ASK = "/api/v1/hip/link-requests"


async def sms(running: Running, sender: str, text: str, message_id: str) -> dict[str, Any]:
    answer = await running.client.post(
        "/sms",
        json={"id": message_id, "from": sender, "text": text},
        headers={"Authorization": f"Bearer {SMS_TOKEN}"},
    )
    assert answer.status == 200, await answer.text()
    body: dict[str, Any] = await answer.json()
    return body


async def test_yes_by_sms_authorises_the_facility(running: Running) -> None:
    person = await a_person(running)
    mobile = (await person_by_number(person.abha_number)).mobile
    assert mobile is not None
    facility_id, key = await verified_facility(running)
    auth = {"Authorization": f"Bearer {key}"}
    answer = await running.client.post(ASK, json={"abha_number": person.abha_number}, headers=auth)
    assert answer.status == 202
    request_id = (await answer.json())["id"]
    code = await sent_link_code(running.services, mobile)

    stranger = await sms(running, "+919811100000", f"YES {code}", "m-1")
    assert "does not match" in stranger["reply"]
    state = await running.client.get(f"{ASK}/{request_id}", headers=auth)
    assert (await state.json())["status"] == "pending"

    said = await sms(running, mobile, f"yes {code}", "m-2")
    facility = await running.services.facilities.get(facility_id)
    assert facility.name in said["reply"]
    state = await running.client.get(f"{ASK}/{request_id}", headers=auth)
    assert (await state.json())["status"] == "authorised"

    issued = await running.client.post(f"{ASK}/{request_id}/token", json={}, headers=auth)
    assert issued.status == 201, await issued.text()
    token = (await issued.json())["link_token"]
    visit = {
        "reference": "OPD-9",
        "display": "OPD visit",
        "hi_type": "Prescription",
        "date": "2026-01-10",
        "link_token": token,
    }
    linked = await running.client.post("/api/v1/hip/care-contexts", json=visit, headers=auth)
    assert linked.status == 201, await linked.text()
    again = await sms(running, mobile, f"YES {code}", "m-3")  # answered: says so, changes nothing
    assert again["reply"].startswith(f"You already allowed {facility.name} to add your visits.")
    state = await running.client.get(f"{ASK}/{request_id}", headers=auth)
    assert (await state.json())["status"] == "issued"
