"""Hand-written fakes for what a test cannot otherwise make fail on demand."""

from __future__ import annotations

from collections.abc import Sequence

from core.errors import Unavailable


class DownStore:
    """A state store whose server is unreachable: every call fails as Redis's adapter does."""

    def __init__(self) -> None:
        self.error = Unavailable("state.unavailable")

    async def get_json(self, key: str) -> None:
        raise self.error

    async def set_json(self, key: str, value: object, ttl: float) -> None:
        raise self.error

    async def get_many_json(self, keys: Sequence[str]) -> list[object]:
        raise self.error

    async def set_many_json(self, items: Sequence[tuple[str, object, float]]) -> None:
        raise self.error

    async def set_json_if_absent(self, key: str, value: object, ttl: float) -> bool:
        raise self.error

    async def compare_and_set(self, key: str, expected: object, value: object, ttl: float) -> bool:
        raise self.error

    async def delete(self, key: str) -> None:
        raise self.error

    def lock(self, key: str, *, timeout: float = 10.0) -> DownStore:
        return self

    async def __aenter__(self) -> None:
        raise self.error

    async def __aexit__(self, *exc: object) -> None:
        return None

    async def mark_seen(self, key: str, ttl: float) -> bool:
        raise self.error

    async def incr(self, key: str, ttl: float) -> int:
        raise self.error

    async def ping(self) -> bool:
        return False

    async def close(self) -> None:
        return None
