"""A burst of PIN guesses from USSD, SMS and several Telegram chats at once cannot beat the lock
(issue 15, item 4: the attack as it was reported, every channel at once).

The same invariant as tests/webhooks/consent/test_pin_burst.py: after a burst that started one
attempt short of the lock, either the request was approved and nothing is locked, or the person
is locked and nothing was approved; never both. The Telegram chats are real aiogram updates to
the webhook of the same app that serves /ussd and /sms, each chat logged in by its own OTP.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import random
from collections.abc import AsyncIterator

import pytest
from aiogram import Bot
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
from testing.fakes.telegram_api import TelegramApiFake
from testing.fakes.telegram_updates import user
from testing.world import PIN
from tests.conftest import GATEWAY_HEADERS, make_settings
from tests.core.consent.hiu_server import HiuServer, hiu_server
from tests.running import ADMIN_TOKEN, SEED, SMS_TOKEN, TWILIO_TOKEN, Running
from tests.webhooks.consent.phones import ConsentPhone
from tests.webhooks.consent.test_journeys import notice_code, scene
from tests.webhooks.journey_phones import JourneySmsPhone, JourneyUssdPhone
from tests.webhooks.telegram.phone import WEBHOOK_SECRET, Telegram, TelegramPhone
from webhooks.app import create_app

CHATS = 3


@pytest.fixture
async def hiu() -> AsyncIterator[HiuServer]:
    async with hiu_server() as server:
        yield server


@pytest.fixture
async def system(
    db: str,
    state: StateStore,
    clock: FrozenClock,
    telegram_api: TelegramApiFake,
    telegram_bot: Bot,
) -> AsyncIterator[tuple[Running, Telegram]]:
    """One app serving /ussd, /sms and the Telegram webhook, with a PIN hash slower than
    production's (scrypt 2**14), so a check is in flight long enough for others to land."""
    settings = make_settings(
        sms_api_token=SMS_TOKEN,
        twilio_auth_token=TWILIO_TOKEN,
        admin_token=ADMIN_TOKEN,
        pin_hash_cost=2**14,
        telegram_bot_token=telegram_api.token,
        telegram_api_base=telegram_api.base_url,
        telegram_webhook_secret=WEBHOOK_SECRET,
    )
    counter = itertools.count(1)
    async with build_services(
        settings, clock=clock, rng=random.Random(SEED), state=state, sms_gateway=LogGateway()
    ) as services:
        services.notifier.register(Channel.SMS, SmsDeliverer(services.sms))
        engine = health_engine(services, ids=lambda: f"c{next(counter)}")
        app = create_app(services, engine, telegram_bot=telegram_bot)
        async with TestClient(TestServer(app), headers=GATEWAY_HEADERS) as client:
            telegram = Telegram(telegram_api, telegram_bot, client, services, clock, engine, app)
            yield Running(client, services), telegram


async def test_a_burst_from_ussd_sms_and_telegram_chats_cannot_beat_the_lock(
    system: tuple[Running, Telegram], hiu: HiuServer, state: StateStore, clock: FrozenClock
) -> None:
    running, telegram = system
    _, request_id = await scene(running, hiu)
    code = await notice_code(running)

    chats = []
    for n in range(CHATS):  # each chat proves the mobile by its own OTP, then opens the request
        chat = TelegramPhone(telegram, user(991001 + n, "Asha", language_code="en"))
        for action in ("/start", "tap: Consents", "share", "{otp}"):
            await chat.send(action)
        shown = await chat.send(f"/start consent_{request_id}")
        assert "[Approve]" in shown, shown
        asked = await chat.send("tap: Approve")
        assert any("Type your PIN" in line for line in asked), asked
        chats.append(chat)

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

    # The attacker's guesses by SMS and from every chat, and the right PIN by USSD while they
    # are being checked.
    async def right_pin_a_moment_later() -> None:
        await asyncio.sleep(0.005)
        await ussd.send(PIN)

    chats_guess = asyncio.gather(*(chat.send(f"{n}{n}{n}{n}") for n, chat in enumerate(chats, 1)))
    _, answers, _ = await asyncio.gather(sms.send("0000"), chats_guess, right_pin_a_moment_later())
    for answer in answers:  # every chat's guess reached the PIN check and was answered
        assert "PIN" in answer[0], answer

    approved = (await ConsentRequest.get(id=request_id)).status is ConsentStatus.GRANTED
    locked = (await Person.get(id=person.id)).pin_locked_until is not None
    assert approved != locked, (approved, locked, ussd.screen, sms.screen)
    assert all(status == 200 for chat in chats for status in chat.statuses)
