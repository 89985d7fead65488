"""A real aiohttp server on loopback running the USSD and SMS channels over the demo flows."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from core.clock import FrozenClock
from core.state import StateStore
from flows import Engine
from tests.conftest import GATEWAY_HEADERS, make_settings
from tests.flows.engine.demo import DemoServices, demo_engine, demo_translate
from tests.webhooks.phones import Client, RecordingSms
from webhooks.errors import json_errors
from webhooks.keys import ENGINE, SETTINGS, SMS_OUT, TRANSLATE
from webhooks.sms import setup_sms
from webhooks.ussd import setup_ussd

TWILIO_TOKEN = "twilio-auth-token"
API_TOKEN = "sms-api-token"

Serve = Callable[..., Awaitable[Client]]


@pytest.fixture
def services() -> DemoServices:
    return DemoServices()


@pytest.fixture
def outbox() -> RecordingSms:
    return RecordingSms()


def build_app(engine: Engine[Any], outbox: RecordingSms) -> web.Application:
    """What the composition root does for these two channels, with the app's JSON error
    middleware (not its NUL check: these tests send a NUL to see the flows shrug it off)."""
    app = web.Application(middlewares=[json_errors()])
    app[ENGINE] = engine
    app[SETTINGS] = engine.settings
    app[SMS_OUT] = outbox
    app[TRANSLATE] = demo_translate
    setup_ussd(app)
    setup_sms(app)
    return app


@pytest.fixture
async def serve(
    state: StateStore, clock: FrozenClock, services: DemoServices, outbox: RecordingSms
) -> AsyncIterator[Serve]:
    """Start a server with settings overridden per test (tokens, budgets, secrets)."""
    clients: list[Client] = []

    async def start(**overrides: Any) -> Client:
        settings = make_settings(**overrides)
        engine = demo_engine(state, settings, clock, services)
        client = TestClient(TestServer(build_app(engine, outbox)), headers=GATEWAY_HEADERS)
        await client.start_server()
        clients.append(client)
        return client

    yield start
    for client in clients:
        await client.close()


@pytest.fixture
async def client(serve: Serve) -> Client:
    return await serve(twilio_auth_token=TWILIO_TOKEN, sms_api_token=API_TOKEN)
