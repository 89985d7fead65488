"""The outbox row is written once, with the inline attempt's outcome (issue 18), and a send
whose attempt ends without the gateway's answer is still kept for a worker to retry."""

from __future__ import annotations

import asyncio
import random

import pytest

from core.clock import FrozenClock
from core.settings import Settings
from core.sms.gateways import LogGateway
from core.sms.models import SmsOutbox, SmsStatus
from core.sms.outbox import CLAIM_LEASE_SECONDS, SmsService
from testing.statements import StatementCounter
from tests.core.fakes import FlakyGateway

TO = "+919876543210"
WELCOME = {"name": "Asha", "abha_number": "x"}


async def test_a_sent_sms_is_one_insert_born_sent(
    db: str, settings: Settings, clock: FrozenClock, rng: random.Random
) -> None:
    sms = SmsService(settings, clock, LogGateway(), rng)
    with StatementCounter() as counter:
        outbox_id = await sms.send(TO, "sms.welcome", WELCOME, "en")
    assert dict(counter.counts) == {"INSERT": 1}
    row = await SmsOutbox.get(id=outbox_id)
    assert (row.status, row.attempts, row.sent_at) == (SmsStatus.SENT, 1, clock.now())


async def test_a_refused_sms_is_one_insert_born_pending_with_its_retry(
    db: str, settings: Settings, clock: FrozenClock, rng: random.Random
) -> None:
    sms = SmsService(settings, clock, FlakyGateway(failures=1), rng)
    with StatementCounter() as counter:
        outbox_id = await sms.send(TO, "sms.welcome", WELCOME, "en")
    assert dict(counter.counts) == {"INSERT": 1}
    row = await SmsOutbox.get(id=outbox_id)
    assert (row.status, row.last_error) == (SmsStatus.PENDING, "http 503")


class BrokenGateway:
    """Ends its call with something other than an answer (a bug, a cancelled hop)."""

    def __init__(self, error: BaseException) -> None:
        self.error = error
        self.calls = 0

    async def deliver(self, message_id: str, to: str, text: str, template_id: str) -> None:
        self.calls += 1
        if self.calls == 1:
            raise self.error


@pytest.mark.parametrize("error", [RuntimeError("bug"), asyncio.CancelledError()])
async def test_an_unanswered_attempt_keeps_the_row_for_a_worker_after_the_lease(
    db: str,
    settings: Settings,
    clock: FrozenClock,
    rng: random.Random,
    error: BaseException,
) -> None:
    gateway = BrokenGateway(error)
    sms = SmsService(settings, clock, gateway, rng)
    with pytest.raises(type(error)):
        await sms.send(TO, "sms.welcome", WELCOME, "en")
    [row] = await SmsOutbox.filter(to=TO)
    assert (row.status, row.attempts) == (SmsStatus.PENDING, 1)
    assert await sms.deliver_due() == 0  # claimed by the attempt until its lease ends
    clock.advance(CLAIM_LEASE_SECONDS)
    assert await sms.deliver_due() == 1
    assert gateway.calls == 2
    row = await SmsOutbox.get(id=row.id)
    assert row.status is SmsStatus.SENT
