"""256 USSD sessions at once on Redis state, through a pool far smaller than that: every hop is
answered (a hop waits for a pooled connection; it never gets "try again" for want of one).

Before: redis-py's default pool raised `MaxConnectionsError` past 100 connections, and each
such hop answered "try again" (issue 18). The pool here is 32 connections, 8 sessions to a
connection: hops queue for one, first come first served, instead of failing (with redis-py's
own pool of that size, this test fails with `MaxConnectionsError`).
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator

import pytest
from aiohttp.test_utils import TestClient, TestServer

from core.clock import FrozenClock
from core.state.redis import RedisStateStore
from testing.services import RedisProcess
from tests.conftest import GATEWAY_HEADERS, make_settings
from tests.flows.engine.demo import DemoServices, demo_engine
from tests.webhooks.conftest import build_app
from tests.webhooks.phones import RecordingSms, UssdPhone

SESSIONS = 256
POOL = 32


@pytest.fixture
async def redis_url() -> AsyncIterator[str]:
    """The suite's Redis on the PostgreSQL + Redis pass, else a redis-server of our own."""
    if os.environ.get("AROGYA_TEST_REDIS_URL"):
        yield os.environ["AROGYA_TEST_REDIS_URL"]
        return
    server = RedisProcess()
    await server.start()
    try:
        yield server.url
    finally:
        await server.close()


async def test_256_sessions_through_a_smaller_pool_lose_no_hop(
    redis_url: str, clock: FrozenClock
) -> None:
    store = RedisStateStore.from_url(redis_url, namespace="pool-test", max_connections=POOL)
    await store.flush_namespace()
    services = DemoServices()
    engine = demo_engine(store, make_settings(), clock, services)
    client = TestClient(TestServer(build_app(engine, RecordingSms())), headers=GATEWAY_HEADERS)
    await client.start_server()
    try:
        phones = [UssdPhone(client, clock, phone=f"+9198700{n:05d}") for n in range(SESSIONS)]

        async def register(phone: UssdPhone) -> list[str]:
            pages = await phone.dial()
            for text in ("1", "Asha", "1990", "2", "1"):
                pages += await phone.send(text)
            return pages

        conversations = await asyncio.gather(*(register(phone) for phone in phones))
    finally:
        await client.close()
        await store.flush_namespace()
        await store.close()

    for pages in conversations:
        assert not any("try again" in page for page in pages), pages
        assert pages[-1].startswith("END Thank you, Asha. Your number is R")
    assert len(services.registered) == SESSIONS
