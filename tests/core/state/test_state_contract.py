"""One contract for every StateStore adapter: in-process and Redis must be interchangeable.

The Redis cases run when AROGYA_TEST_REDIS_URL is set (e.g. `redis-server --port 6390 --save ''`
and `AROGYA_TEST_REDIS_URL=redis://127.0.0.1:6390/0`). TTLs are short real ones, so both
adapters are tested by the same clock: the wall clock.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator

import pytest

from core.errors import Unavailable
from core.state import StateKey, StateStore
from core.state.memory import MemoryStateStore

REDIS_URL = os.environ.get("AROGYA_TEST_REDIS_URL")
SHORT = 0.2  # a TTL short enough to wait out, long enough to read before it lapses


@pytest.fixture(
    params=[
        "memory",
        pytest.param(
            "redis",
            marks=[
                pytest.mark.redis,
                pytest.mark.skipif(not REDIS_URL, reason="AROGYA_TEST_REDIS_URL not set"),
            ],
        ),
    ]
)
async def store(request: pytest.FixtureRequest) -> AsyncIterator[StateStore]:
    if request.param == "memory":
        memory = MemoryStateStore()
        yield memory
        await memory.close()
        return
    from core.state.redis import RedisStateStore

    assert REDIS_URL
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    redis_store = RedisStateStore.from_url(REDIS_URL, namespace=f"contract-{worker}")
    await redis_store.flush_namespace()
    try:
        yield redis_store
    finally:
        await redis_store.flush_namespace()
        await redis_store.close()


KEY = str(StateKey("conv", "ussd", "+919876543210"))


async def test_json_values_round_trip(store: StateStore) -> None:
    value = {"flow": "enrol", "step": "name", "data": {"name": "आशा", "n": [1, 2.5, None, True]}}
    assert await store.get_json(KEY) is None
    await store.set_json(KEY, value, ttl=60)
    assert await store.get_json(KEY) == value
    await store.set_json(KEY, [1], ttl=60)
    assert await store.get_json(KEY) == [1]
    await store.delete(KEY)
    assert await store.get_json(KEY) is None
    await store.delete(KEY)  # deleting what is absent is fine


async def test_many_values_in_one_round_trip_read_and_expire_as_single_ones(
    store: StateStore,
) -> None:
    keys = [f"{KEY}:{n}" for n in range(3)]
    assert await store.get_many_json([]) == []
    assert await store.get_many_json(keys) == [None, None, None]
    await store.set_many_json([(keys[0], {"a": "आ"}, 60), (keys[2], [2], SHORT)])
    assert await store.get_many_json(keys) == [{"a": "आ"}, None, [2]]
    assert await store.get_json(keys[0]) == {"a": "आ"}  # the same values as set_json's
    await store.set_many_json([])
    await asyncio.sleep(SHORT * 1.5)
    assert await store.get_many_json(keys) == [{"a": "आ"}, None, None]  # each its own TTL


async def test_values_expire(store: StateStore) -> None:
    await store.set_json(KEY, {"a": 1}, ttl=SHORT)
    await store.set_json("other", {"b": 2}, ttl=60)
    assert await store.get_json(KEY) == {"a": 1}
    await asyncio.sleep(SHORT + 0.1)
    assert await store.get_json(KEY) is None
    assert await store.get_json("other") == {"b": 2}


async def test_set_if_absent(store: StateStore) -> None:
    assert await store.set_json_if_absent(KEY, "first", ttl=SHORT) is True
    assert await store.set_json_if_absent(KEY, "second", ttl=SHORT) is False
    assert await store.get_json(KEY) == "first"
    await asyncio.sleep(SHORT + 0.1)
    assert await store.set_json_if_absent(KEY, "third", ttl=60) is True
    assert await store.get_json(KEY) == "third"


async def test_concurrent_set_if_absent_has_one_winner(store: StateStore) -> None:
    results = await asyncio.gather(*(store.set_json_if_absent(KEY, i, ttl=60) for i in range(20)))
    assert results.count(True) == 1
    assert await store.get_json(KEY) == results.index(True)


async def test_the_lock_excludes_twenty_concurrent_tasks(store: StateStore) -> None:
    inside = 0
    most_inside = 0
    await store.set_json("counter", 0, ttl=60)

    async def bump() -> None:
        nonlocal inside, most_inside
        async with store.lock(KEY, timeout=5):
            inside += 1
            most_inside = max(most_inside, inside)
            current = await store.get_json("counter")
            assert isinstance(current, int)
            await asyncio.sleep(0.005)  # a load-step-save that yields in the middle
            await store.set_json("counter", current + 1, ttl=60)
            inside -= 1

    await asyncio.gather(*(bump() for _ in range(20)))
    assert most_inside == 1
    assert await store.get_json("counter") == 20


async def test_locks_on_different_keys_do_not_wait_for_each_other(store: StateStore) -> None:
    async with store.lock("a", timeout=5), asyncio.timeout(1), store.lock("b", timeout=5):
        pass


async def test_waiting_for_a_held_lock_times_out(store: StateStore) -> None:
    async with store.lock(KEY, timeout=5):
        with pytest.raises(TimeoutError):
            async with store.lock(KEY, timeout=SHORT):
                pytest.fail("acquired a lock somebody holds")
    async with asyncio.timeout(1), store.lock(KEY, timeout=SHORT):
        pass  # released: free again at once


async def test_a_lock_expires_after_its_timeout(store: StateStore) -> None:
    held_too_long = store.lock(KEY, timeout=SHORT)
    await held_too_long.__aenter__()
    async with asyncio.timeout(2), store.lock(KEY, timeout=5):
        # The overrunning holder's late release must not free the lock we now hold.
        await held_too_long.__aexit__(None, None, None)
        with pytest.raises(TimeoutError):
            async with store.lock(KEY, timeout=SHORT):
                pytest.fail("the stale release freed somebody else's lock")


async def test_seen_ids_are_remembered_for_their_ttl(store: StateStore) -> None:
    assert await store.mark_seen("seen:tg:1001", ttl=SHORT) is False
    assert await store.mark_seen("seen:tg:1001", ttl=SHORT) is True
    assert await store.mark_seen("seen:tg:1002", ttl=SHORT) is False
    await asyncio.sleep(SHORT + 0.1)
    assert await store.mark_seen("seen:tg:1001", ttl=SHORT) is False


async def test_counters_count_within_their_ttl(store: StateStore) -> None:
    assert [await store.incr("rate:+91", ttl=SHORT) for _ in range(3)] == [1, 2, 3]
    assert await store.incr("rate:other", ttl=60) == 1
    await asyncio.sleep(SHORT + 0.1)
    assert await store.incr("rate:+91", ttl=SHORT) == 1
    assert await store.incr("rate:other", ttl=60) == 2


async def test_a_counter_keeps_its_first_ttl(store: StateStore) -> None:
    await store.incr("rate:+91", ttl=0.4)
    await asyncio.sleep(0.25)
    assert await store.incr("rate:+91", ttl=0.4) == 2  # does not restart the window
    await asyncio.sleep(0.25)
    assert await store.incr("rate:+91", ttl=0.4) == 1


async def test_concurrent_increments_are_not_lost(store: StateStore) -> None:
    values = await asyncio.gather(*(store.incr("rate:+91", ttl=60) for _ in range(20)))
    assert sorted(values) == list(range(1, 21))


async def test_compare_and_set_writes_only_over_what_was_read(store: StateStore) -> None:
    first = {"n": 1, "since": "2026-01-01T00:00:00+00:00", "until": None}
    assert await store.compare_and_set("strikes:a", None, first, ttl=60) is True
    assert await store.compare_and_set("strikes:a", None, {"n": 9}, ttl=60) is False
    assert await store.compare_and_set("strikes:a", {"n": 0}, {"n": 9}, ttl=60) is False
    assert await store.get_json("strikes:a") == first
    read = await store.get_json("strikes:a")
    assert isinstance(read, dict)
    assert await store.compare_and_set("strikes:a", read, {**read, "n": 2}, ttl=SHORT) is True
    assert await store.get_json("strikes:a") == {**first, "n": 2}
    await asyncio.sleep(SHORT + 0.1)
    assert await store.compare_and_set("strikes:a", None, {"n": 1, "name": "आशा"}, ttl=60) is True
    assert await store.get_json("strikes:a") == {"n": 1, "name": "आशा"}


async def test_concurrent_compare_and_set_lets_exactly_one_win(store: StateStore) -> None:
    await store.set_json("strikes:b", {"n": 0}, ttl=60)
    wins = await asyncio.gather(
        *(store.compare_and_set("strikes:b", {"n": 0}, {"n": i}, ttl=60) for i in range(1, 21))
    )
    assert wins.count(True) == 1
    assert await store.get_json("strikes:b") == {"n": wins.index(True) + 1}


async def test_ping(store: StateStore) -> None:
    assert await store.ping() is True


@pytest.mark.redis
async def test_redis_keys_live_in_their_namespace(unused_tcp_port: int) -> None:
    if not REDIS_URL:
        pytest.skip("AROGYA_TEST_REDIS_URL not set")
    from core.state.redis import RedisStateStore

    one = RedisStateStore.from_url(REDIS_URL, namespace="contract-ns-one")
    two = RedisStateStore.from_url(REDIS_URL, namespace="contract-ns-two")
    try:
        await one.set_json(KEY, 1, ttl=60)
        await two.set_json(KEY, 2, ttl=60)
        assert await one.flush_namespace() == 1
        assert (await one.get_json(KEY), await two.get_json(KEY)) == (None, 2)
    finally:
        await one.flush_namespace()
        await two.flush_namespace()
        await one.close()
        await two.close()


async def test_an_unreachable_redis_is_unavailable_not_a_crash(unused_tcp_port: int) -> None:
    from core.state.redis import RedisStateStore

    down = RedisStateStore.from_url(f"redis://127.0.0.1:{unused_tcp_port}/0")
    try:
        assert await down.ping() is False
        with pytest.raises(Unavailable) as unavailable:
            await down.get_json(KEY)
        assert unavailable.value.code == "state.unavailable"
        with pytest.raises(Unavailable):
            async with down.lock(KEY, timeout=1):
                pytest.fail("locked on a server that is not there")
    finally:
        await down.close()
