"""Wiring the whole system for one process: storage, services, the engine, the web app, workers.

`serve` and `chat` use `running_system`; `arogya bot` (long polling) uses `running_core`, the
same wiring without the web app. So the terminal phone and the bot drive exactly what a gateway
or Telegram's webhook would reach.

With a Telegram token, one aiogram `Bot` serves both directions: the webhook's replies and the
notifier's pushes (through `TelegramSender`, which keeps to Telegram's rate limits).
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import random
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass

from aiogram import Bot
from aiohttp import web

from arogya.edge import EdgeGuard, GuardedSite
from bot.factory import create_bot
from bot.notify_deliverer import TelegramDeliverer, card_loader
from bot.sender import SendLimits, TelegramSender
from core.clock import Clock
from core.housekeeping import run_housekeeping
from core.notify.models import Channel
from core.notify.sms import SmsDeliverer
from core.services import Services, build_services
from core.settings import Settings
from core.sms.gateways import SmsGateway
from core.storage import open_storage
from flows import Engine
from flows.registry import health_engine
from webhooks.app import create_app

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Core:
    services: Services
    engine: Engine[Services]
    #: Set when TELEGRAM_BOT_TOKEN is.
    telegram_bot: Bot | None


@dataclass(frozen=True, slots=True)
class System:
    services: Services
    engine: Engine[Services]
    app: web.Application
    url: str


def settle_heap() -> None:
    """Take what startup built out of the garbage collector's sight (`gc.freeze`).

    Why: a started process holds ~270k long-lived objects (the pydantic schemas of every
    Telegram and FHIR type, the catalogs, the flows); every collection of the older generations
    walks them all (a full one takes ~0.2 s), and request handling allocates enough to trigger
    those often. Frozen, they are never scanned again. Measured on the Telegram webhook: CPU per
    update from 1.6 ms to 1.0 ms. Call once, when the process is ready to serve.
    """
    gc.collect()
    gc.freeze()


def telegram_bot(settings: Settings) -> Bot | None:
    if settings.telegram_bot_token is None:
        return None
    return create_bot(settings.telegram_bot_token.get_secret_value(), settings.telegram_api_base)


@asynccontextmanager
async def running_core(
    settings: Settings,
    *,
    run_workers: bool = True,
    clock: Clock | None = None,
    rng: random.Random | None = None,
    sms_gateway: SmsGateway | None = None,
    apply_migrations: bool = True,
) -> AsyncIterator[Core]:
    """Migrate (unless a parent process did: `serve --workers`), open storage, wire services,
    the engine and the outbox workers."""
    async with (
        open_storage(settings.database_url, apply_migrations=apply_migrations),
        build_services(settings, clock=clock, rng=rng, sms_gateway=sms_gateway) as services,
    ):
        services.notifier.register(Channel.SMS, SmsDeliverer(services.sms))
        bot = telegram_bot(settings)
        if bot is not None:
            deliverer = TelegramDeliverer(
                TelegramSender(
                    bot, SendLimits(messages_per_second=settings.telegram_messages_per_second)
                ),
                {"card": card_loader(services.healthid)},
            )
            services.notifier.register(Channel.TELEGRAM, deliverer)
        engine = health_engine(services)
        stop = asyncio.Event()
        workers: list[asyncio.Task[None]] = []
        if run_workers:
            workers = [
                asyncio.create_task(services.sms.run_worker(stop), name="sms-outbox"),
                asyncio.create_task(services.notifier.run_worker(stop), name="notifier"),
                asyncio.create_task(
                    services.consent.callbacks.run_worker(stop), name="consent-callbacks"
                ),
                asyncio.create_task(
                    services.leaving.hip_notices.run_worker(stop), name="hip-notices"
                ),
                asyncio.create_task(
                    services.consent.run_sweeper(stop, settings.consent_sweep_interval_seconds),
                    name="consent-sweeper",
                ),
                asyncio.create_task(run_housekeeping(services, stop), name="housekeeping"),
            ]
        try:
            yield Core(services, engine, bot)
        finally:
            stop.set()
            for task in workers:
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            if bot is not None:
                await bot.session.close()


@asynccontextmanager
async def running_system(
    settings: Settings,
    *,
    host: str = "127.0.0.1",
    port: int = 8080,
    run_workers: bool = True,
    clock: Clock | None = None,
    rng: random.Random | None = None,
    sms_gateway: SmsGateway | None = None,
    reuse_port: bool = False,
    configure_app: Callable[[web.Application], None] | None = None,
    apply_migrations: bool = True,
) -> AsyncIterator[System]:
    """`running_core`, and the web app served over HTTP until the block ends; `reuse_port`
    lets several processes listen on one port (`arogya serve --workers N`); `configure_app`
    may add to the app before it starts (the benchmark's per-hop probe, bench/probe.py)."""
    async with running_core(
        settings,
        run_workers=run_workers,
        clock=clock,
        rng=rng,
        sms_gateway=sms_gateway,
        apply_migrations=apply_migrations,
    ) as core:
        app = create_app(core.services, core.engine, telegram_bot=core.telegram_bot)
        if configure_app is not None:
            configure_app(app)
        runner = web.AppRunner(
            app, access_log=None, keepalive_timeout=settings.http_keepalive_seconds
        )
        await runner.setup()
        guard = EdgeGuard(
            header_seconds=settings.http_header_timeout_seconds,
            body_seconds=settings.http_body_timeout_seconds,
            keepalive_seconds=settings.http_keepalive_seconds,
            per_address=settings.http_connections_per_address,
        )
        site = GuardedSite(runner, host, port, guard, reuse_port=reuse_port)
        await site.start()
        bound = runner.addresses[0]
        url = f"http://{bound[0]}:{bound[1]}"
        settle_heap()
        try:
            yield System(core.services, core.engine, app, url)
        finally:
            await runner.cleanup()
