"""The saved state of one conversation: small JSON under `conv:<channel>:<subject>`.

Why so little: the state store holds one of these per person talking to us, N web processes
read and write it on every hop, and the target is under 1 KB. So it keeps only where the
person is (flow, step, mode), what the flow has gathered (`data`), the way back (`history`,
bounded) and a few timestamps. Replies are not kept: a step can always ask again from `data`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

#: How many steps "back" can retrace.
HISTORY_DEPTH = 6
#: Engine-owned questions asked instead of the step's own (see `flows.modes`).
MODES = frozenset({"resume", "rescue", "language"})


@dataclass
class Conversation:
    flow: str
    step: str
    lang: str
    id: str
    started: int
    updated: int
    data: dict[str, Any] = field(default_factory=dict)
    #: Counted mistakes at this step; reset when the step changes.
    attempts: int = 0
    #: (flow, step) pairs that led here, oldest first, at most HISTORY_DEPTH.
    history: list[tuple[str, str]] = field(default_factory=list)
    #: An engine question pending instead of the step's: "resume", "rescue" or "language".
    mode: str | None = None
    #: Nothing has been asked yet (a new or an ended conversation): the next input starts it.
    idle: bool = True
    opted_out: bool = False
    #: The USSD session this conversation was last seen in.
    session: str | None = None

    def move(self, flow: str, step: str, *, remember: bool = True) -> None:
        """Go to (flow, step), keeping the way back; data is flow-local."""
        if (flow, step) == (self.flow, self.step):
            return
        if remember:
            self.history = [*self.history, (self.flow, self.step)][-HISTORY_DEPTH:]
        if flow != self.flow:
            self.data = {}
        self.flow, self.step = flow, step
        self.attempts = 0
        self.mode = None

    def reset(self, flow: str, step: str) -> None:
        """Back to the main menu with nothing remembered."""
        self.flow, self.step = flow, step
        self.data = {}
        self.history = []
        self.attempts = 0
        self.mode = None
        self.idle = False

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "v": 1,
            "id": self.id,
            "flow": self.flow,
            "step": self.step,
            "lang": self.lang,
            "started": self.started,
            "updated": self.updated,
        }
        optional: dict[str, Any] = {
            "data": self.data,
            "attempts": self.attempts,
            "history": [f"{flow}.{step}" for flow, step in self.history],
            "mode": self.mode,
            "idle": self.idle,
            "opted_out": self.opted_out,
            "session": self.session,
        }
        out.update({name: value for name, value in optional.items() if value})
        return out

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> Conversation:
        mode = raw.get("mode")
        return cls(
            flow=str(raw["flow"]),
            step=str(raw["step"]),
            lang=str(raw["lang"]),
            id=str(raw["id"]),
            started=int(raw["started"]),
            updated=int(raw["updated"]),
            data=dict(raw.get("data", {})),
            attempts=int(raw.get("attempts", 0)),
            history=[_pair(entry) for entry in raw.get("history", [])],
            mode=mode if mode in MODES else None,
            idle=bool(raw.get("idle", False)),
            opted_out=bool(raw.get("opted_out", False)),
            session=raw.get("session"),
        )


def _pair(entry: Any) -> tuple[str, str]:
    """A history entry: `"flow.step"` (or the older `[flow, step]` pair, still read)."""
    if isinstance(entry, str):
        flow, _, step = entry.partition(".")
        return flow, step
    return str(entry[0]), str(entry[1])
