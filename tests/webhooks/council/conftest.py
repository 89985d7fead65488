"""The council console mounted on an app like the main one, served over real loopback HTTP."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from core.clock import FrozenClock
from core.settings import Settings
from core.state import StateStore
from tests.core.professionals.helpers import build
from tests.webhooks.council.helpers import Console
from webhooks.app import MIDDLEWARES
from webhooks.council import setup_council


def console_app(console: Console, *, secure_cookies: bool = False) -> web.Application:
    """The main app's middlewares (JSON errors) outside, as in production, and the console."""
    app = web.Application(middlewares=MIDDLEWARES)
    setup_council(
        app, console.wiring.registry, secret_key="test-secret-key", secure_cookies=secure_cookies
    )
    return app


@pytest.fixture
async def console(
    db: str, settings: Settings, clock: FrozenClock, rng: random.Random, state: StateStore
) -> AsyncIterator[Console]:
    console = Console(build(settings, clock, rng, state))
    async with TestClient(TestServer(console_app(console))) as client:
        console.client = client
        yield console
