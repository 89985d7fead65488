"""Opening and closing the database, and applying tortoise's own migrations.

Why tortoise's migrations (not aerich): they are written as operations, so one migration file
serves SQLite and PostgreSQL alike. `open_storage` migrates first, so `arogya serve` on a fresh
machine needs nothing else.
"""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from tortoise import Tortoise
from tortoise.migrations.api import migrate as tortoise_migrate

log = logging.getLogger(__name__)

#: One tortoise app per registry: label -> package holding `models.py` and `migrations/`.
#: Separate apps give each registry its own migration history, like Django apps.
APPS: dict[str, str] = {
    "healthid": "core.healthid",
    "otp": "core.otp",
    "sms": "core.sms",
    "audit": "core.audit",
    "notify": "core.notify",
    "professionals": "core.professionals",
    "facilities": "core.facilities",
    "records": "core.records",
}


def normalise_database_url(url: str) -> str:
    """Accept the common spellings (`postgresql://`, `postgresql+asyncpg://`) tortoise does not."""
    for prefix in ("postgresql+asyncpg://", "postgresql://", "postgres+asyncpg://"):
        if url.startswith(prefix):
            return "postgres://" + url[len(prefix) :]
    return url


def tortoise_config(database_url: str) -> dict[str, Any]:
    return {
        "connections": {"default": normalise_database_url(database_url)},
        "apps": {
            label: {
                "models": [f"{package}.models"],
                "default_connection": "default",
                "migrations": f"{package}.migrations",
            }
            for label, package in APPS.items()
        },
        "use_tz": True,
        "timezone": "UTC",
    }


def _ensure_sqlite_dir(database_url: str) -> None:
    if database_url.startswith("sqlite://") and ":memory:" not in database_url:
        Path(database_url.removeprefix("sqlite://")).parent.mkdir(parents=True, exist_ok=True)


async def migrate(database_url: str) -> None:
    """Apply every pending migration, then release the connections migrate opened."""
    _ensure_sqlite_dir(database_url)
    await tortoise_migrate(config=tortoise_config(database_url))
    await Tortoise.close_connections()


async def init_storage(database_url: str) -> None:
    """Initialise tortoise for this process.

    The global fallback matters: aiohttp handlers run in tasks that do not inherit the
    context variable tortoise sets here.
    """
    _ensure_sqlite_dir(database_url)
    await Tortoise.init(config=tortoise_config(database_url), _enable_global_fallback=True)


async def close_storage() -> None:
    await Tortoise.close_connections()


@asynccontextmanager
async def open_storage(database_url: str, *, apply_migrations: bool = True) -> AsyncIterator[None]:
    if apply_migrations:
        await migrate(database_url)
    await init_storage(database_url)
    try:
        yield
    finally:
        await close_storage()


async def database_healthy() -> bool:
    """A cheap round trip, used by /healthz."""
    try:
        conn = Tortoise.get_connection("default")
        await conn.execute_query("SELECT 1")
    except Exception:  # any driver error means "not healthy", reported, not raised
        log.warning("database health check failed", exc_info=True)
        return False
    return True


#: For tortoise's own CLI, which writes migrations:
#: `python -m tortoise -c core.storage.TORTOISE_ORM makemigrations <app>`.
TORTOISE_ORM = tortoise_config(os.environ.get("DATABASE_URL", "sqlite://var/arogya.sqlite3"))
