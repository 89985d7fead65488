"""The outbox when a channel fails: back off, respect the channel, give up only for good reason."""

from __future__ import annotations

import random
from datetime import timedelta

from core.clock import FrozenClock
from core.notify.models import Channel, Notification, NotificationStatus
from core.notify.ports import PermanentDeliveryError, RetryableDeliveryError
from core.notify.service import Notifier
from tests.core.notify.support import CHAT, MOBILE, RecordingDeliverer, queue


async def test_while_the_channel_fails_the_notice_waits_then_goes_exactly_once(
    notifier: Notifier, telegram: RecordingDeliverer, clock: FrozenClock
) -> None:
    telegram.failures = [RetryableDeliveryError("Bad Gateway") for _ in range(3)]
    notice_id = await queue(notifier)

    for attempt in (1, 2, 3):
        assert await notifier.deliver_due() == 0
        row = await notifier.get(notice_id)
        assert (row.status, row.attempts, row.last_error) == ("PENDING", attempt, "Bad Gateway")
        assert row.next_attempt_at > clock.now()
        assert await notifier.deliver_due() == 0  # not due yet: the channel is left alone
        assert telegram.calls == attempt
        clock.current = row.next_attempt_at
    assert await notifier.deliver_due() == 1
    clock.advance(days=1)
    assert await notifier.deliver_due() == 0

    assert telegram.ids == [notice_id]
    row = await notifier.get(notice_id)
    assert (row.status, row.attempts, row.last_error) == ("SENT", 4, None)


async def test_backoff_doubles_from_the_base_up_to_the_cap(
    db: str, clock: FrozenClock, rng: random.Random
) -> None:
    notifier = Notifier(clock, rng, retry_base_seconds=10, retry_max_seconds=60)
    failing = RecordingDeliverer(failures=[RetryableDeliveryError("down") for _ in range(6)])
    notifier.register("telegram", failing)
    notice_id = await queue(notifier)

    delays = []
    for _ in range(6):
        await notifier.deliver_due()
        row = await notifier.get(notice_id)
        delays.append((row.next_attempt_at - clock.now()).total_seconds())
        clock.current = row.next_attempt_at

    for delay, full in zip(delays, [10, 20, 40, 60, 60, 60], strict=True):
        assert full / 2 <= delay <= full  # "equal jitter": half fixed, half random


async def test_a_retry_after_from_the_channel_is_respected(
    notifier: Notifier, telegram: RecordingDeliverer, clock: FrozenClock
) -> None:
    telegram.failures = [RetryableDeliveryError("Too Many Requests", retry_after=900)]
    notice_id = await queue(notifier)

    await notifier.deliver_due()

    row = await notifier.get(notice_id)
    assert row.next_attempt_at >= clock.now() + timedelta(seconds=900)


async def test_a_permanent_failure_is_final(
    notifier: Notifier, telegram: RecordingDeliverer, clock: FrozenClock
) -> None:
    telegram.failures = [PermanentDeliveryError("Forbidden: bot was blocked by the user")]
    notice_id = await queue(notifier)

    await notifier.deliver_due()
    clock.advance(days=1)
    await notifier.deliver_due()

    row = await notifier.get(notice_id)
    assert (row.status, row.attempts) == (NotificationStatus.FAILED, 1)
    assert row.last_error == "Forbidden: bot was blocked by the user"
    assert telegram.calls == 1


async def test_out_of_attempts_the_notice_fails(
    db: str, clock: FrozenClock, rng: random.Random
) -> None:
    notifier = Notifier(clock, rng, max_attempts=3)
    failing = RecordingDeliverer(failures=[RetryableDeliveryError("down") for _ in range(5)])
    notifier.register("telegram", failing)
    notice_id = await queue(notifier)

    for _ in range(5):
        await notifier.deliver_due()
        clock.advance(hours=1)

    row = await notifier.get(notice_id)
    assert (row.status, row.attempts, failing.calls) == (NotificationStatus.FAILED, 3, 3)


async def test_a_deliverer_bug_is_retried_not_lost(
    notifier: Notifier, telegram: RecordingDeliverer, clock: FrozenClock
) -> None:
    telegram.failures = [RuntimeError("bug in a deliverer")]
    notice_id = await queue(notifier)

    assert await notifier.deliver_due() == 0
    row = await notifier.get(notice_id)
    assert (row.status, row.last_error) == ("PENDING", "RuntimeError: bug in a deliverer")
    clock.advance(hours=1)
    assert await notifier.deliver_due() == 1


async def test_a_channel_without_a_deliverer_keeps_its_notices(
    notifier: Notifier, clock: FrozenClock
) -> None:
    params = {"name": "Asha", "abha_number": "91-1234-5678-9012"}
    notice_id = await notifier.notify("sms", MOBILE, "sms.welcome", params, "en")

    await notifier.deliver_due()
    row = await notifier.get(notice_id)
    assert (row.status, row.last_error) == ("PENDING", "no deliverer registered for sms")

    sms = RecordingDeliverer()
    notifier.register(Channel.SMS, sms)
    clock.advance(hours=1)
    await notifier.deliver_due()
    assert sms.ids == [notice_id]


async def test_a_notice_whose_button_text_left_the_catalog_fails_alone(
    notifier: Notifier, telegram: RecordingDeliverer, clock: FrozenClock
) -> None:
    """Written by an older release whose catalog had a key this one dropped."""
    stale = await Notification.create(
        id="stale-notice",
        channel=Channel.TELEGRAM,
        address=CHAT,
        message_key="notify.test",
        params={"name": "Asha"},
        lang="en",
        buttons=[[{"label": "notify.button.retired", "data": "old"}]],
        next_attempt_at=clock.now(),
        created_at=clock.now(),
    )
    healthy = await queue(notifier, address="5151")

    assert await notifier.deliver_due() == 1

    assert telegram.ids == [healthy]
    row = await notifier.get(stale.id)
    assert row.status == NotificationStatus.FAILED
    assert row.last_error is not None
    assert "notify.button.retired" in row.last_error
