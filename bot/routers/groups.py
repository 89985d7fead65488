"""Groups and supergroups: health details belong in a private chat. Also, a button press in a
private chat by anyone but that chat's own user is ignored.

The first message the bot sees in a group is answered once with a button that opens a private
chat with the bot; after that the bot stays quiet there (a state-store mark, kept a year).
"""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from bot.front import TelegramFront
from bot.notify_deliverer import render_html
from bot.record import CHANNEL
from bot.routers.filters import not_private, pressed_by_stranger
from core.state import StateKey
from locales import normalise_language, translate

NOTICE_TTL_SECONDS = 365 * 24 * 60 * 60


def groups_router() -> Router:
    router = Router(name="groups")
    router.message.register(outside_private, not_private)
    router.edited_message.register(outside_private, not_private)
    router.callback_query.register(pressed_outside, not_private)
    router.callback_query.register(ignore, pressed_by_stranger)
    return router


async def ignore(query: CallbackQuery) -> None:
    """Nothing happens: not the conversation, not an answer (bot.routers.filters)."""


async def outside_private(message: Message, bot: Bot, front: TelegramFront) -> None:
    store = front.engine.state
    said = str(StateKey("group", CHANNEL, f"{bot.id}:{message.chat.id}"))
    if await store.get_json(said) is not None:
        return
    user = message.from_user
    lang = normalise_language(user.language_code if user else None)
    me = await bot.me()
    open_chat = InlineKeyboardButton(
        text=translate("telegram.private_only.open", lang), url=f"https://t.me/{me.username}"
    )
    await bot.send_message(
        message.chat.id,
        render_html("telegram.private_only", lang, {}),
        reply_markup=InlineKeyboardMarkup(inline_keyboard=[[open_chat]]),
    )
    await store.set_json(said, 1, NOTICE_TTL_SECONDS)


async def pressed_outside(query: CallbackQuery) -> None:
    lang = normalise_language(query.from_user.language_code)
    await query.answer(render_html("telegram.private_only", lang, {}), show_alert=True)
