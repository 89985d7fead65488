"""Inline button presses: ours (bound to a question, see `bot.buttons`) and everything else."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.types import CallbackQuery, Update

from bot.buttons import StepButton
from bot.front import TelegramFront


def buttons_router() -> Router:
    router = Router(name="buttons")
    router.callback_query.register(pressed, StepButton.filter())
    return router


async def pressed(
    query: CallbackQuery,
    callback_data: StepButton,
    bot: Bot,
    front: TelegramFront,
    event_update: Update,
) -> None:
    await front.press(bot, query, callback_data, event_update.update_id)


def fallback_router() -> Router:
    """Last: data no router recognised (forged, or from a feature since removed)."""
    router = Router(name="fallback")
    router.callback_query.register(unrecognised)
    return router


async def unrecognised(
    query: CallbackQuery, bot: Bot, front: TelegramFront, event_update: Update
) -> None:
    await front.unrecognised(bot, query, event_update.update_id)
