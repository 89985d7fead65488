"""Redis state: what lets N web processes share one conversation.

Why these primitives: every operation is one Redis command (or one Lua script), so it is atomic
without client-side transactions. Keys live under a namespace (`arogya:conv:ussd:+91...`) so
several deployments or test workers can share a server and `flush_namespace` can clean up only
its own. Values are JSON text, as in the memory adapter, so both pass one contract suite.

A lock is `SET lock:<key> <random token> NX PX <timeout>`: it expires by itself if its holder
dies, and release deletes it only if the token is still ours (a Lua compare-and-delete), so a
holder that overran its time cannot release a lock someone else now holds.

The client: redis-py wraps every command's send in `asyncio.wait_for` when the connection has a
`socket_timeout` (a new task per command: measurable on a hop of two round trips), and its
default pool fails with `MaxConnectionsError` past 100 connections (256 concurrent callers got
"try again"). So connections have no socket timeout; each store operation runs under
`asyncio.timeout` instead (a timer handle, no task; a cancelled read drops its connection), the
sockets keep TCP keepalive and a kernel `TCP_USER_TIMEOUT` for a peer that vanished, and the
pool is a `BlockingConnectionPool` sized by `AROGYA_REDIS_MAX_CONNECTIONS`, with a FIFO semaphore
of the same size in front: past it a hop waits its turn (up to `QUEUE_SECONDS`) rather than
failing.
"""

from __future__ import annotations

import asyncio
import json
import secrets
import socket
from collections.abc import AsyncIterator, Callable, Coroutine, Sequence
from contextlib import asynccontextmanager
from typing import Any, ParamSpec, Self, TypeVar

import redis.asyncio as redis_asyncio
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from core.errors import Unavailable
from core.state.holding import Holding

P = ParamSpec("P")
T = TypeVar("T")

_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
    return redis.call('DEL', KEYS[1])
end
return 0
"""
_INCR_WITH_TTL = """
local value = redis.call('INCR', KEYS[1])
if value == 1 then
    redis.call('PEXPIRE', KEYS[1], ARGV[1])
end
return value
"""
#: Compare-and-set on the JSON text: ARGV = expected ('' for "absent"), value, ttl ms.
_COMPARE_AND_SET = """
local current = redis.call('GET', KEYS[1])
if ARGV[1] == '' then
    if current then
        return 0
    end
elseif current ~= ARGV[1] then
    return 0
end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
return 1
"""
#: `hold`'s two round trips: take the lock and read the value in one call...
_LOCK_AND_GET = """
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
    return {1, redis.call('GET', KEYS[2])}
end
return {0}
"""
#: ...and, if the lock is still ours, write the staged values and release it in another.
#: KEYS = lock, key...; ARGV = token, then (value, ttl ms) for each key.
_WRITE_AND_UNLOCK = """
if redis.call('GET', KEYS[1]) ~= ARGV[1] then
    return 0
end
for i = 2, #KEYS do
    redis.call('SET', KEYS[i], ARGV[2 * i - 2], 'PX', ARGV[2 * i - 1])
end
redis.call('DEL', KEYS[1])
return 1
"""
#: Polling for a held lock: start short (locks are held for milliseconds), back off to this.
_LOCK_POLL_MAX = 0.02


def _ms(seconds: float) -> int:
    return max(1, round(seconds * 1000))


#: The longest one store operation may take once it has a connection...
OPERATION_SECONDS = 5.0
#: ...and the longest it may wait for one (its turn among this process's hops: local load, not
#: Redis failing, so a budget of its own).
QUEUE_SECONDS = 10.0


def _socket_options() -> dict[int, int]:
    """TCP keepalive probes after 10 s idle, and (Linux) a send unacknowledged for 5 s drops
    the connection: a Redis that vanished is noticed by the kernel, at no cost per command."""
    options: dict[int, int] = {}
    for name, value in (
        ("TCP_KEEPIDLE", 10),
        ("TCP_KEEPINTVL", 5),
        ("TCP_KEEPCNT", 3),
        ("TCP_USER_TIMEOUT", round(OPERATION_SECONDS * 1000)),
    ):
        if hasattr(socket, name):
            options[getattr(socket, name)] = value
    return options


def _unavailable(
    method: Callable[P, Coroutine[Any, Any, T]],
) -> Callable[P, Coroutine[Any, Any, T]]:
    """Turn "Redis is down" (or too slow: `OPERATION_SECONDS`) into `state.unavailable`, which
    a flow answers with "try again"."""

    async def guarded(*args: P.args, **kwargs: P.kwargs) -> T:
        store = args[0]
        assert isinstance(store, RedisStateStore)
        acquired = False  # set in the same step as the acquire returns: never leaked
        try:
            async with asyncio.timeout(QUEUE_SECONDS):
                await store.slots.acquire()
                acquired = True
            async with asyncio.timeout(OPERATION_SECONDS):
                return await method(*args, **kwargs)
        except (RedisConnectionError, RedisTimeoutError, ConnectionError, TimeoutError) as exc:
            raise Unavailable("state.unavailable") from exc
        finally:
            if acquired:
                store.slots.release()

    guarded.__name__ = method.__name__
    guarded.__doc__ = method.__doc__
    return guarded


class RedisStateStore:
    def __init__(
        self, client: redis_asyncio.Redis, *, namespace: str = "arogya", max_connections: int = 64
    ) -> None:
        self._redis = client
        self._namespace = namespace
        #: Operations in flight, at most one per pooled connection, served first come first
        #: served: the pool itself lets a newcomer take a freed connection before a hop that
        #: has been waiting (measured: with 256 sessions on 8 connections some hops waited
        #: past the time limit), the semaphore does not (asyncio's is FIFO).
        self.slots = asyncio.Semaphore(max_connections)
        self._release = client.register_script(_RELEASE)
        self._incr = client.register_script(_INCR_WITH_TTL)
        self._cas = client.register_script(_COMPARE_AND_SET)
        self._lock_and_get = client.register_script(_LOCK_AND_GET)
        self._write_and_unlock = client.register_script(_WRITE_AND_UNLOCK)

    @classmethod
    def from_url(cls, url: str, *, namespace: str = "arogya", max_connections: int = 64) -> Self:
        """A client whose commands spawn no task and whose pool waits instead of failing."""
        pool = redis_asyncio.BlockingConnectionPool.from_url(
            url,
            max_connections=max_connections,
            timeout=OPERATION_SECONDS,  # rarely waited on: the slots keep one free
            decode_responses=True,
            socket_connect_timeout=OPERATION_SECONDS,
            socket_timeout=None,
            socket_keepalive=True,
            socket_keepalive_options=_socket_options(),
        )
        return cls(
            redis_asyncio.Redis.from_pool(pool),  # closes the pool
            namespace=namespace,
            max_connections=max_connections,
        )

    def _key(self, key: str) -> str:
        return f"{self._namespace}:{key}"

    @_unavailable
    async def get_json(self, key: str) -> Any | None:
        raw = await self._redis.get(self._key(key))
        return None if raw is None else json.loads(raw)

    @_unavailable
    async def set_json(self, key: str, value: Any, ttl: float) -> None:
        await self._redis.set(self._key(key), json.dumps(value, ensure_ascii=False), px=_ms(ttl))

    @_unavailable
    async def get_many_json(self, keys: Sequence[str]) -> list[Any | None]:
        if not keys:
            return []
        raws = await self._redis.mget([self._key(key) for key in keys])
        return [None if raw is None else json.loads(raw) for raw in raws]

    @_unavailable
    async def set_many_json(self, items: Sequence[tuple[str, Any, float]]) -> None:
        if not items:
            return
        async with self._redis.pipeline(transaction=False) as pipe:
            for key, value, ttl in items:
                pipe.set(self._key(key), json.dumps(value, ensure_ascii=False), px=_ms(ttl))
            await pipe.execute()

    @_unavailable
    async def set_json_if_absent(self, key: str, value: Any, ttl: float) -> bool:
        raw = json.dumps(value, ensure_ascii=False)
        return bool(await self._redis.set(self._key(key), raw, px=_ms(ttl), nx=True))

    @_unavailable
    async def compare_and_set(self, key: str, expected: Any | None, value: Any, ttl: float) -> bool:
        """One Lua call; JSON text never is '', so '' stands for "expected absent"."""
        wanted = "" if expected is None else json.dumps(expected, ensure_ascii=False)
        raw = json.dumps(value, ensure_ascii=False)
        return bool(await self._cas(keys=[self._key(key)], args=[wanted, raw, _ms(ttl)]))

    @_unavailable
    async def delete(self, key: str) -> None:
        await self._redis.delete(self._key(key))

    @asynccontextmanager
    async def lock(
        self,
        key: str,
        *,
        timeout: float = 10.0,  # noqa: ASYNC109 - the StateStore protocol's name (wait + lease)
    ) -> AsyncIterator[None]:
        """Wait up to `timeout` for the lock (else TimeoutError); it expires after `timeout`."""
        name = self._key(f"lock:{key}")
        token = secrets.token_hex(16)
        await self._acquire(name, token, timeout)
        try:
            yield
        finally:
            await self._release_lock(name, token)

    @asynccontextmanager
    async def hold(
        self,
        key: str,
        *,
        timeout: float,  # noqa: ASYNC109 - the lock's wait and lease, as in lock()
    ) -> AsyncIterator[Holding]:
        """`core.state.holding.hold` in two round trips (see there); the writes happen only if
        the lock is still ours, else `TimeoutError` (its lease ran out: another holder may have
        moved the conversation on, and overwriting that would lose a turn)."""
        name = self._key(f"lock:{key}")
        token = secrets.token_hex(16)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        pause = 0.002
        while True:
            got = await self._try_lock_and_get(name, token, timeout, self._key(key))
            if got is not None:
                break
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise TimeoutError(f"lock {name!r} not acquired within {timeout} s")
            await asyncio.sleep(min(pause, remaining))
            pause = min(pause * 2, _LOCK_POLL_MAX)
        held = Holding(None if got[0] is None else json.loads(got[0]))
        try:
            yield held
        except BaseException:
            await self._release_lock(name, token)
            raise
        if not await self._write_and_release(name, token, held.writes):
            raise TimeoutError(f"lock {name!r} lapsed before its holder finished")

    @_unavailable
    async def _try_lock_and_get(
        self, name: str, token: str, lease: float, key: str
    ) -> tuple[str | None] | None:
        """`(raw value or None,)` when the lock was taken, None when somebody holds it."""
        reply = await self._lock_and_get(keys=[name, key], args=[token, _ms(lease)])
        if not reply or int(reply[0]) != 1:
            return None
        return (reply[1] if len(reply) > 1 else None,)

    @_unavailable
    async def _write_and_release(
        self, name: str, token: str, writes: list[tuple[str, Any, float]]
    ) -> bool:
        keys = [name]
        args: list[str | int] = [token]
        for key, value, ttl in writes:
            keys.append(self._key(key))
            args += [json.dumps(value, ensure_ascii=False), _ms(ttl)]
        return bool(await self._write_and_unlock(keys=keys, args=args))

    async def _acquire(self, name: str, token: str, lease: float) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + lease
        pause = 0.002
        while not await self._try_lock(name, token, lease):
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise TimeoutError(f"lock {name!r} not acquired within {lease} s")
            await asyncio.sleep(min(pause, remaining))
            pause = min(pause * 2, _LOCK_POLL_MAX)

    @_unavailable
    async def _try_lock(self, name: str, token: str, lease: float) -> bool:
        return bool(await self._redis.set(name, token, px=_ms(lease), nx=True))

    @_unavailable
    async def _release_lock(self, name: str, token: str) -> None:
        await self._release(keys=[name], args=[token])

    @_unavailable
    async def mark_seen(self, key: str, ttl: float) -> bool:
        stored = await self._redis.set(self._key(key), "1", px=_ms(ttl), nx=True)
        return not stored

    @_unavailable
    async def incr(self, key: str, ttl: float) -> int:
        return int(await self._incr(keys=[self._key(key)], args=[_ms(ttl)]))

    async def ping(self) -> bool:
        """For /healthz: False rather than an exception when Redis is unreachable."""
        try:
            async with asyncio.timeout(OPERATION_SECONDS):
                return bool(await self._redis.ping())
        except (RedisConnectionError, RedisTimeoutError, ConnectionError, TimeoutError):
            return False

    async def close(self) -> None:
        await self._redis.aclose()

    @_unavailable
    async def flush_namespace(self) -> int:
        """Delete every key of this namespace (tests); returns how many went."""
        removed = 0
        batch: list[str] = []
        async for name in self._redis.scan_iter(match=f"{self._namespace}:*", count=500):
            batch.append(name)
            if len(batch) >= 500:
                removed += await self._redis.unlink(*batch)
                batch.clear()
        if batch:
            removed += await self._redis.unlink(*batch)
        return removed
