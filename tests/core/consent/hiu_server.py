"""A HIU's callback endpoint on loopback (`testing.signed_receiver`), with the HIU's view of
what it received: the consent statuses it was told, in order."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from testing.signed_receiver import Delivery, SignedReceiver, serving


class HiuServer(SignedReceiver):
    @property
    def deliveries(self) -> list[Delivery]:
        return self.received

    def statuses(self) -> list[str]:
        return [_status(d.body) for d in self.received]

    def applied_statuses(self) -> list[str]:
        """The statuses the HIU acted on, each event once, in the order it first heard them."""
        return [_status(body) for body in self.applied.values()]


def _status(body: dict[str, Any]) -> str:
    return str(body["notification"]["status"])


@asynccontextmanager
async def hiu_server() -> AsyncIterator[HiuServer]:
    async with serving(HiuServer(), "/abdm/callback") as hiu:
        yield hiu
