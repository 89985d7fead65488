"""The commands: each becomes the engine's own global word, so they mean on Telegram what
MENU, HELP and LANGUAGE mean on USSD and SMS.

    /start [payload]  like dialling again (resume offered); a deep link goes to its handler
    /menu             the main menu          /help      help for the pending question
    /language         the language choice    /cancel    "Cancelled." and the main menu
"""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.filters import Command, CommandObject, CommandStart
from aiogram.types import Message, Update

from bot.front import TelegramFront
from bot.routers.filters import looks_like_command, private
from flows.types import Input, msg

#: command -> (the engine's word, what to say first).
WORDS: dict[str, tuple[str, str | None]] = {
    "menu": ("menu", None),
    "help": ("help", None),
    "language": ("language", None),
    "cancel": ("menu", "telegram.cancelled"),
}


def commands_router() -> Router:
    router = Router(name="commands")
    router.message.filter(private)
    router.message.register(start, CommandStart())
    router.message.register(word_command, Command(*WORDS))  # one filter for all four
    router.message.register(unknown, looks_like_command)
    return router


async def start(
    message: Message, command: CommandObject, bot: Bot, front: TelegramFront, event_update: Update
) -> None:
    await front.start(bot, message, command.args, event_update.update_id)


async def word_command(
    message: Message, command: CommandObject, bot: Bot, front: TelegramFront, event_update: Update
) -> None:
    word, first = WORDS[command.command.lower()]
    await front.converse(
        bot,
        message.chat.id,
        message.from_user,
        event_update.update_id,
        Input(text=word),
        first=msg(first) if first else None,
    )


async def unknown(message: Message, bot: Bot, front: TelegramFront, event_update: Update) -> None:
    chat_id, user, update_id = message.chat.id, message.from_user, event_update.update_id
    await front.notice(bot, chat_id, user, update_id, "telegram.command.unknown")
