"""`create_bot`: which server the Bot talks to, and the parse mode every send carries."""

from __future__ import annotations

from aiogram import Bot
from aiogram.client.telegram import PRODUCTION

from bot.factory import create_bot
from testing.fakes.fixtures import close_bot
from testing.fakes.telegram_api import TelegramApiFake
from testing.fakes.telegram_updates import user


async def test_an_api_base_routes_every_method_to_that_server(
    telegram_api: TelegramApiFake, telegram_bot: Bot
) -> None:
    telegram_api.add_user(user(42))

    await telegram_bot.get_me()
    await telegram_bot.send_message(42, "<b>hello</b>")

    assert [call.method for call in telegram_api.calls()] == ["getMe", "sendMessage"]
    assert telegram_api.calls("sendMessage")[0].params["parse_mode"] == "HTML"
    assert telegram_api.texts(42) == ["hello"]


async def test_a_trailing_slash_on_the_base_is_harmless(telegram_api: TelegramApiFake) -> None:
    bot = create_bot(telegram_api.token, telegram_api.base_url + "/")
    try:
        me = await bot.get_me()
    finally:
        await close_bot(bot)

    assert me.username == "arogya_test_bot"


def test_without_a_base_the_bot_talks_to_telegram() -> None:
    bot = create_bot("123456789:AAtokenForAnOfflineCheckOnly")

    assert bot.session.api == PRODUCTION
    assert bot.default["parse_mode"] == "HTML"
