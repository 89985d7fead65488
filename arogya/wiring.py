"""Wiring the whole system for one process: storage, services, the engine, the web app, workers.

`serve` and `chat` both use `running_system`, so the terminal phone drives exactly what a
gateway would reach.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from aiohttp import web

from core.clock import Clock
from core.notify.models import Channel
from core.notify.sms import SmsDeliverer
from core.services import Services, build_services
from core.settings import Settings
from core.sms.gateways import SmsGateway
from core.storage import open_storage
from flows import Engine
from flows.healthid import health_engine
from webhooks.app import create_app

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class System:
    services: Services
    engine: Engine[Services]
    app: web.Application
    url: str


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
) -> AsyncIterator[System]:
    """Migrate, open storage, wire services and serve HTTP until the block ends."""
    async with (
        open_storage(settings.database_url),
        build_services(settings, clock=clock, rng=rng, sms_gateway=sms_gateway) as services,
    ):
        services.notifier.register(Channel.SMS, SmsDeliverer(services.sms))
        engine = health_engine(services)
        app = create_app(services, engine)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, host, port)
        await site.start()
        bound = runner.addresses[0]
        url = f"http://{bound[0]}:{bound[1]}"
        stop = asyncio.Event()
        workers: list[asyncio.Task[None]] = []
        if run_workers:
            workers = [
                asyncio.create_task(services.sms.run_worker(stop), name="sms-outbox"),
                asyncio.create_task(services.notifier.run_worker(stop), name="notifier"),
            ]
        try:
            yield System(services, engine, app, url)
        finally:
            stop.set()
            for task in workers:
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            await runner.cleanup()
