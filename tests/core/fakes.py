"""Hand-written SMS gateways for the outbox tests: one that fails on cue, one that records."""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass, field

from core.sms.gateways import Delivery, GatewayError, LogGateway


@dataclass
class FlakyGateway:
    """Refuses the first `failures` calls (as a gateway outage would), then accepts."""

    failures: int = 0
    permanent: bool = False
    calls: int = 0
    accepted: list[Delivery] = field(default_factory=list)

    async def deliver(self, message_id: str, to: str, text: str, template_id: str) -> None:
        self.calls += 1
        await asyncio.sleep(0)  # let racing workers interleave, as a network call would
        if self.calls <= self.failures:
            raise GatewayError("http 503", permanent=self.permanent)
        self.accepted.append(Delivery(message_id, to, text, template_id))


OTP_IN_TEXT = re.compile(r"\b(\d{6})\b")


def last_code(gateway: LogGateway, to: str) -> str:
    """The OTP in the newest SMS to `to`, read the way the person reads it."""
    match = OTP_IN_TEXT.search(gateway.delivered_to(to)[-1].text)
    assert match, "the newest SMS carries no six-digit code"
    return match.group(1)
