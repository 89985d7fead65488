"""The whole system on loopback, as the journeys run it, with ids as long as production's.

The app, the services and the phones are the root conftest's `running`: real HTTP, real
database and state store, a frozen clock and a seeded random source. Two things are made as
long as they are in production, because "My records" is where the conversation's state comes
closest to its 1 KB: conversation ids are 32 characters (the engine's uuid4 hex) and USSD
session ids 38 (Africa's Talking's `ATUid_...`).
"""

from __future__ import annotations

import itertools
import random
from collections.abc import AsyncIterator

import pytest
from aiohttp.test_utils import TestClient, TestServer

from core.clock import FrozenClock
from core.notify.models import Channel
from core.notify.sms import SmsDeliverer
from core.services import build_services
from core.sms.gateways import LogGateway
from core.state import StateStore
from flows.registry import health_engine
from tests.conftest import GATEWAY_HEADERS, make_settings
from tests.running import ADMIN_TOKEN, SEED, SMS_TOKEN, TWILIO_TOKEN, Running
from tests.webhooks.records.helpers import Holder, enrol_holder, push_every_fixture
from webhooks.app import create_app


@pytest.fixture
async def running(db: str, state: StateStore, clock: FrozenClock) -> AsyncIterator[Running]:
    settings = make_settings(
        sms_api_token=SMS_TOKEN, twilio_auth_token=TWILIO_TOKEN, admin_token=ADMIN_TOKEN
    )
    counter = itertools.count(1)
    async with build_services(
        settings, clock=clock, rng=random.Random(SEED), state=state, sms_gateway=LogGateway()
    ) as services:
        services.notifier.register(Channel.SMS, SmsDeliverer(services.sms))
        engine = health_engine(services, ids=lambda: f"{next(counter):032x}")
        client = TestClient(TestServer(create_app(services, engine)), headers=GATEWAY_HEADERS)
        await client.start_server()
        try:
            yield Running(client, services)
        finally:
            await client.close()


@pytest.fixture
async def holder(running: Running) -> Holder:
    """Sunita, PIN 4826, with all eight example records."""
    person = await enrol_holder(running.services)
    return Holder(person, await push_every_fixture(running.services, person))
