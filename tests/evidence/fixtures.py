"""The processes a test of real servers starts around them: the SMS gateway fake, a
redis-server of the test's own, and an empty database the servers migrate on start.

A module of its own so that every folder whose tests start `arogya` processes (tests/evidence,
tests/arogya) takes the same fixtures from its conftest, rather than each writing them again.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import AsyncIterator
from pathlib import Path

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
    """An empty database the servers migrate on start; shared by every process of a test: a
    fresh PostgreSQL database on `AROGYA_TEST_DATABASE_URL` when set, else a SQLite file."""
    if POSTGRES_URL:
        worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
        return await fresh_database(POSTGRES_URL, f"evidence_{worker}_{next(_databases)}")
    return f"sqlite://{tmp_path}/evidence.sqlite3"
