"""The webhook route: its secret, what it refuses, what it registers with Telegram at startup,
and how outages become Telegram's retries instead of lost messages."""

from __future__ import annotations

import pytest
from aiogram import Bot

from core.clock import FrozenClock
from core.state import StateStore
from testing.fakes.telegram_api import TelegramApiFake
from testing.fakes.telegram_updates import user
from tests.conftest import make_settings
from tests.webhooks.telegram.conftest import running_telegram
from tests.webhooks.telegram.phone import Telegram, TelegramPhone
from tests.webhooks.telegram.stores import FlakyStore
from webhooks.telegram import webhook_secret

ASHA = user(810001, "Asha", language_code="en")


async def test_a_call_without_the_secret_is_refused_and_changes_nothing(
    telegram: Telegram,
) -> None:
    update = telegram.updates.text(ASHA, "/start")

    missing = await telegram.post(update, secret=None)
    wrong = await telegram.post(update, secret="guessed")

    assert missing == (
        401,
        {
            "error": {
                "code": "telegram.unauthorised",
                "message": "X-Telegram-Bot-Api-Secret-Token is required",
            }
        },
    )
    assert wrong[0] == 403
    assert wrong[1]["error"]["code"] == "telegram.forbidden"
    assert telegram.api.sent(ASHA["id"]) == []
    assert await telegram.conversation(ASHA["id"]) is None
    assert await telegram.post(update) == (200, {})  # the genuine call goes through
    assert telegram.api.texts(ASHA["id"])[0].startswith("Arogya")


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (b"{not json", "request.malformed"),
        (b"[1, 2]", "telegram.bad_update"),
        (b'{"message": {}}', "telegram.bad_update"),
        (b'{"update_id": 5, "message": {"text": "no chat, no date"}}', "telegram.bad_update"),
    ],
)
async def test_what_is_not_an_update_is_a_400(telegram: Telegram, body: bytes, code: str) -> None:
    headers = {"X-Telegram-Bot-Api-Secret-Token": "test-webhook-secret"}
    async with telegram.client.post("/telegram/webhook", data=body, headers=headers) as response:
        assert response.status == 400
        assert (await response.json())["error"]["code"] == code


async def test_startup_registers_the_commands_in_both_languages(telegram: Telegram) -> None:
    english = telegram.api.commands()
    hindi = telegram.api.commands("hi")
    assert [c["command"] for c in english] == ["start", "menu", "help", "language", "cancel"]
    assert [c["command"] for c in hindi] == [c["command"] for c in english]
    assert english[1]["description"] == "Main menu"
    assert hindi[1]["description"] == "मुख्य मेनू"
    assert telegram.api.webhook is None  # no public URL: nothing to register


async def test_with_a_public_url_the_webhook_is_registered_with_its_secret(
    db: str,
    state: StateStore,
    clock: FrozenClock,
    telegram_api: TelegramApiFake,
    telegram_bot: Bot,
) -> None:
    async with running_telegram(
        telegram_api,
        telegram_bot,
        state,
        clock,
        public_url="https://arogya.example.in/",
        telegram_webhook_secret=None,
    ) as running:
        secret = webhook_secret(running.services.settings)
        assert telegram_api.webhook == {
            "url": "https://arogya.example.in/telegram/webhook",
            "secret_token": secret,
            "allowed_updates": ["message", "edited_message", "callback_query"],
        }
        status, _ = await running.post(running.updates.text(ASHA, "/start"), secret=secret)
        assert status == 200


def test_the_derived_secret_is_stable_and_acceptable_to_telegram() -> None:
    one = webhook_secret(make_settings())
    again = webhook_secret(make_settings())
    other = webhook_secret(make_settings(secret_key="another-secret"))
    assert one == again != other
    assert 1 <= len(one) <= 256
    assert set(one) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")


async def test_a_state_store_outage_answers_503_and_the_retry_is_answered(
    db: str,
    state: StateStore,
    clock: FrozenClock,
    telegram_api: TelegramApiFake,
    telegram_bot: Bot,
) -> None:
    flaky = FlakyStore(state)
    async with running_telegram(telegram_api, telegram_bot, flaky, clock) as running:
        update = running.updates.text(ASHA, "/start")
        flaky.down = True
        refused = await running.post(update)
        flaky.down = False
        retried = await running.post(update)

    assert refused[0] == 503
    assert refused[1]["error"]["code"] == "service.unavailable"
    assert retried == (200, {})
    assert len(telegram_api.texts(ASHA["id"])) == 1


async def test_a_telegram_outage_while_replying_is_retried_with_one_effect(
    telegram: Telegram,
) -> None:
    phone = TelegramPhone(telegram, ASHA)
    await phone.send("/start")
    await phone.send("tap: Create ABHA")
    await phone.send("tap: Mobile only")
    contact = telegram.updates.contact(ASHA, "919876543210")
    telegram.api.outage(times=1, method="sendMessage")

    first = await telegram.post(contact)
    second = await telegram.post(contact)  # Telegram delivers the update again
    third = await telegram.post(contact)  # ... and once more, after we answered it

    assert (first[0], second[0], third[0]) == (503, 200, 200)
    otps = [sms for sms in await telegram.services.sms.sent_to("+919876543210")]
    assert len(otps) == 1  # the engine's turn ran once: one OTP
    assert telegram.api.texts(ASHA["id"])[-2:] == [
        "Thank you.",
        "Type the OTP sent to ******3210",
    ]
    assert telegram.api.texts(ASHA["id"]).count("Type the OTP sent to ******3210") == 1
