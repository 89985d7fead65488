"""In-process state: the embedded default, for one process (and for tests)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any


@dataclass(eq=False)
class _Hold:
    """One holder of a lock: when it lapses, and an event its waiters wake on at release."""

    expires: float
    released: asyncio.Event = field(default_factory=asyncio.Event)


class MemoryStateStore:
    """A dict with expiry. Values are stored as JSON text so both adapters behave the same."""

    def __init__(self, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._monotonic = monotonic
        self._values: dict[str, tuple[float, str]] = {}
        self._locks: dict[str, _Hold] = {}

    def _live(self, key: str) -> str | None:
        item = self._values.get(key)
        if item is None:
            return None
        expires, raw = item
        if expires <= self._monotonic():
            del self._values[key]
            return None
        return raw

    def _put(self, key: str, raw: str, ttl: float) -> None:
        self._values[key] = (self._monotonic() + ttl, raw)
        if len(self._values) > 10_000 and len(self._values) % 1000 == 0:
            self._sweep()

    def _sweep(self) -> None:
        now = self._monotonic()
        for key in [k for k, (exp, _) in self._values.items() if exp <= now]:
            del self._values[key]

    async def get_json(self, key: str) -> Any | None:
        raw = self._live(key)
        return None if raw is None else json.loads(raw)

    async def set_json(self, key: str, value: Any, ttl: float) -> None:
        self._put(key, json.dumps(value, ensure_ascii=False), ttl)

    async def get_many_json(self, keys: Sequence[str]) -> list[Any | None]:
        return [await self.get_json(key) for key in keys]

    async def set_many_json(self, items: Sequence[tuple[str, Any, float]]) -> None:
        for key, value, ttl in items:
            self._put(key, json.dumps(value, ensure_ascii=False), ttl)

    async def set_json_if_absent(self, key: str, value: Any, ttl: float) -> bool:
        if self._live(key) is not None:
            return False
        self._put(key, json.dumps(value, ensure_ascii=False), ttl)
        return True

    async def compare_and_set(self, key: str, expected: Any | None, value: Any, ttl: float) -> bool:
        # No await between the read and the write: atomic within the one event loop.
        raw = self._live(key)
        wanted = None if expected is None else json.dumps(expected, ensure_ascii=False)
        if raw != wanted:
            return False
        self._put(key, json.dumps(value, ensure_ascii=False), ttl)
        return True

    async def delete(self, key: str) -> None:
        self._values.pop(key, None)

    @asynccontextmanager
    async def lock(
        self,
        key: str,
        *,
        timeout: float = 10.0,  # noqa: ASYNC109 - the StateStore protocol's name (wait + lease)
    ) -> AsyncIterator[None]:
        """Wait up to `timeout` for the lock (else TimeoutError); it expires after `timeout`.

        The expiry matches Redis: a holder that hangs past its lease loses the lock, and its
        late release does not free a lock somebody else now holds.
        """
        mine = _Hold(self._monotonic() + timeout)
        deadline = self._monotonic() + timeout
        while True:
            held = self._locks.get(key)
            now = self._monotonic()
            if held is None or held.expires <= now:
                mine.expires = now + timeout
                self._locks[key] = mine
                break
            if now >= deadline:
                raise TimeoutError(f"lock {key!r} not acquired within {timeout} s")
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(min(deadline, held.expires) - now):
                    await held.released.wait()
        try:
            yield
        finally:
            if self._locks.get(key) is mine:
                del self._locks[key]
            mine.released.set()

    async def mark_seen(self, key: str, ttl: float) -> bool:
        if self._live(key) is not None:
            return True
        self._put(key, "1", ttl)
        return False

    async def incr(self, key: str, ttl: float) -> int:
        raw = self._live(key)
        if raw is None:
            self._put(key, "1", ttl)
            return 1
        expires, _ = self._values[key]
        value = int(raw) + 1
        self._values[key] = (expires, str(value))
        return value

    async def ping(self) -> bool:
        return True

    async def close(self) -> None:
        self._values.clear()
