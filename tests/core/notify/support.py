"""Outbox test support: a hand-written deliverer that fails on cue and records what it
carried, and a one-line way to queue a notice.

Why a fake here: these tests are about the outbox (claiming, retrying, never twice), and the
`Deliverer` port is exactly the seam a channel plugs into; the real channels are tested against
the real outbox in tests/bot/test_notify_deliverer.py and tests/core/notify/test_sms_deliverer.py.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from core.notify.ports import Notice
from core.notify.service import Notifier

CHAT = "4242"
MOBILE = "+919876543210"


@dataclass
class RecordingDeliverer:
    #: Raised, in order, by the next calls; once empty, calls succeed.
    failures: list[Exception] = field(default_factory=list)
    delivered: list[Notice] = field(default_factory=list)
    calls: int = 0
    #: When set, each call waits for it (a send that hangs, or a worker that dies mid-send).
    hold: asyncio.Event | None = None
    entered: asyncio.Event = field(default_factory=asyncio.Event)

    async def deliver(self, notice: Notice) -> None:
        self.calls += 1
        self.entered.set()
        await asyncio.sleep(0)  # let racing workers interleave, as a network call would
        if self.hold is not None:
            await self.hold.wait()
        if self.failures:
            raise self.failures.pop(0)
        self.delivered.append(notice)

    @property
    def ids(self) -> list[str]:
        return [notice.id for notice in self.delivered]


async def queue(
    notifier: Notifier, name: str = "Asha", *, address: str = CHAT, dedupe_key: str | None = None
) -> str:
    """Queue the test notice (`notify.test`) for `address` on Telegram."""
    return await notifier.notify(
        "telegram", address, "notify.test", {"name": name}, "en", dedupe_key=dedupe_key
    )
