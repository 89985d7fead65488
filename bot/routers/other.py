"""What a conversation cannot take: edits of old messages, and anything that is not text
(stickers, voice, locations...; photos and files go to `uploads` first, as health documents).
Each gets a word in the chat's language and the conversation stays exactly where it was, so
nothing typed so far is lost."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.types import Message, Update

from bot.front import TelegramFront
from bot.routers.filters import private


def other_router() -> Router:
    router = Router(name="other")
    router.edited_message.register(edited, private)
    router.message.register(not_text, private)
    return router


async def edited(
    edited_message: Message, bot: Bot, front: TelegramFront, event_update: Update
) -> None:
    chat_id, user = edited_message.chat.id, edited_message.from_user
    await front.notice(bot, chat_id, user, event_update.update_id, "telegram.edited")


async def not_text(message: Message, bot: Bot, front: TelegramFront, event_update: Update) -> None:
    chat_id, user = message.chat.id, message.from_user
    await front.notice(bot, chat_id, user, event_update.update_id, "telegram.text_only")
