"""The whole system in abdm mode for the Health ID transcripts (tests/webhooks/healthid/
registries.py): the loopback ABDM knowing UIDAI's test UIDs, and the app built exactly as
`tests.running` builds it for the embedded run, with only the registry settings added."""

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
from testing.fakes.abdm import FakeAbdm
from tests.conftest import GATEWAY_HEADERS, make_settings
from tests.running import ADMIN_TOKEN, SEED, SMS_TOKEN, TWILIO_TOKEN, Running
from tests.webhooks.abdm.conftest import Abdm, abdm_settings
from tests.webhooks.healthid.registries import residents
from tests.webhooks.journey_phones import PHONE
from webhooks.app import create_app


@pytest.fixture
async def loopback_abdm(clock: FrozenClock) -> AsyncIterator[Abdm]:
    """ABDM on loopback; its UIDAI knows the test UIDs, linked to the journeys' phone."""
    fake = FakeAbdm(clock.now, seed=SEED)
    fake.people.residents.update(residents(PHONE))
    server = TestServer(fake.app)
    await server.start_server()
    try:
        yield Abdm(fake, server)
    finally:
        await server.close()


@pytest.fixture
async def abdm_running(
    db: str, state: StateStore, clock: FrozenClock, loopback_abdm: Abdm
) -> AsyncIterator[Running]:
    """`tests.running.running` with `AROGYA_REGISTRY=abdm` pointing at `loopback_abdm`."""
    settings = make_settings(
        **abdm_settings(loopback_abdm, abdm_timeout_seconds=3.0),
        sms_api_token=SMS_TOKEN,
        twilio_auth_token=TWILIO_TOKEN,
        admin_token=ADMIN_TOKEN,
    )
    counter = itertools.count(1)
    async with build_services(
        settings, clock=clock, rng=random.Random(SEED), state=state, sms_gateway=LogGateway()
    ) as services:
        services.notifier.register(Channel.SMS, SmsDeliverer(services.sms))
        engine = health_engine(services, ids=lambda: f"c{next(counter)}")
        client = TestClient(TestServer(create_app(services, engine)), headers=GATEWAY_HEADERS)
        await client.start_server()
        try:
            yield Running(client, services)
        finally:
            await client.close()
