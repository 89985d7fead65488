"""Telling the HIU: every status change POSTed to its callback URL from an outbox, signed, in
order per request, retried when the HIU is down, given up when it refuses, and applied once by
its event id however often it arrives."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import date

import pytest

from core.clock import FrozenClock
from core.consent.models import CallbackStatus, ConsentCallback, ConsentRequest, ConsentStatus
from core.consent.signing import verify
from core.facilities.views import FacilityView
from core.healthid.views import PersonView
from core.records.hitypes import HiType
from core.services import Services
from testing.world import PIN, World, ask
from tests.core.consent.hiu_server import HiuServer, hiu_server


@pytest.fixture
async def hiu() -> AsyncIterator[HiuServer]:
    async with hiu_server() as server:
        yield server


async def scene(world: World, url: str | None) -> tuple[PersonView, FacilityView]:
    person = await world.person()
    hip = await world.facility("Apollo Clinic")
    await world.record(hip, person, HiType.PRESCRIPTION, date(2024, 3, 1))
    hiu = await world.facility("Sanjeevani Hospital", callback_url=url)
    await world.doctor(works_at=[hiu])
    return person, hiu


async def test_a_grant_is_posted_signed_and_each_event_is_applied_once(
    services: Services, world: World, hiu: HiuServer, clock: FrozenClock
) -> None:
    person, hiu_view = await scene(world, hiu.url)
    consent = services.consent
    requested = (await consent.request(hiu_view, ask(hiu_view, person.address))).request
    assert await ConsentCallback.all().count() == 0  # asking is not a status change
    granted = await consent.grant(person.abha_number, requested.code, PIN, channel="sms")
    hiu.failures = [503]  # the HIU is down the first time
    assert await consent.callbacks.deliver_due() == 0
    assert await consent.callbacks.deliver_due() == 0  # not due again before the backoff
    clock.advance(hours=1)
    assert await consent.callbacks.deliver_due() == 1
    first, second = hiu.deliveries
    assert first.event_id == second.event_id == second.body["requestId"]
    assert first.raw == second.raw
    assert hiu.applied_statuses() == ["GRANTED"]
    verify(second.signature, consent.jwks(), payload=second.raw)
    notification = second.body["notification"]
    assert notification["consentRequestId"] == requested.id
    assert notification["hiuRequestId"] == "req-1"
    [artefact] = notification["consentArtefacts"]
    assert artefact["id"] == granted.artefacts[0].id
    assert verify(artefact["signedArtefact"], consent.jwks())
    row = await ConsentCallback.get(id=first.event_id)
    assert (row.status, row.attempts, row.last_error) == (CallbackStatus.SENT, 2, None)


async def test_events_of_one_request_arrive_in_order(
    services: Services, world: World, hiu: HiuServer, clock: FrozenClock
) -> None:
    person, hiu_view = await scene(world, hiu.url)
    consent = services.consent
    code = (await consent.request(hiu_view, ask(hiu_view, person.address))).request.code
    await consent.grant(person.abha_number, code, PIN, channel="sms")
    hiu.failures = [500]
    await consent.callbacks.deliver_due()
    await consent.revoke(person.abha_number, code, PIN, channel="sms")
    assert await consent.callbacks.deliver_due() == 0  # REVOKED waits behind GRANTED
    assert hiu.statuses() == ["GRANTED"]
    clock.advance(hours=1)
    assert await consent.callbacks.deliver_due() == 1
    assert await consent.callbacks.deliver_due() == 1
    assert hiu.statuses() == ["GRANTED", "GRANTED", "REVOKED"]
    revoked = hiu.deliveries[-1].body["notification"]
    assert revoked["consentArtefacts"][0]["status"] == "REVOKED"
    assert "signedArtefact" not in revoked["consentArtefacts"][0]


async def test_a_refusal_is_final_and_a_duplicate_change_is_announced_once(
    services: Services, world: World, hiu: HiuServer, clock: FrozenClock
) -> None:
    person, hiu_view = await scene(world, hiu.url)
    consent = services.consent
    code = (await consent.request(hiu_view, ask(hiu_view, person.address))).request.code
    denied = await consent.deny(person.abha_number, code, PIN, channel="sms")
    row = await ConsentRequest.get(id=denied.id)
    await consent.callbacks.queue(row, ConsentStatus.DENIED, {"again": True})  # a duplicate
    assert await ConsentCallback.all().count() == 1
    hiu.failures = [400]
    assert await consent.callbacks.deliver_due() == 0
    clock.advance(days=1)
    assert await consent.callbacks.deliver_due() == 0
    [sent] = await ConsentCallback.all()
    assert (sent.status, sent.last_error) == (CallbackStatus.FAILED, "HTTP 400")
    assert hiu.statuses() == ["DENIED"]


async def test_an_unreachable_hiu_is_retried_until_the_attempts_run_out(
    services: Services, world: World, clock: FrozenClock, unused_tcp_port: int
) -> None:
    person, hiu_view = await scene(world, f"http://127.0.0.1:{unused_tcp_port}/callback")
    consent = services.consent
    code = (await consent.request(hiu_view, ask(hiu_view, person.address))).request.code
    await consent.deny(person.abha_number, code, PIN, channel="sms")
    attempts = services.settings.consent_callback_max_attempts
    for _ in range(attempts):
        assert await consent.callbacks.deliver_due() == 0
        clock.advance(hours=2)
    [row] = await ConsentCallback.all()
    assert (row.status, row.attempts) == (CallbackStatus.FAILED, attempts)
    assert row.last_error is not None
    assert "ClientConnectorError" in row.last_error


async def test_two_workers_deliver_each_event_once(
    services: Services, world: World, hiu: HiuServer
) -> None:
    _, hiu_view = await scene(world, hiu.url)
    consent = services.consent
    for n in range(3):
        other = await world.person(f"+91987650000{n}", handle=f"kinsman.{n}a", first_name="Kin")
        await world.record(
            await world.facility(f"Lab {n}"), other, HiType.PRESCRIPTION, date(2024, 3, 1)
        )
        code = (
            await consent.request(hiu_view, ask(hiu_view, other.address, ref=f"k{n}"))
        ).request.code
        await consent.deny(other.abha_number, code, PIN, channel="sms")
    sent = await asyncio.gather(*(consent.callbacks.deliver_due() for _ in range(4)))
    assert sum(sent) == 3
    assert len(hiu.deliveries) == 3
    assert len({d.event_id for d in hiu.deliveries}) == 3


async def test_a_hiu_without_a_callback_url_is_not_called(services: Services, world: World) -> None:
    person, hiu_view = await scene(world, None)
    consent = services.consent
    code = (await consent.request(hiu_view, ask(hiu_view, person.address))).request.code
    await consent.grant(person.abha_number, code, PIN, channel="sms")
    assert await ConsentCallback.all().count() == 0
    assert await consent.callbacks.deliver_due() == 0
