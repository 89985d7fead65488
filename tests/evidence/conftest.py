"""Fixtures for the evidence tests: their own Redis, a database, the SMS gateway fake.

Sizes: CI runs every evidence test at a small scale (a few seconds each); `AROGYA_EVIDENCE=full`
(`make evidence`) runs them at the scale docs/evidence.md reports (200 sessions, a one-minute
gateway outage, 100,000+ fuzz requests). The database is the suite's: a fresh PostgreSQL
database on `AROGYA_TEST_DATABASE_URL` when set (pass 2), else a SQLite file; Redis is always a
redis-server of the test's own, so a test may stop and restart it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest

from tests.evidence.fixtures import database_url, gateway, redis

#: The processes around the servers: tests/arogya's conftest takes the same ones.
__all__ = ["database_url", "gateway", "redis"]


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    timeout = aiohttp.ClientTimeout(total=30)
    async with aiohttp.ClientSession(timeout=timeout) as session:
        yield session
