"""`arogya serve`: the web app and the outbox workers until SIGINT/SIGTERM.

With `--workers N` (N > 1) the command becomes a parent of N `serve` processes on one port
(arogya/processes.py); each child is this same function with `reuse_port`, and only child 0
runs the background workers.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import sys

from arogya.processes import default_workers, free_port, run_children
from arogya.startup import refusals
from arogya.wiring import running_system
from core.settings import Settings
from core.storage import migrate

log = logging.getLogger(__name__)


class RefusedToStart(SystemExit):
    """`serve` will not start with these settings on this address (arogya/startup.py)."""


def worker_count(settings: Settings, asked: int | None) -> int:
    """`--workers`, or by default one per core when the state and the database can be shared
    (Redis, PostgreSQL), else one. Refused, each with its reason:
    - several processes with in-process state: each would keep its own conversations, and a
      caller's next hop, landing on another process, would find none (its registration lost
      half-way);
    - several processes on SQLite: it takes one writer at a time, and under load the others'
      commits fail with "database is locked" (measured: failed hops at the confirm step)."""
    if asked is not None and asked < 1:
        raise RefusedToStart(f"arogya serve: --workers must be at least 1, not {asked}")
    sqlite = settings.database_url.startswith("sqlite")
    if asked is not None and asked > 1 and settings.redis_url is None:
        raise RefusedToStart(
            f"arogya serve refuses --workers {asked} with the in-process state store: "
            "processes cannot share it, so a caller's next hop could land on a process "
            "that does not know the conversation. Set REDIS_URL (then any number of "
            "workers share it) or run one worker."
        )
    if asked is not None and asked > 1 and sqlite:
        raise RefusedToStart(
            f"arogya serve refuses --workers {asked} on SQLite: it takes one writer at a "
            "time, and several processes' commits fail with 'database is locked' under load. "
            "Use PostgreSQL (DATABASE_URL=postgres://...) or run one worker."
        )
    if asked is not None:
        return asked
    return 1 if settings.redis_url is None or sqlite else default_workers()


def serve_workers(
    settings: Settings, host: str, port: int, workers: int, *, run_worker: bool
) -> int:
    """Migrate once, then run `workers` children of `arogya serve` sharing `port`."""
    check(settings, host)
    asyncio.run(migrate(settings.database_url))  # once, before N processes would race to
    port = port or free_port(host)
    base = [sys.executable, "-m", "arogya", "serve", "--host", host, "--port", str(port)]
    commands = [
        [
            *base,
            "--worker-index",
            str(index),
            *(["--no-worker"] if index or not run_worker else []),
        ]
        for index in range(workers)
    ]
    print(f"Arogya: {workers} worker processes on http://{host}:{port}", flush=True)
    return run_children(commands)


def check(settings: Settings, host: str) -> None:
    problems = refusals(settings, host)
    if problems:
        lines = "\n".join(f"  - {problem}" for problem in problems)
        raise RefusedToStart(f"arogya serve refuses to start on {host}:\n{lines}")


async def serve(
    settings: Settings,
    host: str,
    port: int,
    *,
    run_worker: bool = True,
    worker_index: int | None = None,
) -> None:
    """One serving process; `worker_index` set when it is one of `--workers N` (then it shares
    the port with `SO_REUSEPORT`, and only worker 0 prints the greeting)."""
    check(settings, host)
    if settings.uses_dev_secret and not worker_index:
        log.warning("AROGYA_SECRET_KEY is the development default: set it before real use")
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    async with running_system(
        settings,
        host=host,
        port=port,
        run_workers=run_worker,
        reuse_port=worker_index is not None,
        apply_migrations=worker_index is None,  # the parent of N workers migrated once
    ) as system:
        if not worker_index:
            print(f"Arogya is serving on {system.url}  (health: {system.url}/healthz)", flush=True)
            print(
                f"Be a feature phone:  .venv/bin/arogya chat --channel ussd --url {system.url}",
                flush=True,
            )
        await stop.wait()
    if not worker_index:
        print("stopped", flush=True)
