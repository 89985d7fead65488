"""The whole system with `AROGYA_REGISTRY=abdm`, its ABDM a loopback fake (testing.fakes.abdm).

Real app, real services, real HTTP both ways: the phone posts to `/ussd`, Arogya's ABDM client
posts to the fake over loopback. The fake and the client share the frozen clock, so the
`TIMESTAMP` header is checked against the same "now" and token expiry can be fast-forwarded.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer

from core.clock import FrozenClock
from core.services import Services, build_services
from core.sms.gateways import LogGateway
from core.state import StateStore
from flows.registry import health_engine
from testing.fakes.abdm import CLIENT_ID, CLIENT_SECRET, FakeAbdm
from testing.fakes.abdm_people import Resident
from testing.fakes.fixtures import telegram_api, telegram_bot
from tests.conftest import GATEWAY_HEADERS, make_settings
from tests.webhooks.phones import ENGLISH_CIRCLE, Client, UssdPhone
from webhooks.app import create_app

__all__ = ["telegram_api", "telegram_bot"]  # the Telegram fake's fixtures, for test_telegram

PHONE = "+919876543210"
AADHAAR = "999999990026"  # one of UIDAI's published test UIDs
SEED = 20261207
SMS_TOKEN = "abdm-journey-sms-token"


def sunil(mobile: str = "9876543210") -> Resident:
    return Resident("Sunil", "Joshi", date(1954, 5, 9), "M", mobile)


@dataclass
class Abdm:
    fake: FakeAbdm
    server: TestServer

    @property
    def url(self) -> str:
        return str(self.server.make_url("")).rstrip("/")


@pytest.fixture
async def abdm(clock: FrozenClock) -> AsyncIterator[Abdm]:
    fake = FakeAbdm(clock.now, seed=SEED)
    fake.people.residents[AADHAAR] = sunil()
    server = TestServer(fake.app)
    await server.start_server()
    try:
        yield Abdm(fake, server)
    finally:
        await server.close()


def abdm_settings(abdm: Abdm, **overrides: Any) -> dict[str, Any]:
    return {
        "registry": "abdm",
        "abdm_gateway_url": abdm.url,
        "abdm_abha_url": abdm.url + "/abha/api",
        "abdm_client_id": CLIENT_ID,
        "abdm_client_secret": CLIENT_SECRET,
        "abdm_cm_id": "sbx",
        **overrides,
    }


@dataclass
class Running:
    client: Client
    services: Services


@pytest.fixture
async def running(
    db: str, state: StateStore, clock: FrozenClock, abdm: Abdm
) -> AsyncIterator[Running]:
    settings = make_settings(
        **abdm_settings(abdm, abdm_timeout_seconds=3.0), sms_api_token=SMS_TOKEN
    )
    counter = itertools.count(1)
    async with build_services(
        settings, clock=clock, rng=random.Random(SEED), state=state, sms_gateway=LogGateway()
    ) as services:
        engine = health_engine(services, ids=lambda: f"c{next(counter)}")
        client = TestClient(TestServer(create_app(services, engine)), headers=GATEWAY_HEADERS)
        await client.start_server()
        try:
            yield Running(client, services)
        finally:
            await client.close()


class AbdmUssdPhone:
    """A feature phone on USSD whose Aadhaar OTP arrives from the fake ABDM (`{otp}`); its
    `network` (the telecom circle) sets a new caller's language: HINDI_CIRCLE starts in Hindi."""

    def __init__(
        self, running: Running, abdm: Abdm, clock: FrozenClock, network: str = ENGLISH_CIRCLE
    ) -> None:
        self.ussd = UssdPhone(running.client, clock, PHONE, network=network)
        self.abdm = abdm

    async def dial(self) -> str:
        return (await self.ussd.dial())[0]

    async def send(self, text: str) -> str:
        if text == "{otp}":
            text = self.abdm.fake.people.last_otp(PHONE)
        return (await self.ussd.send(text))[0]


@pytest.fixture
async def registry(
    db: str, state: StateStore, clock: FrozenClock, abdm: Abdm
) -> AsyncIterator[Services]:
    """The core services in abdm mode, no app: for the adapter's own tests (fast timeout)."""
    settings = make_settings(**abdm_settings(abdm, abdm_timeout_seconds=3.0))
    async with build_services(
        settings, clock=clock, rng=random.Random(SEED), state=state, sms_gateway=LogGateway()
    ) as services:
        yield services
