"""Building the aiogram `Dispatcher` for the Health ID flows (webhook and polling alike).

    dispatcher = build_dispatcher(engine, services, retried_by_telegram=True)
    await dispatcher.feed_webhook_update(bot, update_json)

Dependencies reach handlers by name from `Dispatcher(front=...)` (aiogram's workflow data), never
from module globals. aiogram's own FSM is switched off: conversation state lives in the engine's
state store, shared with USSD and SMS.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from aiogram import Dispatcher, Router

from bot.commands import register_commands
from bot.deep_links import DEEP_LINKS
from bot.front import DeepLinkHandler, TelegramFront
from bot.gate import UpdateGate
from bot.routers import feature_routers
from core.services import Services
from flows.engine import Engine

#: The updates the bot asks Telegram for (setWebhook, getUpdates).
ALLOWED_UPDATES = ["message", "edited_message", "callback_query"]


def build_dispatcher(
    engine: Engine[Services],
    services: Services,
    *,
    retried_by_telegram: bool,
    deep_links: Mapping[str, DeepLinkHandler] | None = None,
    routers: Sequence[Router] = (),
) -> Dispatcher:
    """`retried_by_telegram`: True behind the webhook (an outage answers 503 and Telegram
    delivers again), False for long polling (the person is asked to try again).
    `routers`: later features' routers, placed before the catch-alls. `deep_links` add to (or
    replace) the standard ones of `bot.deep_links`."""
    links = {**DEEP_LINKS, **(deep_links or {})}
    front = TelegramFront(engine, services, deep_links=links)
    dispatcher = Dispatcher(disable_fsm=True, name="arogya", front=front)
    gate = UpdateGate(retried_by_telegram=retried_by_telegram)
    dispatcher.update.outer_middleware(gate)
    dispatcher.include_routers(*feature_routers(routers))
    dispatcher.startup.register(register_commands)
    return dispatcher
