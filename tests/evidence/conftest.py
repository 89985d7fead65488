"""Fixtures for the evidence tests: their own Redis, a database, the SMS gateway fake.

Sizes: CI runs every evidence test at a small scale (a few seconds each); `AROGYA_EVIDENCE=full`
(`make evidence`) runs them at the scale docs/evidence.md reports (200 sessions, a one-minute
gateway outage, 100,000+ fuzz requests). The database is the suite's: a fresh PostgreSQL
database on `AROGYA_TEST_DATABASE_URL` when set (pass 2), else a SQLite file; Redis is always a
redis-server of the test's own, so a test may stop and restart it.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest

from testing.services import RedisProcess, fresh_database
from tests.evidence.system import SmsGatewayFake

POSTGRES_URL = os.environ.get("AROGYA_TEST_DATABASE_URL")
_databases = itertools.count(1)


@pytest.fixture
async def gateway() -> AsyncIterator[SmsGatewayFake]:
    fake = SmsGatewayFake()
    await fake.start()
    try:
        yield fake
    finally:
        await fake.stop()


@pytest.fixture
async def redis() -> AsyncIterator[RedisProcess]:
    server = RedisProcess()
    await server.start()
    try:
        yield server
    finally:
        await server.close()


@pytest.fixture
async def database_url(tmp_path: Path) -> str:
    """An empty database the servers migrate on start; shared by every process of a test."""
    if POSTGRES_URL:
        worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
        return await fresh_database(POSTGRES_URL, f"evidence_{worker}_{next(_databases)}")
    return f"sqlite://{tmp_path}/evidence.sqlite3"


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    timeout = aiohttp.ClientTimeout(total=30)
    async with aiohttp.ClientSession(timeout=timeout) as session:
        yield session
