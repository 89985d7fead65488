"""A state store that can be made unreachable on cue, for the outage tests."""

from __future__ import annotations

from typing import Any

from core.errors import Unavailable
from core.state import StateStore


class FlakyStore:
    """The real store, unreachable while `down` is set (failing as Redis's adapter does)."""

    def __init__(self, store: StateStore) -> None:
        self.store = store
        self.down = False

    def __getattr__(self, name: str) -> Any:
        if self.down and name not in ("close", "ping"):
            raise Unavailable("state.unavailable")
        return getattr(self.store, name)
