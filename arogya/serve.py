"""`arogya serve`: the web app and the outbox workers until SIGINT/SIGTERM."""

from __future__ import annotations

import asyncio
import logging
import signal

from arogya.startup import refusals
from arogya.wiring import running_system
from core.settings import Settings

log = logging.getLogger(__name__)


class RefusedToStart(SystemExit):
    """`serve` will not start with these settings on this address (arogya/startup.py)."""


async def serve(settings: Settings, host: str, port: int, *, run_worker: bool = True) -> None:
    problems = refusals(settings, host)
    if problems:
        lines = "\n".join(f"  - {problem}" for problem in problems)
        raise RefusedToStart(f"arogya serve refuses to start on {host}:\n{lines}")
    if settings.uses_dev_secret:
        log.warning("AROGYA_SECRET_KEY is the development default: set it before real use")
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    async with running_system(settings, host=host, port=port, run_workers=run_worker) as system:
        print(f"Arogya is serving on {system.url}  (health: {system.url}/healthz)", flush=True)
        print(
            f"Be a feature phone:  .venv/bin/arogya chat --channel ussd --url {system.url}",
            flush=True,
        )
        await stop.wait()
    print("stopped", flush=True)
