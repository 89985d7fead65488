"""The few tests routers need, written as coroutines.

Why not aiogram's magic filters (`F.chat.type == "private"`): aiogram 3 runs any callable that
is not a coroutine function in a worker thread (`asyncio.to_thread`), so every magic filter an
update passes costs a thread hand-off; with a handful per update that was a third of the bot's
CPU per update. These are the same tests, run on the event loop.
"""

from __future__ import annotations

import re

from aiogram.enums import ChatType
from aiogram.types import CallbackQuery, Message, TelegramObject

COMMAND = re.compile(r"^/[A-Za-z0-9_]")


def _chat_type(event: TelegramObject) -> str | None:
    if isinstance(event, Message):
        return event.chat.type
    if isinstance(event, CallbackQuery) and event.message is not None:
        return event.message.chat.type
    return None


async def private(event: TelegramObject) -> bool:
    return _chat_type(event) == ChatType.PRIVATE


async def not_private(event: TelegramObject) -> bool:
    kind = _chat_type(event)
    return kind is not None and kind != ChatType.PRIVATE


async def pressed_by_stranger(query: CallbackQuery) -> bool:
    """A button press in a private chat by someone who is not that chat's user. Real Telegram
    sends none (a private chat's id is its user's id), so one is forged or misrouted: it must not
    act on the chat owner's conversation."""
    message = query.message
    if message is None or message.chat.type != ChatType.PRIVATE:
        return False
    return query.from_user.id != message.chat.id


async def plain_text(message: Message) -> bool:
    """Text that is not a command (commands have a router of their own)."""
    return message.text is not None and not message.text.startswith("/")


async def has_contact(message: Message) -> bool:
    return message.contact is not None


async def looks_like_command(message: Message) -> bool:
    """`/word...`: a command we do not know (the known ones matched before)."""
    return message.text is not None and COMMAND.match(message.text) is not None


async def has_upload(message: Message) -> bool:
    """A photo or a file: perhaps a health document to keep (see `bot.uploads`)."""
    return bool(message.photo) or message.document is not None
