"""Driving "Consents" over the real USSD and SMS endpoints by what the person reads.

A person picks "Consents" by its words, not its number: other flows add their own lines to
the main menu, and a Hindi menu runs over two USSD pages ("98" for more). After every hop the
conversation's stored state is held under 1 KB (docs/design.md §3).
"""

from __future__ import annotations

import json
import re

from core.state import StateStore
from testing.golden import STATE_BUDGET_BYTES
from tests.webhooks.journey_phones import PHONE, JourneySmsPhone, JourneyUssdPhone


class ConsentPhone:
    def __init__(
        self, phone: JourneyUssdPhone | JourneySmsPhone, state: StateStore, channel: str
    ) -> None:
        self.phone = phone
        self.state = state
        self.key = f"conv:{channel}:{PHONE}"
        self.seen: list[str] = []

    async def _weighed(self, shown: list[str]) -> list[str]:
        raw = await self.state.get_json(self.key)
        assert len(json.dumps(raw, ensure_ascii=False).encode()) < STATE_BUDGET_BYTES
        self.seen = shown
        return shown

    async def dial(self) -> list[str]:
        return await self._weighed(await self.phone.dial())

    async def send(self, text: str) -> list[str]:
        return await self._weighed(await self.phone.send(text))

    @property
    def screen(self) -> str:
        """What the phone shows now (the reply's pages read so far, and any SMS), one text."""
        return "\n".join(re.sub(r"^(CON|END) ", "", shown) for shown in self.seen)

    async def more(self) -> None:
        """Page on ("98"), keeping the pages already read on the screen."""
        earlier = self.seen
        await self.send("98")
        self.seen = [*earlier, *self.seen]

    async def choose(self, label: str) -> list[str]:
        """Send the number of the line that reads `label`, paging on ("98") to find it."""
        for _ in range(6):
            found = re.search(rf"^(\d+)\. {re.escape(label)}$", self.screen, re.MULTILINE)
            if found:
                return await self.send(found.group(1))
            if not re.search(r"^98\. ", self.seen[-1] if self.seen else "", re.MULTILINE):
                break
            await self.more()
        raise AssertionError(f"no line {label!r} on:\n{self.screen}")

    async def read_all(self) -> str:
        """Every page of the reply showing (paging on), as one text with single spaces."""
        while self.seen and re.search(r"^98\. ", self.seen[-1], re.MULTILINE):
            await self.more()
        return " ".join(self.screen.split())
