"""The state store port: where conversations, locks, delivery ids and rate counters live.

Why a port: embedded Arogya keeps this in the process; a deployment of N web processes shares it
in Redis so that any process can take the next USSD hop. Both adapters pass one contract suite
(tests/core/state/test_state_contract.py).

Keys are built by `StateKey`, like aiogram's StorageKey, so they are greppable in Redis:
`conv:ussd:+919876543210`.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from typing import Any, Protocol


@dataclass(frozen=True, slots=True)
class StateKey:
    """A namespaced key: `kind:channel:subject`."""

    kind: str
    channel: str
    subject: str

    def __str__(self) -> str:
        return f"{self.kind}:{self.channel}:{self.subject}"


class StateStore(Protocol):
    """JSON values with TTL (and compare-and-set), per-key locks, seen-delivery ids and counters."""

    async def get_json(self, key: str) -> Any | None:
        """The stored value, or None when absent or expired."""
        ...

    async def set_json(self, key: str, value: Any, ttl: float) -> None: ...

    async def get_many_json(self, keys: Sequence[str]) -> list[Any | None]:
        """`get_json` of each key, in order, in one round trip (Redis `MGET`): a hop that reads
        ten keys pays one command's overhead, not ten."""
        ...

    async def set_many_json(self, items: Sequence[tuple[str, Any, float]]) -> None:
        """`set_json` of each (key, value, ttl) in one round trip (a Redis pipeline). Not one
        transaction: each key is written whole, but a reader may see some before the rest."""
        ...

    async def set_json_if_absent(self, key: str, value: Any, ttl: float) -> bool:
        """Store only if nothing is there; True when this call stored it."""
        ...

    async def compare_and_set(self, key: str, expected: Any | None, value: Any, ttl: float) -> bool:
        """Store `value` only if the key still holds `expected` (None: only if absent); True when
        this call stored it. The one primitive a read-decide-write rule needs to stay atomic
        across processes (lockout counters: `core.state.strikes`)."""
        ...

    async def delete(self, key: str) -> None: ...

    def lock(self, key: str, *, timeout: float = 10.0) -> AbstractAsyncContextManager[None]:
        """An exclusive lock on `key`, held at most `timeout` seconds (then it expires)."""
        ...

    async def mark_seen(self, key: str, ttl: float) -> bool:
        """Record a delivery id; True if it had already been seen (a duplicate)."""
        ...

    async def incr(self, key: str, ttl: float) -> int:
        """Increment a counter, starting its TTL on first use; returns the new value."""
        ...

    async def ping(self) -> bool: ...

    async def close(self) -> None: ...
