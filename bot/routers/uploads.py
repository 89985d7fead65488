"""Photos and files: a person's own health documents, kept with their records (`bot.uploads`).
Stickers, voice notes and the rest still reach `other` ("I can read only typed text")."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.types import Message, Update

from bot.front import TelegramFront
from bot.routers.filters import has_upload, private
from bot.uploads import take_upload


def uploads_router() -> Router:
    router = Router(name="uploads")
    router.message.register(uploaded, private, has_upload)
    return router


async def uploaded(message: Message, bot: Bot, front: TelegramFront, event_update: Update) -> None:
    await take_upload(front, bot, message, event_update.update_id)
