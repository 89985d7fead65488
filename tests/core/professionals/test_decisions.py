"""A council's decisions: its own queue only, once, audited, and told to the doctor."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import pytest

from core.errors import Conflict, Forbidden, InvalidInput, NotFound
from core.notify.models import Notification
from core.professionals.models import Professional, ProfessionalStatus
from tests.core.professionals.helpers import Wiring, officer, register


async def test_each_council_sees_only_its_own_queue(hpr: Wiring) -> None:
    first = await register(hpr, registration_number="MH-1")
    hpr.clock.advance(60)
    second = await register(hpr, registration_number="MH-2", mobile="+919876543211")
    gujarat = await register(hpr, council="GJ", registration_number="G-1", mobile="+919876543212")

    maharashtra = await hpr.registry.pending("MH")
    assert [d.hpr_id for d in maharashtra.items] == [first.hpr_id, second.hpr_id]
    assert [d.hpr_id for d in (await hpr.registry.pending("GJ")).items] == [gujarat.hpr_id]
    assert (await hpr.registry.pending("DL")).items == ()

    with pytest.raises(NotFound):
        await hpr.registry.get_for_council(gujarat.hpr_id, "MH")
    assert (await hpr.registry.get_for_council(gujarat.hpr_id, "GJ")).hpr_id == gujarat.hpr_id


async def test_the_queue_is_paginated(hpr: Wiring) -> None:
    for n in range(5):
        await register(hpr, registration_number=f"P{n}", mobile=f"+91987654321{n}")
        hpr.clock.advance(1)
    page = await hpr.registry.pending("MH", page=2, per_page=2)
    assert (page.number, page.total, page.pages, page.has_previous, page.has_next) == (
        2,
        5,
        3,
        True,
        True,
    )
    assert [d.registration_number for d in page.items] == ["P2", "P3"]
    with pytest.raises(InvalidInput):
        await hpr.registry.pending("MH", page=0)


async def test_verifying_tells_the_doctor_and_audits(hpr: Wiring) -> None:
    doctor = await register(hpr, language="hi")
    registrar = await officer(hpr)

    verified = await hpr.registry.verify(doctor.hpr_id, registrar, channel="api")

    assert verified.status is ProfessionalStatus.VERIFIED
    assert verified.decided_by == "officer:MH:mh.registrar"
    assert verified.decided_at == hpr.clock.now()
    assert await hpr.registry.is_verified_requester("mh", "2012/03/1234")
    events = await hpr.audit.events(subject=doctor.hpr_id, action="hpr.verified")
    assert [(e.actor, e.detail) for e in events] == [("officer:MH:mh.registrar", {"council": "MH"})]
    notice = await Notification.get(dedupe_key=f"hpr.decision:{doctor.hpr_id}")
    assert (notice.channel, notice.address, notice.message_key, notice.lang) == (
        "sms",
        "+919876543210",
        "hpr.notice.verified",
        "hi",
    )
    assert notice.params == {
        "name": "Asha Rao",
        "hpr_id": doctor.formatted_hpr_id,
        "hpr_address": "asha.rao@hpr",
        "council": "महाराष्ट्र चिकित्सा परिषद",
    }


async def test_rejecting_needs_a_reason_the_doctor_reads(hpr: Wiring) -> None:
    doctor = await register(hpr, notify_channel="telegram", notify_address="4242")
    registrar = await officer(hpr)

    with pytest.raises(InvalidInput) as no_reason:
        await hpr.registry.reject(doctor.hpr_id, registrar, "  ", channel="api")
    assert no_reason.value.params == {"field": "reason"}
    assert (await hpr.registry.get(doctor.hpr_id)).status is ProfessionalStatus.PENDING

    reason = "Registration 2012/03/1234 is in the name of another doctor"
    rejected = await hpr.registry.reject(doctor.hpr_id, registrar, reason, channel="api")
    assert rejected.status is ProfessionalStatus.REJECTED
    assert rejected.rejection_reason == reason
    assert not await hpr.registry.is_verified_requester("MH", "2012/03/1234")
    notice = await Notification.get(dedupe_key=f"hpr.decision:{doctor.hpr_id}")
    assert (notice.channel, notice.address, notice.message_key) == (
        "telegram",
        "4242",
        "hpr.notice.rejected",
    )
    assert notice.params["reason"] == reason
    assert [e.action for e in await hpr.audit.events(subject=doctor.hpr_id)] == [
        "hpr.registered",
        "hpr.rejected",
    ]


async def test_another_councils_officer_cannot_decide(hpr: Wiring) -> None:
    doctor = await register(hpr)
    outsider = await officer(hpr, "GJ")
    for attempt in (
        hpr.registry.verify(doctor.hpr_id, outsider, channel="api"),
        hpr.registry.reject(doctor.hpr_id, outsider, "not ours", channel="api"),
    ):
        with pytest.raises(Forbidden) as refused:
            await attempt
        assert refused.value.code == "hpr.other_council"
    assert (await hpr.registry.get(doctor.hpr_id)).status is ProfessionalStatus.PENDING
    assert await hpr.audit.events(action="hpr.verified") == []
    assert await Notification.all().count() == 0


async def test_a_decision_is_made_once(hpr: Wiring) -> None:
    doctor = await register(hpr)
    one, two = await officer(hpr, username="one"), await officer(hpr, username="two")
    results = await asyncio.gather(
        hpr.registry.verify(doctor.hpr_id, one, channel="api"),
        hpr.registry.reject(doctor.hpr_id, two, "duplicate entry", channel="api"),
        return_exceptions=True,
    )
    refused = [r for r in results if isinstance(r, Exception)]
    assert len(refused) == 1
    assert isinstance(refused[0], Conflict)
    assert refused[0].code == "hpr.already_decided"
    assert await Notification.all().count() == 1
    with pytest.raises(Conflict):
        await hpr.registry.verify(doctor.hpr_id, one, channel="api")


async def test_history_lists_decisions_newest_first(hpr: Wiring) -> None:
    registrar = await officer(hpr)
    first = await register(hpr, registration_number="H1")
    second = await register(hpr, registration_number="H2", mobile="+919876543211")
    await register(hpr, registration_number="H3", mobile="+919876543212")  # still pending
    await hpr.registry.verify(first.hpr_id, registrar, channel="api")
    hpr.clock.advance(60)
    await hpr.registry.reject(second.hpr_id, registrar, "not found in register", channel="api")

    history = await hpr.registry.history("MH")
    assert [(d.hpr_id, d.status) for d in history.items] == [
        (second.hpr_id, ProfessionalStatus.REJECTED),
        (first.hpr_id, ProfessionalStatus.VERIFIED),
    ]
    assert (await hpr.registry.history("GJ")).total == 0


async def test_unknown_registrations_are_not_found(hpr: Wiring) -> None:
    registrar = await officer(hpr)
    for hpr_id in ("12345678901234", "not-an-id", "0123456789012"):
        with pytest.raises(NotFound):
            await hpr.registry.verify(hpr_id, registrar, channel="api")
    assert not await hpr.registry.is_verified_requester("XX", "1")
    assert not await hpr.registry.is_verified_requester("MH", "<script>")
    assert await Professional.all().count() == 0


@dataclass(frozen=True)
class CouncilApiKey:
    """How the partner API will decide for a council: any `Decider` with a council and actor."""

    council: str
    actor: str


async def test_a_council_api_key_decides_like_an_officer(hpr: Wiring) -> None:
    doctor = await register(hpr)
    with pytest.raises(Forbidden):
        await hpr.registry.verify(doctor.hpr_id, CouncilApiKey("GJ", "key:GJ:1"), channel="api")
    verified = await hpr.registry.verify(
        doctor.hpr_id, CouncilApiKey("MH", "key:MH:1"), channel="api"
    )
    assert verified.decided_by == "key:MH:1"
    body = verified.as_json()
    assert body["status"] == "VERIFIED"
    assert body["mobile"] == "******3210"
    assert body["hpr_address"] == "asha.rao@hpr"
    assert body["qualifications"][0] == {
        "degree": "MBBS",
        "institution": "Grant Medical College",
        "university": "University of Mumbai",
        "year": 2010,
    }
    assert body["decided_at"] == hpr.clock.now().isoformat()
