"""Time and randomness as injectable seams.

Why: OTP expiry, lockouts and resume windows are rules about time, and a conversation must replay
byte-for-byte in a golden test. Production uses the system clock and `secrets`; tests freeze both.
"""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """An aware UTC datetime."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


@dataclass
class FrozenClock:
    """A clock that moves only when told to."""

    current: datetime = field(default_factory=lambda: datetime(2026, 1, 15, 9, 30, tzinfo=UTC))

    def now(self) -> datetime:
        return self.current

    def advance(self, seconds: float = 0, **kwargs: float) -> None:
        self.current += timedelta(seconds=seconds, **kwargs)


def system_random() -> random.Random:
    """A CSPRNG behind the `random.Random` interface, so it can be swapped for a seeded one."""
    return secrets.SystemRandom()
