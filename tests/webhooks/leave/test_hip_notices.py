"""A deletion over USSD or SMS tells each HIP that linked visits: one signed `abha.deleted`
POST per HIP at its callback URL (a loopback server), carrying only that HIP's visit
references; none to a HIP that never linked; a HIP answering 500 hears it again later, once."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date

import pytest

from core.clock import FrozenClock
from core.consent.signing import verify
from core.healthid.models import Person
from core.housekeeping import tidy
from core.leaving.hipnotices.models import HipNotice
from core.records.hitypes import HiType
from testing.world import PIN, World
from tests.running import Running
from tests.webhooks.api.schema_check import errors
from tests.webhooks.journey_phones import PHONE, JourneySmsPhone, JourneyUssdPhone
from tests.webhooks.leave.hip_server import HipServer, hip_server

NAME = "Kamla"


@pytest.fixture
async def apollo() -> AsyncIterator[HipServer]:
    async with hip_server() as server:
        yield server


@pytest.fixture
async def civic() -> AsyncIterator[HipServer]:
    async with hip_server() as server:
        yield server


@pytest.fixture
async def stranger() -> AsyncIterator[HipServer]:
    async with hip_server() as server:
        yield server


async def delete_over_ussd(running: Running, clock: FrozenClock) -> None:
    phone = JourneyUssdPhone(running.client, running.services, clock)
    await phone.dial()
    for step in ("2", "1", "{otp}", "8", "2", "1", PIN):
        await phone.send(step)
    assert "deleted" in (await phone.send("{otp}"))[0]


async def scene(
    running: Running, apollo: HipServer, civic: HipServer, stranger: HipServer
) -> tuple[str, str, str]:
    """Kamla with two visits at Apollo and one at Civic; Stranger Clinic linked nothing."""
    world = World(running.services)
    person = await world.person(PHONE, first_name=NAME, pin=PIN)
    hip_a = await world.facility("Apollo Clinic", callback_url=apollo.url)
    hip_c = await world.facility("Civic Hospital", callback_url=civic.url)
    await world.facility("Stranger Clinic", callback_url=stranger.url)
    await world.record(hip_a, person, HiType.PRESCRIPTION, date(2024, 3, 1))
    await world.record(hip_a, person, HiType.INVOICE, date(2024, 4, 1))
    await world.record(hip_c, person, HiType.DIAGNOSTIC_REPORT, date(2024, 5, 1))
    return person.abha_number, hip_a.id, hip_c.id


async def test_each_linking_hip_hears_one_signed_notice_after_a_ussd_delete(
    running: Running,
    clock: FrozenClock,
    apollo: HipServer,
    civic: HipServer,
    stranger: HipServer,
) -> None:
    _, hip_a, hip_c = await scene(running, apollo, civic, stranger)
    await delete_over_ussd(running, clock)
    notices = running.services.leaving.hip_notices
    assert await notices.deliver_due() == 2
    assert await notices.deliver_due() == 0  # each told once
    assert stranger.received == []
    jwks = running.services.consent.jwks()
    document = await (await running.client.get("/api/v1/openapi.json")).json()
    hook = document["webhooks"]["abhaDeleted"]["post"]["requestBody"]["content"]
    schema = hook["application/json"]["schema"]
    for server, hip_id, visits in ((apollo, hip_a, 2), (civic, hip_c, 1)):
        assert len(server.received) == 1
        notice = server.received[0]
        verify(notice.signature, jwks, payload=notice.raw)
        body = notice.body
        assert errors(schema, body, document) == []  # the documented wire
        assert errors(schema, {**body, "abhaNumber": "x"}, document)  # and nothing more
        assert body["event"] == "abha.deleted"
        assert body["requestId"] == notice.event_id
        assert body["notification"]["hipId"] == hip_id
        references = [c["referenceNumber"] for c in body["notification"]["careContexts"]]
        assert len(references) == visits
        assert all(r.startswith("V-") for r in references)
        # no demographics: not her name, her mobile, nor her ABHA number
        for needle in (NAME, PHONE.removeprefix("+91"), "kamla"):
            assert needle.casefold() not in notice.raw.decode().casefold()


async def test_a_hip_down_hears_the_notice_again_later_and_applies_it_once(
    running: Running,
    clock: FrozenClock,
    apollo: HipServer,
    civic: HipServer,
    stranger: HipServer,
) -> None:
    await scene(running, apollo, civic, stranger)
    apollo.failures = [500]
    await delete_over_ussd(running, clock)
    notices = running.services.leaving.hip_notices
    assert await notices.deliver_due() == 1  # Civic took it; Apollo answered 500
    assert len(apollo.received) == 1
    assert apollo.applied == {}
    assert await notices.deliver_due() == 0  # not before its backoff
    clock.advance(seconds=3600)
    assert await notices.deliver_due() == 1
    assert len(apollo.received) == 2
    assert apollo.received[0].event_id == apollo.received[1].event_id  # the same event
    assert apollo.received[0].raw == apollo.received[1].raw
    assert len(apollo.applied) == 1
    assert len(civic.received) == 1


async def test_a_delete_over_sms_tells_the_hips_and_the_notices_go_with_the_purge(
    running: Running,
    clock: FrozenClock,
    apollo: HipServer,
    civic: HipServer,
    stranger: HipServer,
) -> None:
    abha, _, _ = await scene(running, apollo, civic, stranger)
    phone = JourneySmsPhone(running.client, running.services, clock)
    for step in ("ABHA", "2", "1", "{otp}", "8", "2", "1", PIN):
        await phone.send(step)
    assert "deleted" in (await phone.send("{otp}"))[-1]
    person = await Person.get(abha_number=abha.replace("-", ""))
    assert person.status == "deleted"
    assert await running.services.leaving.hip_notices.deliver_due() == 2
    assert (len(apollo.received), len(civic.received), len(stranger.received)) == (1, 1, 0)
    assert await HipNotice.filter(person_id=person.id).count() == 2
    clock.advance(days=8)
    await tidy(running.services)
    assert await HipNotice.filter(person_id=person.id).count() == 0
