"""A clock that moves only when code under test sleeps on it.

Why: pacing code waits seconds (Telegram's `retry_after` is at least one); on this clock the
waits cost nothing and the times the fake server records are exact, so a test asserts "the retry
arrived 3 s after the refusal" without waiting or tolerating jitter. It is exact for one task
at a time: concurrent sleepers each move time forward by their own delay.
"""

from __future__ import annotations

import asyncio


class VirtualClock:
    def __init__(self, start: float = 1_000.0) -> None:
        self.now = start
        #: Every delay slept, in order.
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += max(0.0, seconds)
        await asyncio.sleep(0)  # still a suspension point, as a real sleep is
