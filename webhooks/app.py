"""The aiohttp application factory: every channel and the partner API hang off one app.

Why one app: USSD, SMS, the Telegram webhook and the partner API share the same engine and core
services; N copies of this app behind a load balancer share PostgreSQL and Redis and keep no state
of their own (docs/design.md §6).
"""

from __future__ import annotations

import functools

from aiogram import Bot
from aiohttp import web
from aiohttp.typedefs import Handler, Middleware

from core.errors import ArogyaError, InvalidInput
from core.records.announce import announce_record
from core.services import Services
from core.storage import database_healthy
from flows.engine import Engine
from webhooks.api import setup_partner_api
from webhooks.council import setup_council
from webhooks.devsms import setup_dev_sms
from webhooks.errors import json_errors
from webhooks.keys import ENGINE, SERVICES, SETTINGS, SMS_OUT
from webhooks.sms import setup_sms
from webhooks.telegram import setup_telegram
from webhooks.twilio_status import setup_twilio_status
from webhooks.ussd import setup_ussd
from webhooks.wire import MAX_BODY_BYTES
from webhooks.workers import setup_worker_console

FORM = "application/x-www-form-urlencoded"


async def holds_nul(request: web.Request) -> bool:
    """A NUL character in the path, the query or a form field. PostgreSQL text cannot hold
    one (asyncpg raises), so it is refused at the door rather than by whichever query meets it
    first (fuzzing found one: `GET /api/v1/hiu/consent-requests/%00`)."""
    if "\x00" in request.path or any("\x00" in k + v for k, v in request.query.items()):
        return True
    small = request.content_length is not None and request.content_length <= MAX_BODY_BYTES
    if request.method == "POST" and request.content_type == FORM and small:
        try:
            form = await request.post()  # cached: the handler reads the same parse
        except (ValueError, UnicodeDecodeError):
            return False  # a malformed form is its handler's to refuse
        return any(isinstance(v, str) and "\x00" in k + v for k, v in form.items())
    return False


@web.middleware
async def refuse_nul(request: web.Request, handler: Handler) -> web.StreamResponse:
    """422 `request.nul_character` for any request that `holds_nul`, before any handler."""
    if await holds_nul(request):
        raise InvalidInput("request.nul_character")
    return await handler(request)


#: Every route's: refusals and bugs answered as JSON (`webhooks.errors`), outside the NUL check
#: (the partner API and the council console add their own inside).
MIDDLEWARES: tuple[Middleware, ...] = (json_errors(), refuse_nul)


async def healthz(request: web.Request) -> web.Response:
    """Liveness and readiness: the database and the state store both answer."""
    services = request.app[SERVICES]
    database = await database_healthy()
    try:
        state = await services.state.ping()
    except ArogyaError:
        state = False
    healthy = database and state
    body = {"status": "ok" if healthy else "degraded", "database": database, "state": state}
    return web.json_response(body, status=200 if healthy else 503)


def create_app(
    services: Services, engine: Engine[Services], *, telegram_bot: Bot | None = None
) -> web.Application:
    """The app; the Telegram webhook is mounted when a bot token is configured (or a bot is
    given: the composition root shares its bot with the notifier, a test points one at a fake)."""
    settings = services.settings
    app = web.Application(middlewares=MIDDLEWARES, client_max_size=1024**2)
    app[SERVICES] = services
    app[ENGINE] = engine
    app[SETTINGS] = settings
    app[SMS_OUT] = services.sms
    app.router.add_get("/healthz", healthz)
    setup_ussd(app)
    setup_sms(app)
    setup_twilio_status(app)
    setup_dev_sms(app)
    if telegram_bot is not None or settings.telegram_bot_token is not None:
        setup_telegram(app, services, engine, telegram_bot)
    setup_partner_api(
        app,
        admin_token=settings.admin_token.get_secret_value() if settings.admin_token else None,
        on_record_stored=functools.partial(
            announce_record,
            healthid=services.healthid,
            channels=services.channels,
            notifier=services.notifier,
            notices=services.notices,
        ),
    )
    setup_council(
        app,
        services.professionals,
        secret_key=settings.secret_key.get_secret_value(),
        secure_cookies=(settings.public_url or "").startswith("https://"),
        audit_channel="web",
    )
    setup_worker_console(
        app,
        services.workers,
        secret_key=settings.secret_key.get_secret_value(),
        secure_cookies=(settings.public_url or "").startswith("https://"),
    )
    return app
