"""End to end, over HTTP and the phone channels: a HIU asks -> the person is told by SMS ->
approves on USSD (or by SMS) with the PIN -> one signed artefact per HIP -> the HIU hears it at
its callback URL (a loopback server) -> fetches the records -> the person sees who saw them ->
revokes -> the next fetch is refused, and the HIU hears that too."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest

from core.clock import FrozenClock
from core.consent.models import ConsentStatus
from core.consent.signing import verify
from core.records.hitypes import HiType
from core.state import StateStore
from testing.linking import link_token
from testing.world import PIN, World, abdm_body, ask, bundle
from tests.core.consent.hiu_server import HiuServer, hiu_server
from tests.running import ADMIN_TOKEN, Running
from tests.webhooks.api.conftest import registration
from tests.webhooks.consent.phones import ConsentPhone
from tests.webhooks.journey_phones import PHONE, JourneySmsPhone, JourneyUssdPhone

ASK = "/api/v1/hiu/consent-requests"


@dataclass
class Hiu:
    id: str
    key: str
    server: HiuServer


@pytest.fixture
async def hiu() -> AsyncIterator[HiuServer]:
    async with hiu_server() as server:
        yield server


async def call(
    running: Running, method: str, path: str, *, key: str | None = None, **kwargs: Any
) -> tuple[int, Any]:
    headers = kwargs.pop("headers", {})
    if key:
        headers["Authorization"] = f"Bearer {key}"
    answer = await running.client.request(method, path, headers=headers, **kwargs)
    return answer.status, await answer.json()


async def facility(running: Running, name: str, callback_url: str | None = None) -> tuple[str, str]:
    status, body = await call(
        running,
        "POST",
        "/api/v1/facilities",
        json=registration(name=name, callback_url=callback_url),
    )
    assert status == 201, body
    status, body = await call(
        running,
        "POST",
        f"/api/v1/admin/facilities/{body['id']}/verify",
        headers={"Authorization": f"Bearer {ADMIN_TOKEN}"},
    )
    assert status == 200, body
    return body["facility"]["id"], body["key"]["api_key"]


async def scene(running: Running, hiu: HiuServer, *, lang: str = "en") -> tuple[Hiu, str]:
    """A person (PIN set) on PHONE with two records at Apollo Clinic, a verified doctor, and a
    HIU with its callback on loopback that has just asked for consent (all over HTTP but the
    person and the doctor, who enrol through their own registries)."""
    world = World(running.services)
    person = await world.person(lang=lang)
    hip_id, hip_key = await facility(running, "Apollo Clinic")
    token = await link_token(running.services, hip_id, person)
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
        assert (await call(running, "POST", "/api/v1/hip/care-contexts", json=link, key=hip_key))[
            0
        ] == 201
        status, _ = await call(
            running,
            "POST",
            f"/api/v1/hip/care-contexts/V-{n}/documents",
            data=bundle(kind, day),
            key=hip_key,
            headers={"Content-Type": "application/fhir+json"},
        )
        assert status == 201
    hiu_id, hiu_key = await facility(running, "Sanjeevani Hospital", hiu.url)
    await world.doctor(works_at=[hiu_id])
    status, asked = await call(
        running, "POST", ASK, key=hiu_key, json=abdm_body(hiu_id, person.address)
    )
    assert status == 201, asked
    return Hiu(hiu_id, hiu_key, hiu), asked["id"]


async def notice_code(running: Running) -> str:
    await running.services.notifier.deliver_due()
    texts = [
        row.text
        for row in await running.services.sms.sent_to(PHONE)
        if row.message_key == "consent.notice.request"
    ]
    [text] = texts
    found = re.search(r"YES ([A-Z0-9]{4})", text) or re.search(r"YES ([A-Z0-9]{4})", text)
    assert found, text
    return found.group(1)


async def hiu_hears(running: Running, hiu: Hiu, status: str) -> dict[str, Any]:
    assert await running.services.consent.callbacks.deliver_due() == 1
    delivery = hiu.server.deliveries[-1]
    verify(delivery.signature, running.services.consent.jwks(), payload=delivery.raw)
    assert hiu.server.statuses()[-1] == status
    return delivery.body["notification"]  # type: ignore[no-any-return]


async def test_request_notice_approve_fetch_revoke_over_ussd(
    running: Running, hiu: HiuServer, state: StateStore, clock: FrozenClock
) -> None:
    the_hiu, request_id = await scene(running, hiu)
    code = await notice_code(running)
    phone = ConsentPhone(JourneyUssdPhone(running.client, running.services, clock), state, "ussd")

    await phone.dial()  # the request waiting comes under the title, as 8: 1-7 never shift
    assert phone.screen.startswith(
        "Arogya ABHA\n8. Sanjeevani Hospital asks for your records (1)\n1. Create ABHA\n"
    ), phone.screen
    assert f"Reply YES {code} or NO {code}." in phone.screen  # the SMS notice came too
    await phone.choose("Sanjeevani Hospital asks for your records (1)")
    # One screen's question on USSD; the whole request is one key away (issue 14).
    assert phone.screen.startswith("Show your records to Sanjeevani Hospital?\n1. Yes\n2. No")
    await phone.choose("Read in full")
    assert (
        "Dr. Meera Iyer of Sanjeevani Hospital asks to see your OPD notes, prescriptions, "
        "test reports from 01-01-2024 to 31-12-2025, for your care, until 30-06-2026."
        in await phone.read_all()
    )
    await phone.choose("Approve")
    assert "Type your PIN to let Sanjeevani Hospital see these records" in phone.screen
    await phone.send("0000")
    assert "That PIN is not correct. Tries left: 4." in phone.screen
    await phone.send(PIN)
    assert "Approved. Sanjeevani Hospital can see these records until 30-06-2026." in " ".join(
        phone.screen.split()
    )
    assert "No request is waiting for your answer." in phone.screen

    notification = await hiu_hears(running, the_hiu, "GRANTED")
    [artefact] = notification["consentArtefacts"]
    status, state_body = await call(running, "GET", f"{ASK}/{request_id}", key=the_hiu.key)
    assert (status, state_body["status"]) == (200, "GRANTED")
    path = f"/api/v1/hiu/consents/{artefact['id']}/records"
    status, fetched = await call(running, "GET", path, key=the_hiu.key)
    assert status == 200, fetched
    assert [e["hiType"] for e in fetched["entries"]] == ["Prescription", "DiagnosticReport"]

    await phone.choose("Who saw my records")
    assert (
        "15-01-2026 Sanjeevani Hospital (Dr. Meera Iyer): 2 record(s), test reports, "
        "prescriptions" in " ".join(phone.screen.split())
    )
    await phone.choose("Back")
    await phone.choose("Active consents (1)")
    await phone.choose("Sanjeevani Hospital, until 30-06-2026")
    assert "kept at Apollo Clinic" in " ".join(phone.screen.split())
    await phone.choose("Revoke")
    await phone.send(PIN)
    assert "Revoked. Sanjeevani Hospital can no longer see your records." in " ".join(
        phone.screen.split()
    )

    status, refused = await call(running, "GET", path, key=the_hiu.key)
    assert (status, refused["error"]["code"]) == (403, "consent.revoked")
    await hiu_hears(running, the_hiu, "REVOKED")
    assert hiu.applied_statuses() == ["GRANTED", "REVOKED"]


async def test_request_notice_answered_by_sms_with_its_code(
    running: Running, hiu: HiuServer, state: StateStore, clock: FrozenClock
) -> None:
    the_hiu, _ = await scene(running, hiu)
    code = await notice_code(running)
    world = World(running.services)
    other = await world.person("+919811100000", handle="ravi.kumar", first_name="Ravi")
    hiu_view = await running.services.facilities.get(the_hiu.id)
    theirs = (
        await running.services.consent.request(
            hiu_view, ask(hiu_view, other.address, ref="other-1")
        )
    ).request.code
    phone = ConsentPhone(JourneySmsPhone(running.client, running.services, clock), state, "sms")
    await phone.send("ABHA")
    await phone.choose("Consents")
    await phone.send("YES ZZZZ")  # no such code for this phone's Health IDs
    assert "No request with code ZZZZ is for a Health ID of yours." in phone.screen
    if theirs != code:  # another person's request: not this phone's to answer
        await phone.send(f"YES {theirs}")
        assert f"No request with code {theirs} is for a Health ID of yours." in phone.screen
    await phone.send(f"yes {code.lower()}")
    assert "Type your PIN to let Sanjeevani Hospital see these records" in phone.screen
    await phone.send(PIN)
    assert "Approved. Sanjeevani Hospital can see these records" in phone.screen
    [artefact] = (await hiu_hears(running, the_hiu, "GRANTED"))["consentArtefacts"]
    await phone.send(f"NO {code}")  # a replayed code changes nothing
    assert f"You already approved request {code}." in phone.screen
    assert await running.services.consent.callbacks.deliver_due() == 0

    path = f"/api/v1/hiu/consents/{artefact['id']}/records"
    assert (await call(running, "GET", path, key=the_hiu.key))[0] == 200
    await phone.choose("Active consents (1)")
    await phone.choose("Sanjeevani Hospital, until 30-06-2026")
    await phone.choose("Revoke")
    await phone.send(PIN)
    assert "Revoked. Sanjeevani Hospital can no longer see your records." in phone.screen
    status, refused = await call(running, "GET", path, key=the_hiu.key)
    assert (status, refused["error"]["code"]) == (403, "consent.revoked")
    await hiu_hears(running, the_hiu, "REVOKED")
    assert (await running.services.consent.find(other.abha_number, theirs)).status is (
        ConsentStatus.REQUESTED
    )


async def test_a_denial_over_ussd_in_hindi_fits_every_page(
    running: Running, hiu: HiuServer, state: StateStore, clock: FrozenClock
) -> None:
    the_hiu, _ = await scene(running, hiu, lang="hi")
    code = await notice_code(running)
    hindi = [
        row.text
        for row in await running.services.sms.sent_to(PHONE)
        if row.message_key == "consent.notice.request"
    ]
    assert f"YES {code}" in hindi[0]
    assert "देखना चाहते हैं" in hindi[0]
    phone = ConsentPhone(JourneyUssdPhone(running.client, running.services, clock), state, "ussd")
    await phone.dial()
    await phone.send("HINDI")
    await phone.choose("मेरी सहमतियाँ")
    await phone.choose(f"Sanjeevani Hospital का अनुरोध ({code})")
    await phone.choose("नहीं")
    await phone.send(PIN)
    assert "अस्वीकृत। Sanjeevani Hospital आपके रिकॉर्ड नहीं देख पाएगा।" in " ".join(phone.screen.split())
    await hiu_hears(running, the_hiu, "DENIED")
    await phone.choose("अस्वीकृत, रद्द, समाप्त")
    assert "Sanjeevani Hospital: 15-01-2026 को अस्वीकृत" in phone.screen


async def test_a_waiting_request_leads_the_menu_in_hindi_and_the_rest_still_answers(
    running: Running, hiu: HiuServer, state: StateStore, clock: FrozenClock
) -> None:
    await scene(running, hiu)
    code = await notice_code(running)
    phone = ConsentPhone(JourneyUssdPhone(running.client, running.services, clock), state, "ussd")
    await phone.dial()
    await phone.send("HINDI")
    assert "8. Sanjeevani Hospital रिकॉर्ड माँग रहा है (1)" in phone.screen
    await phone.send("2")  # "My ABHA", where it always is
    assert "9876543210 से लॉग इन करें?" in phone.screen  # "My ABHA" asks who
    assert f"({code})" not in phone.screen
    await phone.send("MENU")
    await phone.choose("Sanjeevani Hospital रिकॉर्ड माँग रहा है (1)")
    await phone.choose("नहीं")
    await phone.send(PIN)
    await phone.send("MENU")  # answered: the menu is the plain one again
    assert "माँग रहा है" not in phone.screen
    assert phone.screen.startswith("आरोग्य"), phone.screen
