"""The commands mean what the global words mean on USSD and SMS; /start resumes like dialling
again; a deep link's payload reaches the handler registered for it."""

from __future__ import annotations

from aiogram import Dispatcher

from bot.dispatcher import build_dispatcher
from bot.front import DeepLink
from flows.types import Input
from locales import translate
from testing.fakes.telegram_updates import user
from tests.webhooks.telegram.phone import Telegram, TelegramPhone

ASHA = user(880001, "Asha", language_code="en")


async def test_start_mid_way_offers_to_continue(telegram: Telegram) -> None:
    phone = TelegramPhone(telegram, ASHA)
    for action in ("/start", "1", "2", "share", "{otp}", "Asha"):
        await phone.send(action)

    seen = await phone.send("/start")
    assert seen == ["Continue where you left off?", "[Yes, continue]", "[Start again]"]
    assert (await phone.send("tap: Yes, continue"))[0] == "Gender:"


async def test_help_and_cancel(telegram: Telegram) -> None:
    phone = TelegramPhone(telegram, ASHA)
    await phone.send("/start")
    await phone.send("1")

    helped = await phone.send("/help")
    cancelled = await phone.send("/cancel")

    assert helped == [
        translate("flows.enrol.how_help", "en") + "\nCreate ABHA with:",
        "[Aadhaar]",
        "[Mobile only]",
    ]
    assert cancelled[0] == "Cancelled.\nArogya ABHA"
    assert (await telegram.conversation(ASHA["id"]) or {})["flow"] == "main"


async def feed(telegram: Telegram, dispatcher: Dispatcher, text: str) -> None:
    update = telegram.updates.text(ASHA, text)
    await dispatcher.feed_raw_update(telegram.bot, update)


async def test_a_deep_link_reaches_its_handler(telegram: Telegram) -> None:
    opened: list[DeepLink] = []

    async def consent(link: DeepLink) -> Input | None:
        opened.append(link)
        return Input(text="help") if link.payload == "consent_ab12" else None

    dispatcher = build_dispatcher(
        telegram.engine,
        telegram.services,
        retried_by_telegram=True,
        deep_links={"consent": consent},
    )

    await feed(telegram, dispatcher, "/start consent_ab12")
    assert opened == [DeepLink(ASHA["id"], ASHA["id"], "consent_ab12")]
    help_text = translate("flows.main.help_text", "en")
    assert telegram.api.texts(ASHA["id"])[-1] == f"{help_text}\nArogya ABHA"

    await feed(telegram, dispatcher, "/start consent_zz99")  # the handler declines
    await feed(telegram, dispatcher, "/start nothing_of_ours")  # no handler at all
    assert len(opened) == 2
    assert telegram.api.texts(ASHA["id"])[-1] == "Arogya ABHA"
