"""`arogya bot`: the same conversation by long polling, against the fake's getUpdates."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from aiogram import Bot

from arogya.bot import poll, run_bot
from core.clock import FrozenClock
from core.state import StateStore
from testing.fakes.telegram_api import TelegramApiFake
from testing.fakes.telegram_updates import UpdateFactory, user
from tests.conftest import make_settings
from tests.webhooks.telegram.conftest import running_telegram
from tests.webhooks.telegram.stores import FlakyStore

ASHA = user(900001, "Asha", language_code="hi")


async def until(condition: Callable[[], bool]) -> None:
    """Wait (5 s at most) for the polling task to have answered; the fake signals nothing."""
    async with asyncio.timeout(5):
        while not condition():  # noqa: ASYNC110 - polls the fake's record, which has no event
            await asyncio.sleep(0.01)


async def test_polling_answers_queued_updates_in_order(
    db: str,
    state: StateStore,
    clock: FrozenClock,
    telegram_api: TelegramApiFake,
    telegram_bot: Bot,
) -> None:
    flaky = FlakyStore(state)
    async with running_telegram(telegram_api, telegram_bot, flaky, clock) as running:
        await telegram_bot.set_webhook("https://old.example/hook")  # polling must remove it
        updates = UpdateFactory(telegram_api)
        for text in ("/start", "1", "2"):
            telegram_api.queue_update(updates.text(ASHA, text))
        stop = asyncio.Event()
        polling = asyncio.create_task(
            poll(telegram_bot, running.engine, running.services, stop, polling_timeout=1)
        )

        await until(lambda: len(telegram_api.texts(ASHA["id"])) == 3)
        flaky.down = True  # an outage while polling: nobody would deliver the update again
        telegram_api.queue_update(updates.text(ASHA, "/menu"))
        await until(lambda: len(telegram_api.texts(ASHA["id"])) == 4)
        flaky.down = False
        stop.set()
        await asyncio.wait_for(polling, timeout=5)

    texts = telegram_api.texts(ASHA["id"])
    assert texts[:2] == ["आरोग्य – आभा", "आईडी किससे बनाएँ:"]
    assert texts[2].startswith("अपना 10 अंकों का मोबाइल नंबर लिखें")
    assert texts[3] == "माफ़ कीजिए, कुछ गड़बड़ हो गई। कृपया थोड़ी देर बाद फिर कोशिश करें।"
    assert telegram_api.webhook is None
    assert telegram_api.commands("hi")  # registered at the start of polling too


async def test_arogya_bot_needs_a_token() -> None:
    assert await run_bot(make_settings()) == 2
