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
from urllib.parse import parse_qsl, urlencode, urlsplit

from tortoise import Tortoise
from tortoise.backends.base.executor import EXECUTOR_CACHE
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
    "consent": "core.consent",
    "channels": "core.channels",
    "abdm": "core.abdm",
    "identity": "core.identity",
    "consentuse": "core.consent.uses",
    "workers": "core.workers",
    "recovery": "core.recovery",
    "leaving": "core.leaving",
    "hipnotices": "core.leaving.hipnotices",
    "abdmcards": "core.abdm.cards",
}


def normalise_database_url(url: str) -> str:
    """Accept the common spellings (`postgresql://`, `postgresql+asyncpg://`) tortoise does not."""
    for prefix in ("postgresql+asyncpg://", "postgresql://", "postgres+asyncpg://"):
        if url.startswith(prefix):
            return "postgres://" + url[len(prefix) :]
    return url


#: SQLite pragmas Arogya sets unless the URL names them. tortoise already puts SQLite in WAL
#: mode; there `synchronous=NORMAL` skips the fsync on every commit (measured: 0.2 ms -> 0.01 ms
#: per commit here, and the USSD benchmark's write hops wait on a queue of such commits). It
#: stays crash-safe: a killed process loses nothing committed, and only a power cut can lose the
#: last commits before a checkpoint (SQLite's documentation, "WAL mode"); a deployment that
#: cannot accept that runs PostgreSQL.
SQLITE_DEFAULTS: dict[str, str] = {"synchronous": "NORMAL"}


def with_sqlite_defaults(database_url: str) -> str:
    """`database_url` with `SQLITE_DEFAULTS` added to a SQLite URL's query (others unchanged)."""
    if not database_url.startswith("sqlite://"):
        return database_url
    given = {name for name, _ in parse_qsl(urlsplit(database_url).query)}
    extra = [(name, value) for name, value in SQLITE_DEFAULTS.items() if name not in given]
    if not extra:
        return database_url
    joiner = "&" if "?" in database_url else "?"
    return database_url + joiner + urlencode(extra)


def tortoise_config(database_url: str) -> dict[str, Any]:
    return {
        "connections": {"default": with_sqlite_defaults(normalise_database_url(database_url))},
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
    try:
        await tortoise_migrate(config=tortoise_config(database_url))
    finally:
        # Also when a migration fails: an open aiosqlite connection is a non-daemon thread,
        # and it would keep a failed `arogya serve` alive (not listening) forever.
        await Tortoise.close_connections()


async def init_storage(database_url: str) -> None:
    """Initialise tortoise for this process.

    The global fallback matters: aiohttp handlers run in tasks that do not inherit the
    context variable tortoise sets here.
    """
    _ensure_sqlite_dir(database_url)
    # tortoise caches each table's INSERT/UPDATE SQL by connection name, not by dialect: a
    # process that opened SQLite before PostgreSQL under the same name (the CLI's admin commands
    # after a test, a tool switching databases) would send SQLite's `?` placeholders to asyncpg.
    EXECUTOR_CACHE.clear()
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
