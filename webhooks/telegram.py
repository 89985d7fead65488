"""`POST /telegram/webhook`: Telegram's updates, on the same aiohttp app as USSD and SMS.

Why the request is handled before it is answered (aiogram's `handle_in_background=False`):
Telegram delivers an update again when its webhook call fails, so answering only after the
update was handled turns an outage of ours (state store down, Telegram itself refusing our
sends) into a later retry instead of a lost message: those answer 503. The gate in `bot.gate`
makes a retried update that was answered have no second effect.

Security: every call must carry `X-Telegram-Bot-Api-Secret-Token`, the secret given to Telegram
with `setWebhook`: missing is 401, wrong is 403, both JSON like every refusal of this app. The
secret is `AROGYA_TELEGRAM_WEBHOOK_SECRET`, or one derived from `AROGYA_SECRET_KEY` when that
is unset, so the route is never open.

At startup the command menu is registered, and, when `AROGYA_PUBLIC_URL` is set, the webhook
(`<public url>/telegram/webhook`) with that secret; Telegram being unreachable is logged, not
fatal (USSD and SMS keep working).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any

from aiogram import Bot, Dispatcher, Router
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.methods import TelegramMethod
from aiogram.webhook.aiohttp_server import SimpleRequestHandler, setup_application
from aiohttp import web
from pydantic import ValidationError

from bot.dispatcher import ALLOWED_UPDATES, build_dispatcher
from bot.factory import create_bot
from bot.front import DeepLinkHandler
from core.errors import Unavailable
from core.services import Services
from core.settings import Settings
from flows.engine import Engine
from webhooks.errors import HttpError
from webhooks.wire import MAX_BODY_BYTES, same_secret

log = logging.getLogger(__name__)

WEBHOOK_PATH = "/telegram/webhook"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 - a header name, not a secret
TELEGRAM_BOT: web.AppKey[Bot] = web.AppKey("telegram_bot")
TELEGRAM_DISPATCHER: web.AppKey[Dispatcher] = web.AppKey("telegram_dispatcher")
#: Failures a later delivery of the same update can get past.
AppHook = Callable[[web.Application], Awaitable[None]]
PASSING = (Unavailable, TimeoutError, TelegramNetworkError, TelegramServerError, TelegramRetryAfter)


def webhook_secret(settings: Settings) -> str:
    """The configured secret, else one derived from the app's secret key (Telegram allows
    1-256 characters of `A-Z a-z 0-9 _ -`)."""
    if settings.telegram_webhook_secret is not None:
        return settings.telegram_webhook_secret.get_secret_value()
    key = settings.secret_key.get_secret_value().encode()
    digest = hmac.new(key, b"arogya:telegram:webhook", hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


class TelegramWebhook(SimpleRequestHandler):
    """aiogram's handler for one bot, with this app's JSON refusals (`HttpError`, answered by
    the app's middleware) and retry semantics."""

    async def handle(self, request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER)
        if given is None:
            raise HttpError(401, "telegram.unauthorised", f"{SECRET_HEADER} is required")
        if not same_secret(given, self.secret_token or ""):
            raise HttpError(403, "telegram.forbidden", f"{SECRET_HEADER} does not match")
        if request.content_length is not None and request.content_length > MAX_BODY_BYTES:
            raise HttpError(413, "request.too_large", "the update is too large")
        try:
            update: Any = await request.json()
        except ValueError as exc:
            raise HttpError(400, "request.malformed", "the body is not JSON") from exc
        if not isinstance(update, dict) or not isinstance(update.get("update_id"), int):
            raise HttpError(400, "telegram.bad_update", "an Update object is expected")
        try:
            result: TelegramMethod[Any] | None = await self.dispatcher.feed_webhook_update(
                self.bot, update, **self.data
            )
        except ValidationError as exc:
            raise HttpError(400, "telegram.bad_update", "the update could not be read") from exc
        except PASSING as exc:
            log.warning("update %s not handled, Telegram will retry: %r", update["update_id"], exc)
            raise HttpError(503, "service.unavailable", "please retry shortly") from exc
        return web.Response(body=self._build_response_writer(bot=self.bot, result=result))

    async def close(self) -> None:
        """The bot's session belongs to whoever made the bot (see `setup_telegram`)."""


def setup_telegram(
    app: web.Application,
    services: Services,
    engine: Engine[Services],
    bot: Bot | None = None,
    *,
    deep_links: Mapping[str, DeepLinkHandler] | None = None,
    routers: Sequence[Router] = (),
) -> None:
    """Mount the webhook. Without `bot`, one is built from the settings and closed with the
    app; a given bot (the composition root's, shared with the notifier) is left open.
    `deep_links` and `routers` are later features' (consent links, record notices)."""
    settings = services.settings
    if bot is None:
        if settings.telegram_bot_token is None:
            raise ValueError("the Telegram webhook needs TELEGRAM_BOT_TOKEN")
        token = settings.telegram_bot_token.get_secret_value()
        bot = create_bot(token, settings.telegram_api_base)
        app.on_cleanup.append(_closer(bot))
    dispatcher = build_dispatcher(
        engine, services, retried_by_telegram=True, deep_links=deep_links, routers=routers
    )
    TelegramWebhook(
        dispatcher, bot, handle_in_background=False, secret_token=webhook_secret(settings)
    ).register(app, path=WEBHOOK_PATH)
    setup_application(app, dispatcher, bot=bot)
    if settings.public_url:
        app.on_startup.append(_announcer(bot, settings))
    app[TELEGRAM_BOT] = bot
    app[TELEGRAM_DISPATCHER] = dispatcher


def _closer(bot: Bot) -> AppHook:
    async def close(app: web.Application) -> None:
        await bot.session.close()

    return close


def _announcer(bot: Bot, settings: Settings) -> AppHook:
    async def announce(app: web.Application) -> None:
        url = f"{(settings.public_url or '').rstrip('/')}{WEBHOOK_PATH}"
        try:
            await bot.set_webhook(
                url, secret_token=webhook_secret(settings), allowed_updates=ALLOWED_UPDATES
            )
        except TelegramAPIError as exc:
            log.warning("webhook %s not registered with Telegram: %s", url, exc)
        else:
            log.info("Telegram webhook: %s", url)

    return announce
