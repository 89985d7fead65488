"""A facility pushes a record over the partner API; its holder is told by SMS, once."""

from __future__ import annotations

from core.healthid.views import PersonView
from core.notify.models import Notification
from locales import translate
from testing.healthid import enrol_with_aadhaar
from testing.linking import link_token
from testing.records import fixture
from tests.running import ADMIN_TOKEN, Running
from tests.webhooks.api.conftest import health_id, registration

PRESCRIPTION = "MAXRVH9999PrescriptionDoc20160805.json"


async def a_person(running: Running) -> PersonView:
    return await enrol_with_aadhaar(
        health_id(running.services), "999999990026", "98765 43210", handle="sunita.devi"
    )


async def verified_facility(running: Running) -> tuple[str, str]:
    client = running.client
    answer = await client.post("/api/v1/facilities", json=registration())
    assert answer.status == 201, await answer.text()
    facility_id = str((await answer.json())["id"])
    admin = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
    answer = await client.post(f"/api/v1/admin/facilities/{facility_id}/verify", headers=admin)
    assert answer.status == 200, await answer.text()
    return facility_id, (await answer.json())["key"]["api_key"]


async def test_a_pushed_record_is_announced_to_its_holder_once(running: Running) -> None:
    person = await a_person(running)
    facility_id, key = await verified_facility(running)
    auth = {"Authorization": f"Bearer {key}"}
    link = {
        "reference": "OPD-7",
        "display": "OPD visit",
        "hi_type": "Prescription",
        "date": "2026-01-10",
        "abha_number": person.abha_number,
        "link_token": await link_token(running.services, facility_id, person),
    }
    answer = await running.client.post("/api/v1/hip/care-contexts", json=link, headers=auth)
    assert answer.status == 201, await answer.text()
    push = {**auth, "Content-Type": "application/fhir+json", "Idempotency-Key": "push-1"}
    path = "/api/v1/hip/care-contexts/OPD-7/documents"
    for expected in (201, 200):  # the second is an idempotent repeat: no second notice
        answer = await running.client.post(path, data=fixture(PRESCRIPTION), headers=push)
        assert answer.status == expected, await answer.text()

    assert await running.services.notifier.deliver_due() == 1
    notices = [
        row.text
        for row in await running.services.sms.sent_to("+919876543210")
        if row.message_key == "notify.record.new"
    ]
    facility = await running.services.facilities.get(facility_id)
    assert notices == [
        f"New health record from {facility.name}. Dial *384*2222# or send ABHA to read it. -Arogya"
    ]


async def test_a_pushed_record_is_announced_in_every_chat_that_proved_the_mobile(
    running: Running,
) -> None:
    person = await a_person(running)
    channels = running.services.channels
    await channels.link(
        "telegram", "4242", mobile="+919876543210", abha_number=person.abha_number, lang="hi"
    )
    await channels.link("telegram", "5151", mobile="+919811100000", lang="en")  # not theirs
    facility_id, key = await verified_facility(running)
    auth = {"Authorization": f"Bearer {key}"}
    link = {
        "reference": "OPD-8",
        "display": "OPD visit",
        "hi_type": "Prescription",
        "date": "2026-01-10",
        "abha_number": person.abha_number,
        "link_token": await link_token(running.services, facility_id, person),
    }
    answer = await running.client.post("/api/v1/hip/care-contexts", json=link, headers=auth)
    assert answer.status == 201, await answer.text()
    push = {**auth, "Content-Type": "application/fhir+json", "Idempotency-Key": "push-8"}
    for _ in range(2):
        path = "/api/v1/hip/care-contexts/OPD-8/documents"
        answer = await running.client.post(path, data=fixture(PRESCRIPTION), headers=push)
        assert answer.status in (200, 201), await answer.text()

    # (the chat also heard the link request, tests/webhooks/telegram/test_link_notice.py)
    chats = await Notification.filter(
        channel="telegram", message_key__startswith="notify."
    ).values_list("address", "message_key", "lang")
    assert chats == [("4242", "notify.record.new.chat", "hi")]
    facility = await running.services.facilities.get(facility_id)
    text = translate("notify.record.new.chat", "hi", facility=facility.name)
    assert text.startswith(f"{facility.name} से नया स्वास्थ्य रिकॉर्ड")
    assert "/menu" in text


async def test_documents_pushed_back_to_back_make_one_sms(running: Running) -> None:
    """Review D15: a visit's two documents a second apart sent the same SMS twice."""
    person = await a_person(running)
    facility_id, key = await verified_facility(running)
    auth = {"Authorization": f"Bearer {key}"}
    token = await link_token(running.services, facility_id, person)
    for reference in ("OPD-9", "LAB-9"):
        link = {
            "reference": reference,
            "display": f"Visit {reference}",
            "hi_type": "Prescription",
            "date": "2026-01-10",
            "abha_number": person.abha_number,
            "link_token": token,
        }
        answer = await running.client.post("/api/v1/hip/care-contexts", json=link, headers=auth)
        assert answer.status == 201, await answer.text()
        push = {**auth, "Content-Type": "application/fhir+json", "Idempotency-Key": reference}
        path = f"/api/v1/hip/care-contexts/{reference}/documents"
        answer = await running.client.post(path, data=fixture(PRESCRIPTION), headers=push)
        assert answer.status == 201, await answer.text()

    await running.services.notifier.deliver_due()
    notices = [
        row
        for row in await running.services.sms.sent_to("+919876543210")
        if row.message_key == "notify.record.new"
    ]
    assert len(notices) == 1
    listed = await running.services.records.list_records(person.abha_number)
    assert listed.total == 2  # both records are stored and listed all the same
