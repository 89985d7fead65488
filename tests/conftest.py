"""Shared fixtures: a real database (SQLite or PostgreSQL), a real state store, a frozen clock.

The backend is chosen by the environment, so the same suite runs twice (see .ci/run):
- `AROGYA_TEST_DATABASE_URL` unset: a fresh SQLite file per test, copied from a migrated template;
  set to a `postgres://` URL: one database per xdist worker, migrated once, truncated per test.
- `AROGYA_TEST_REDIS_URL` unset: in-process state; set: Redis, one logical db flushed per test.
"""

from __future__ import annotations

import asyncio
import os
import random
import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from tortoise import Tortoise

from core.clock import FrozenClock
from core.settings import Settings
from core.state import StateStore
from core.state.memory import MemoryStateStore
from core.storage import close_storage, init_storage, migrate
from testing.golden import add_golden_option

POSTGRES_URL = os.environ.get("AROGYA_TEST_DATABASE_URL")
REDIS_URL = os.environ.get("AROGYA_TEST_REDIS_URL")
MIGRATIONS_TABLE = "tortoise_migrations"


def pytest_addoption(parser: pytest.Parser) -> None:
    """`--update-golden` re-records the transcripts in tests/golden (testing.golden)."""
    add_golden_option(parser)


def _worker_id() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


async def _recreate_postgres_database(base_url: str, name: str) -> str:
    import asyncpg

    admin_url = base_url.replace("postgres://", "postgresql://", 1)
    conn = await asyncpg.connect(admin_url)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    prefix, _, _ = base_url.rpartition("/")
    return f"{prefix}/{name}"


@pytest.fixture(scope="session")
def database_template(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A migrated database: a SQLite file to copy, or a PostgreSQL URL to truncate."""
    if POSTGRES_URL:
        url = asyncio.run(_recreate_postgres_database(POSTGRES_URL, f"arogya_test_{_worker_id()}"))
        asyncio.run(migrate(url))
        return url
    path = tmp_path_factory.mktemp("db-template") / "template.sqlite3"
    asyncio.run(migrate(f"sqlite://{path}"))
    return str(path)


async def _truncate_all() -> None:
    conn = Tortoise.get_connection("default")
    rows = await conn.execute_query_dict(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> $1",
        [MIGRATIONS_TABLE],
    )
    if rows:
        names = ", ".join(f'"{row["tablename"]}"' for row in rows)
        await conn.execute_script(f"TRUNCATE {names} RESTART IDENTITY CASCADE")


@pytest.fixture
async def db(database_template: str, tmp_path: Path) -> AsyncIterator[str]:
    """Tortoise initialised on an empty, migrated database; yields its URL."""
    if POSTGRES_URL:
        url = database_template
        await init_storage(url)
        await _truncate_all()
    else:
        path = tmp_path / "arogya.sqlite3"
        shutil.copyfile(database_template, path)
        url = f"sqlite://{path}"
        await init_storage(url)
    try:
        yield url
    finally:
        await close_storage()


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock()


@pytest.fixture
def rng() -> random.Random:
    return random.Random(20260115)


#: The USSD gateway's shared secret in tests: /ussd is closed without one (webhooks.guard).
TEST_USSD_SECRET = "test-ussd-secret"
#: What a test client of the whole app sends on every request, as a configured gateway would.
GATEWAY_HEADERS = {"X-Ussd-Secret": TEST_USSD_SECRET}


def make_settings(**overrides: Any) -> Settings:
    """Settings for tests: fast PIN hashing, test secrets; everything else as in production."""
    values: dict[str, Any] = {
        "ussd_secret": TEST_USSD_SECRET,
        "secret_key": "test-secret-key",
        "aadhaar_hmac_key": "test-aadhaar-hmac-key",
        "pin_hash_cost": 2**4,
        "abha_address_suffix": "sbx",
    }
    values.update(overrides)
    return Settings(**values)


@pytest.fixture
def settings() -> Settings:
    return make_settings()


@pytest.fixture
async def state() -> AsyncIterator[StateStore]:
    """The state store under test: Redis when AROGYA_TEST_REDIS_URL is set, else in-process."""
    if REDIS_URL:
        from core.state.redis import RedisStateStore

        store = RedisStateStore.from_url(REDIS_URL, namespace=f"test-{_worker_id()}")
        await store.flush_namespace()
        try:
            yield store
        finally:
            await store.flush_namespace()
            await store.close()
    else:
        store_mem = MemoryStateStore()
        yield store_mem
        await store_mem.close()
