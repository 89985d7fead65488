"""The outbox: written first, retried with backoff, claimed so no message goes out twice."""

from __future__ import annotations

import asyncio
import logging
import random

import pytest

from core.clock import FrozenClock
from core.settings import Settings
from core.sms.encoding import Encoding
from core.sms.gateways import LogGateway
from core.sms.models import SmsOutbox, SmsStatus
from core.sms.outbox import MAX_ATTEMPTS, SmsService
from core.sms.templates import TEMPLATES, MissingTemplate
from tests.conftest import make_settings
from tests.core.fakes import FlakyGateway

TO = "+919876543210"
CARD = {"name": "Asha Devi", "abha_number": "91-5032-7845-2167", "address": "asha.devi@sbx"}


async def test_a_working_gateway_sends_inline(sms: SmsService, log_gateway: LogGateway) -> None:
    outbox_id = await sms.send(TO, "sms.card_details", CARD, "en")

    [row] = await sms.sent_to(TO)
    assert (row.id, row.status, row.attempts) == (outbox_id, SmsStatus.SENT, 1)
    assert row.sent_at is not None
    assert row.template_id == TEMPLATES["sms.card_details"].default_id
    assert (row.encoding, row.segments) == (Encoding.GSM7, 1)
    assert "asha.devi@sbx" in row.text
    [delivery] = log_gateway.deliveries
    assert (delivery.message_id, delivery.to, delivery.text) == (outbox_id, TO, row.text)


async def test_a_failing_gateway_leaves_a_pending_row_delivered_later_exactly_once(
    db: str, settings: Settings, clock: FrozenClock, rng: random.Random
) -> None:
    gateway = FlakyGateway(failures=1)
    sms = SmsService(settings, clock, gateway, rng)

    outbox_id = await sms.send(TO, "sms.welcome", {"name": "Asha", "abha_number": "x"}, "hi")

    row = await SmsOutbox.get(id=outbox_id)
    assert (row.status, row.attempts, row.last_error) == (SmsStatus.PENDING, 1, "http 503")
    assert row.next_attempt_at > clock.now()
    assert await sms.deliver_due() == 0  # not due yet
    clock.advance(settings.sms_retry_max_seconds)
    assert await sms.deliver_due() == 1
    clock.advance(settings.sms_retry_max_seconds)
    assert await sms.deliver_due() == 0
    assert [d.message_id for d in gateway.accepted] == [outbox_id]
    row = await SmsOutbox.get(id=outbox_id)
    assert (row.status, row.attempts, row.last_error) == (SmsStatus.SENT, 2, None)


async def test_the_retry_waits_within_the_backoff_window(
    db: str, settings: Settings, clock: FrozenClock, rng: random.Random
) -> None:
    sms = SmsService(settings, clock, FlakyGateway(failures=1), rng)
    outbox_id = await sms.send(TO, "sms.otp", {"otp": "000000", "minutes": 10}, "en")
    row = await SmsOutbox.get(id=outbox_id)
    wait = (row.next_attempt_at - clock.now()).total_seconds()
    base = settings.sms_retry_base_seconds
    assert base / 2 <= wait <= base


@pytest.mark.parametrize("attempts", [1, 2, 5, 12, 40])
def test_backoff_doubles_to_the_cap_with_jitter(
    attempts: int, settings: Settings, clock: FrozenClock, rng: random.Random
) -> None:
    sms = SmsService(settings, clock, FlakyGateway(), rng)
    nominal = min(
        settings.sms_retry_max_seconds, settings.sms_retry_base_seconds * 2 ** (attempts - 1)
    )
    delays = {sms.backoff(attempts) for _ in range(50)}
    assert all(nominal / 2 <= d <= nominal for d in delays)
    assert len(delays) > 1  # jittered, not lock-step


async def test_two_workers_never_send_one_message_twice(
    db: str, settings: Settings, clock: FrozenClock
) -> None:
    gateway = FlakyGateway(failures=10)  # every inline attempt fails: ten rows queue up
    first = SmsService(settings, clock, gateway, random.Random(1))
    second = SmsService(settings, clock, gateway, random.Random(2))
    ids = {
        await first.send(TO, "sms.otp", {"otp": f"{i:06d}", "minutes": 10}, "en") for i in range(10)
    }
    clock.advance(settings.sms_retry_max_seconds)

    sent = await asyncio.gather(first.deliver_due(), second.deliver_due(), first.deliver_due())

    assert sum(sent) == 10
    assert sorted(d.message_id for d in gateway.accepted) == sorted(ids)


async def test_a_message_is_dead_after_max_attempts(
    db: str, settings: Settings, clock: FrozenClock, rng: random.Random
) -> None:
    gateway = FlakyGateway(failures=10_000)
    sms = SmsService(settings, clock, gateway, rng)
    outbox_id = await sms.send(TO, "sms.otp", {"otp": "123456", "minutes": 10}, "en")
    for _ in range(MAX_ATTEMPTS + 3):
        clock.advance(settings.sms_retry_max_seconds)
        await sms.deliver_due()

    row = await SmsOutbox.get(id=outbox_id)
    assert (row.status, row.attempts, gateway.calls) == (SmsStatus.FAILED, MAX_ATTEMPTS, 8)


async def test_a_permanent_refusal_is_not_retried(
    db: str, settings: Settings, clock: FrozenClock, rng: random.Random
) -> None:
    gateway = FlakyGateway(failures=1, permanent=True)
    sms = SmsService(settings, clock, gateway, rng)
    outbox_id = await sms.send(TO, "sms.otp", {"otp": "123456", "minutes": 10}, "en")
    clock.advance(3600)
    assert await sms.deliver_due() == 0
    row = await SmsOutbox.get(id=outbox_id)
    assert (row.status, gateway.calls) == (SmsStatus.FAILED, 1)


async def test_the_worker_delivers_until_stopped(
    db: str, settings: Settings, clock: FrozenClock, rng: random.Random
) -> None:
    gateway = FlakyGateway(failures=1)
    sms = SmsService(settings, clock, gateway, rng)
    outbox_id = await sms.send(TO, "sms.otp", {"otp": "123456", "minutes": 10}, "en")
    clock.advance(settings.sms_retry_max_seconds)
    stop = asyncio.Event()
    worker = asyncio.create_task(sms.run_worker(stop, interval=0.01))
    await asyncio.sleep(0.1)  # several worker steps
    stop.set()
    await asyncio.wait_for(worker, 1)
    assert [d.message_id for d in gateway.accepted] == [outbox_id]


async def test_a_key_without_a_template_is_refused_before_anything_is_written(
    sms: SmsService,
) -> None:
    with pytest.raises(MissingTemplate):
        await sms.send(TO, "menu.main", {}, "en")
    with pytest.raises(ValueError, match=r"E\.164"):
        await sms.send("9876543210", "sms.otp", {"otp": "1", "minutes": 1}, "en")
    assert await SmsOutbox.all().count() == 0


async def test_a_deployment_overrides_a_template_id(
    db: str, clock: FrozenClock, rng: random.Random, log_gateway: LogGateway
) -> None:
    settings = make_settings(dlt_templates={"sms.otp": "1207170000000009999"})
    sms = SmsService(settings, clock, log_gateway, rng)
    await sms.send(TO, "sms.otp", {"otp": "123456", "minutes": 10}, "en")
    assert log_gateway.deliveries[-1].template_id == "1207170000000009999"


async def test_the_log_gateway_withholds_sensitive_text(
    sms: SmsService, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="core.sms")
    await sms.send(TO, "sms.card_details", CARD, "en")
    text = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("core.sms"))
    assert "text withheld" in text
    assert "Asha" not in text
    assert TO not in text
    assert "+91******3210" in text


async def test_the_log_gateway_logs_text_it_is_told_is_public(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    gateway = LogGateway(log_text_for={"1107000000000000001"})
    await gateway.deliver("m-1", TO, "Arogya is down for maintenance", "1107000000000000001")
    assert "Arogya is down for maintenance" in caplog.text


async def test_a_row_sealed_under_another_secret_key_is_declared_dead(
    db: str, settings: Settings, clock: FrozenClock, rng: random.Random
) -> None:
    before = SmsService(settings, clock, FlakyGateway(failures=1), rng)
    outbox_id = await before.send(TO, "sms.otp", {"otp": "123456", "minutes": 10}, "en")
    gateway = FlakyGateway()
    rotated = SmsService(make_settings(secret_key="a-new-secret"), clock, gateway, rng)
    clock.advance(settings.sms_retry_max_seconds)

    assert await rotated.deliver_due() == 0

    row = await SmsOutbox.get(id=outbox_id)
    assert (row.status, row.last_error, gateway.calls) == (
        SmsStatus.FAILED,
        "sealed text unreadable",
        0,
    )
