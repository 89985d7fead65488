"""How many Redis round trips a whole USSD registration makes (issue 18), counted, not timed.

Why a count: each redis-py command costs this process 0.1-0.2 ms of CPU and, against a Redis
across a network, a round trip of latency; after the SQL statements left the hot path (see
test_statements.py) the state store's commands are what a registration on Redis pays for, and
a change that adds some should say why. Counted on the recorded golden journey
(tests/golden/healthid/ussd_mobile_en.json) over the real USSD endpoint, on pass 2 of the suite
(Redis); a pipeline or an MGET is one round trip.
"""

from __future__ import annotations

import collections
from typing import Any

import pytest
import redis.asyncio as redis_asyncio
from redis.asyncio.client import Pipeline

from core.clock import FrozenClock
from core.state import StateStore
from core.state.redis import RedisStateStore
from testing.golden import GOLDEN_DIR, load, replay
from tests.running import Running
from tests.webhooks.journey_phones import JourneyUssdPhone
from tests.webhooks.phones import ENGLISH_CIRCLE

#: 60 (84 before the draft store's MGET and pipelined saves): two Lua calls a delivery for the
#: conversation (lock-and-read, write-and-unlock: 28 over 14 deliveries); the OTP's strikes,
#: send count and transaction (5 compare-and-set calls, 6 GETs); the draft's reads (9 GETs,
#: 2 MGETs for the suggested addresses' claims), saves (6 pipelines) and delete (1 GET, 3 DELs).
CEILING = 60


async def test_a_ussd_registration_makes_at_most_the_counted_redis_round_trips(
    running: Running, clock: FrozenClock, state: StateStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not isinstance(state, RedisStateStore):
        pytest.skip("counts Redis commands: pass 2 of the suite (AROGYA_TEST_REDIS_URL)")
    counts: collections.Counter[str] = collections.Counter()
    command = redis_asyncio.Redis.execute_command
    pipeline = Pipeline.execute

    async def counted(self: redis_asyncio.Redis, *args: Any, **options: Any) -> Any:
        counts[str(args[0]).upper()] += 1
        return await command(self, *args, **options)  # type: ignore[no-untyped-call]  # redis-py

    async def counted_pipeline(self: Pipeline, raise_on_error: bool = True) -> list[Any]:
        counts["PIPELINE"] += 1
        return await pipeline(self, raise_on_error)

    path = GOLDEN_DIR / "healthid" / "ussd_mobile_en.json"
    script = load(path)
    phone = JourneyUssdPhone(
        running.client, running.services, clock, script.get("network", ENGLISH_CIRCLE)
    )
    monkeypatch.setattr(redis_asyncio.Redis, "execute_command", counted)
    monkeypatch.setattr(Pipeline, "execute", counted_pipeline)
    await replay(path, phone, update=False)
    monkeypatch.undo()
    assert counts["PIPELINE"] > 0  # the batched paths ran: the count is real
    assert counts["MGET"] > 0
    assert sum(counts.values()) <= CEILING, sorted(counts.items())
