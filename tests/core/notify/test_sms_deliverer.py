"""Notices by SMS: the notifier hands them to the real SMS outbox (LogGateway behind it)."""

from __future__ import annotations

import random

import pytest

from core.clock import FrozenClock
from core.notify.models import Channel, NotificationStatus
from core.notify.service import Notifier
from core.notify.sms import SmsDeliverer
from core.settings import Settings
from core.sms.gateways import LogGateway
from core.sms.outbox import SmsService

MOBILE = "+919876543210"


@pytest.fixture
def gateway() -> LogGateway:
    return LogGateway()


@pytest.fixture
def notifier(
    db: str, settings: Settings, clock: FrozenClock, rng: random.Random, gateway: LogGateway
) -> Notifier:
    notifier = Notifier(clock, rng)
    notifier.register(Channel.SMS, SmsDeliverer(SmsService(settings, clock, gateway, rng)))
    return notifier


async def test_an_sms_notice_reaches_the_gateway_in_the_persons_language(
    notifier: Notifier, gateway: LogGateway
) -> None:
    params = {"name": "आशा", "abha_number": "91-1234-5678-9012"}
    notice_id = await notifier.notify("sms", MOBILE, "sms.welcome", params, "hi")

    assert await notifier.deliver_due() == 1

    [delivery] = gateway.delivered_to(MOBILE)
    assert "आशा" in delivery.text
    assert "91-1234-5678-9012" in delivery.text
    assert (await notifier.get(notice_id)).status == NotificationStatus.SENT


async def test_a_key_without_a_dlt_template_fails_for_good(
    notifier: Notifier, gateway: LogGateway, clock: FrozenClock
) -> None:
    """An operator in India drops an SMS without a registered template: never retry it."""
    notice_id = await notifier.notify("sms", MOBILE, "notify.test", {"name": "Asha"}, "en")

    await notifier.deliver_due()
    clock.advance(hours=1)
    await notifier.deliver_due()

    row = await notifier.get(notice_id)
    assert (row.status, row.attempts) == (NotificationStatus.FAILED, 1)
    assert row.last_error is not None
    assert row.last_error.startswith("MissingTemplate")
    assert gateway.delivered_to(MOBILE) == []
