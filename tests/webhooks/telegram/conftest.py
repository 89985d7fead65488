"""The whole system behind `POST /telegram/webhook`, with a real aiogram Bot on the fake API.

The app is the real one (`create_app`) on a loopback aiohttp server, with the Health ID flows,
real services on the test database and state store, a frozen clock and a seeded random source
(so OTPs and ABHA numbers repeat run after run). Its bot talks to the loopback Bot API fake,
which records every call and keeps each chat as Telegram would show it.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
from aiogram import Bot
from aiohttp.test_utils import TestClient, TestServer

from bot.notify_deliverer import TelegramDeliverer
from bot.sender import TelegramSender
from core.clock import FrozenClock
from core.notify.models import Channel
from core.notify.sms import SmsDeliverer
from core.services import build_services
from core.sms.gateways import LogGateway
from core.state import StateStore
from flows.registry import health_engine
from testing.fakes.telegram_api import TelegramApiFake
from tests.conftest import make_settings
from tests.webhooks.telegram.phone import WEBHOOK_SECRET, Telegram
from webhooks.app import create_app

SEED = 20261125


@asynccontextmanager
async def running_telegram(
    api: TelegramApiFake,
    bot: Bot,
    state: Any,
    clock: FrozenClock,
    *,
    deliver_notices: bool = False,
    **settings: Any,
) -> AsyncIterator[Telegram]:
    """The app serving the webhook; `settings` override the test settings. With
    `deliver_notices`, the notifier delivers to the chat and by SMS as production wires it
    (arogya.wiring), when a test calls `services.notifier.deliver_due()`."""
    values: dict[str, Any] = {
        "telegram_bot_token": api.token,
        "telegram_api_base": api.base_url,
        "telegram_webhook_secret": WEBHOOK_SECRET,
    }
    values.update(settings)
    counter = itertools.count(1)
    async with build_services(
        make_settings(**values),
        clock=clock,
        rng=random.Random(SEED),
        state=state,
        sms_gateway=LogGateway(),
    ) as services:
        if deliver_notices:
            services.notifier.register(Channel.SMS, SmsDeliverer(services.sms))
            services.notifier.register(Channel.TELEGRAM, TelegramDeliverer(TelegramSender(bot), {}))
        engine = health_engine(services, ids=lambda: f"c{next(counter)}")
        app = create_app(services, engine, telegram_bot=bot)
        client = TestClient(TestServer(app))
        await client.start_server()
        try:
            yield Telegram(api, bot, client, services, clock, engine, app)
        finally:
            await client.close()


@pytest.fixture
async def telegram(
    db: str,
    state: StateStore,
    clock: FrozenClock,
    telegram_api: TelegramApiFake,
    telegram_bot: Bot,
) -> AsyncIterator[Telegram]:
    async with running_telegram(telegram_api, telegram_bot, state, clock) as running:
        yield running
