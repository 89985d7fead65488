"""A burst of PIN guesses from USSD and SMS at once cannot beat the lock (the real endpoints).

What broke: a right PIN was accepted without looking at the lock again, so guesses from several
channels at once got it through in the very burst that set the lock. The invariant held here:
after a burst that started one attempt short of the lock, either the request was approved and
nothing is locked, or the person is locked and nothing was approved; never both.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import random
from collections.abc import AsyncIterator

import pytest
from aiohttp.test_utils import TestClient, TestServer

from core.clock import FrozenClock
from core.consent.models import ConsentRequest, ConsentStatus
from core.errors import InvalidInput
from core.healthid.models import Person
from core.notify.models import Channel
from core.notify.sms import SmsDeliverer
from core.services import build_services
from core.sms.gateways import LogGateway
from core.state import StateStore
from flows.registry import health_engine
from testing.world import PIN
from tests.conftest import GATEWAY_HEADERS, make_settings
from tests.core.consent.hiu_server import HiuServer, hiu_server
from tests.running import ADMIN_TOKEN, SEED, SMS_TOKEN, TWILIO_TOKEN, Running
from tests.webhooks.consent.phones import ConsentPhone
from tests.webhooks.consent.test_journeys import notice_code, scene
from tests.webhooks.journey_phones import JourneySmsPhone, JourneyUssdPhone
from webhooks.app import create_app


@pytest.fixture
async def hiu() -> AsyncIterator[HiuServer]:
    async with hiu_server() as server:
        yield server


@pytest.fixture
async def running(db: str, state: StateStore, clock: FrozenClock) -> AsyncIterator[Running]:
    """tests/running.py's whole system, with a PIN hash slower than production's (scrypt 2**14),
    so a check is in flight long enough for another to land in the middle of it."""
    settings = make_settings(
        sms_api_token=SMS_TOKEN,
        twilio_auth_token=TWILIO_TOKEN,
        admin_token=ADMIN_TOKEN,
        pin_hash_cost=2**14,
    )
    counter = itertools.count(1)
    async with build_services(
        settings, clock=clock, rng=random.Random(SEED), state=state, sms_gateway=LogGateway()
    ) as services:
        services.notifier.register(Channel.SMS, SmsDeliverer(services.sms))
        engine = health_engine(services, ids=lambda: f"c{next(counter)}")
        app = create_app(services, engine)
        async with TestClient(TestServer(app), headers=GATEWAY_HEADERS) as client:
            yield Running(client, services)


async def test_a_burst_from_ussd_and_sms_cannot_beat_the_lock(
    running: Running, hiu: HiuServer, state: StateStore, clock: FrozenClock
) -> None:
    _, request_id = await scene(running, hiu)
    code = await notice_code(running)
    ussd = ConsentPhone(JourneyUssdPhone(running.client, running.services, clock), state, "ussd")
    await ussd.dial()
    await ussd.choose("Sanjeevani Hospital asks for your records (1)")
    await ussd.choose("Yes")  # the one-screen question of USSD
    assert "Type your PIN" in ussd.screen
    sms = ConsentPhone(JourneySmsPhone(running.client, running.services, clock), state, "sms")
    await sms.send(f"YES {code}")
    assert "Type your PIN" in sms.screen
    person = await Person.get(mobile="+919876543210")
    for _ in range(4):  # four wrong guesses already: one attempt is left before the lock
        with contextlib.suppress(InvalidInput):
            await running.services.healthid.verify_pin(person.abha_number, "0000")

    # The attacker's guess by SMS, and the right PIN by USSD while that guess is being checked.
    async def right_pin_a_moment_later() -> None:
        await asyncio.sleep(0.005)
        await ussd.send(PIN)

    await asyncio.gather(sms.send("0000"), right_pin_a_moment_later())

    approved = (await ConsentRequest.get(id=request_id)).status is ConsentStatus.GRANTED
    locked = (await Person.get(id=person.id)).pin_locked_until is not None
    assert approved != locked, (approved, locked, ussd.screen, sms.screen)
