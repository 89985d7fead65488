"""Answering the SMS notice straight away, from a cold start: "YES 4F7K" with no conversation
open (SMS), or typed at the main menu (USSD), leads to the PIN; a replayed code, a mistyped one
and another person's code are refused, clearly and without changing anything.

The engine offers such text to `flows.consent.catch_reply` (its `catchers`) before the main
menu takes it. Inside "Consents" the same answers work too
(tests/webhooks/consent/test_journeys.py).
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import pytest

from core.clock import FrozenClock
from core.consent.models import ConsentStatus
from core.state import StateStore
from testing.world import PIN, World, ask
from tests.core.consent.hiu_server import HiuServer, hiu_server
from tests.running import Running
from tests.webhooks.consent.phones import ConsentPhone
from tests.webhooks.consent.test_journeys import notice_code, scene
from tests.webhooks.journey_phones import JourneySmsPhone, JourneyUssdPhone


@pytest.fixture
async def hiu() -> AsyncIterator[HiuServer]:
    async with hiu_server() as server:
        yield server


async def test_yes_and_a_code_by_sms_approves_with_the_pin(
    running: Running, hiu: HiuServer, state: StateStore, clock: FrozenClock
) -> None:
    _, request_id = await scene(running, hiu)
    code = await notice_code(running)
    phone = ConsentPhone(JourneySmsPhone(running.client, running.services, clock), state, "sms")
    await phone.send(f"Yes {code}")
    assert "Type your PIN to let Sanjeevani Hospital see these records" in phone.screen
    await phone.send(PIN)
    assert phone.screen.startswith("Approved. Sanjeevani Hospital can see these records")
    person = (await running.services.healthid.by_mobile("+919876543210"))[0]
    view = await running.services.consent.find_by_id(person.abha_number, request_id)
    assert view.status is ConsentStatus.GRANTED
    await phone.send(f"NO {code}")  # replayed: nothing changes
    assert f"You already approved request {code}." in phone.screen
    assert (await running.services.consent.find(person.abha_number, code)).status is (
        ConsentStatus.GRANTED
    )


async def test_a_code_that_is_not_this_phones_is_refused(
    running: Running, hiu: HiuServer, state: StateStore, clock: FrozenClock
) -> None:
    the_hiu, _ = await scene(running, hiu)
    mine = await notice_code(running)
    world = World(running.services)
    other = await world.person("+919811100000", handle="ravi.kumar", first_name="Ravi")
    hiu_view = await running.services.facilities.get(the_hiu.id)
    theirs = (
        await running.services.consent.request(
            hiu_view, ask(hiu_view, other.address, ref="other-1")
        )
    ).request.code
    phone = ConsentPhone(JourneySmsPhone(running.client, running.services, clock), state, "sms")
    if theirs != mine:
        await phone.send(f"YES {theirs}")
        assert f"No request with code {theirs} is for a Health ID of yours." in phone.screen
        assert (await running.services.consent.find(other.abha_number, theirs)).status is (
            ConsentStatus.REQUESTED
        )
    await phone.send("YES 2222" if mine != "2222" else "YES 3333")
    assert "No request with code" in phone.screen


async def test_a_code_typed_at_the_ussd_main_menu_is_caught_too(
    running: Running, hiu: HiuServer, state: StateStore, clock: FrozenClock
) -> None:
    await scene(running, hiu)
    code = await notice_code(running)
    phone = ConsentPhone(JourneyUssdPhone(running.client, running.services, clock), state, "ussd")
    await phone.dial()
    await phone.send(f"NO {code}")
    assert "Type your 4-digit PIN to deny Sanjeevani Hospital these records" in phone.screen
    await phone.send(PIN)
    assert re.search(
        r"^END Denied\. Sanjeevani Hospital will not see your records\.", phone.seen[0]
    )
