"""The whole system on a loopback server: real app, real services, the Health ID flows.

Deterministic by construction: a frozen clock, a seeded random source shared by every service
(so OTPs and ABHA numbers repeat run after run) and counted conversation ids; the database and
state store are whichever backend the suite runs on.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
from aiohttp.test_utils import TestClient, TestServer

from core.clock import FrozenClock
from core.notify.models import Channel
from core.notify.sms import SmsDeliverer
from core.services import Services, build_services
from core.sms.gateways import LogGateway
from core.state import StateStore
from flows.registry import health_engine
from tests.conftest import GATEWAY_HEADERS, make_settings
from tests.webhooks.phones import Client
from webhooks.app import create_app

SMS_TOKEN = "journey-sms-token"
ADMIN_TOKEN = "journey-admin-token"
TWILIO_TOKEN = "journey-twilio-token"
SEED = 20261125


@dataclass
class Running:
    client: Client
    services: Services


@pytest.fixture
async def running(db: str, state: StateStore, clock: FrozenClock) -> AsyncIterator[Running]:
    settings = make_settings(
        sms_api_token=SMS_TOKEN, twilio_auth_token=TWILIO_TOKEN, admin_token=ADMIN_TOKEN
    )
    counter = itertools.count(1)
    async with build_services(
        settings,
        clock=clock,
        rng=random.Random(SEED),
        state=state,
        sms_gateway=LogGateway(),
    ) as services:
        services.notifier.register(Channel.SMS, SmsDeliverer(services.sms))
        engine = health_engine(services, ids=lambda: f"c{next(counter)}")
        client = TestClient(TestServer(create_app(services, engine)), headers=GATEWAY_HEADERS)
        await client.start_server()
        try:
            yield Running(client, services)
        finally:
            await client.close()
