"""Typed answers. No answer a flow asks for is longer than the engine keeps (a name, an
address, a PIN), so a longer message is refused with a word rather than silently cut."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.types import Message, Update

from bot.front import TelegramFront
from bot.routers.filters import plain_text, private
from flows.normalise import MAX_INPUT_CHARS
from flows.types import Input


def text_router() -> Router:
    router = Router(name="text")
    router.message.register(typed, private, plain_text)
    return router


async def typed(message: Message, bot: Bot, front: TelegramFront, event_update: Update) -> None:
    text = message.text or ""
    if len(text) > MAX_INPUT_CHARS:
        chat_id, user, update_id = message.chat.id, message.from_user, event_update.update_id
        await front.notice(bot, chat_id, user, update_id, "telegram.too_long", max=MAX_INPUT_CHARS)
        return
    answer = Input(text=text)
    await front.converse(bot, message.chat.id, message.from_user, event_update.update_id, answer)
