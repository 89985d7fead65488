"""Inline button presses: ours (bound to a question, see `bot.buttons`), a notice's buttons that
say words for the person (`core.notify.buttons.SAY`), and everything else."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.types import CallbackQuery, Update

from bot.buttons import StepButton
from bot.front import TelegramFront
from core.notify.buttons import SAY

#: Longer data is not a notice's (they are short answers like "YES 4F7K").
SAID_MAX = 48


def buttons_router() -> Router:
    router = Router(name="buttons")
    router.callback_query.register(pressed, StepButton.filter())
    router.callback_query.register(said, F.data.startswith(SAY))
    return router


async def pressed(
    query: CallbackQuery,
    callback_data: StepButton,
    bot: Bot,
    front: TelegramFront,
    event_update: Update,
) -> None:
    await front.press(bot, query, callback_data, event_update.update_id)


async def said(query: CallbackQuery, bot: Bot, front: TelegramFront, event_update: Update) -> None:
    text = (query.data or "").removeprefix(SAY)
    if not text.strip() or len(text) > SAID_MAX:
        await front.unrecognised(bot, query, event_update.update_id)
        return
    await front.say(bot, query, text, event_update.update_id)


def fallback_router() -> Router:
    """Last: data no router recognised (forged, or from a feature since removed)."""
    router = Router(name="fallback")
    router.callback_query.register(unrecognised)
    return router


async def unrecognised(
    query: CallbackQuery, bot: Bot, front: TelegramFront, event_update: Update
) -> None:
    await front.unrecognised(bot, query, event_update.update_id)
