"""The command list Telegram shows in its menu, registered in English and Hindi.

Why `BotCommandScopeDefault` twice: the list without a language code is what every user sees
whose app language has no list of its own; the one with `language_code="hi"` is what a Hindi
app shows. Registering at startup keeps the menu in step with the catalogs.
"""

from __future__ import annotations

import logging

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.types import BotCommand, BotCommandScopeDefault

from locales import translate

log = logging.getLogger(__name__)

COMMANDS = ("start", "menu", "help", "language", "cancel")


def bot_commands(lang: str) -> list[BotCommand]:
    return [
        BotCommand(command=name, description=translate(f"telegram.command.{name}", lang))
        for name in COMMANDS
    ]


async def register_commands(bot: Bot) -> None:
    """Set both lists; Telegram being unreachable must not stop USSD and SMS from starting."""
    try:
        await bot.set_my_commands(bot_commands("en"), scope=BotCommandScopeDefault())
        await bot.set_my_commands(
            bot_commands("hi"), scope=BotCommandScopeDefault(), language_code="hi"
        )
    except TelegramAPIError as exc:
        log.warning("Telegram commands not registered: %s", exc)
