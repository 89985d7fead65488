"""The notification outbox on the real database: queue, dedupe, claim, never twice."""

from __future__ import annotations

import asyncio
import random
from typing import Any

import pytest

from core.clock import FrozenClock
from core.notify.buttons import Button
from core.notify.models import Channel, Notification, NotificationStatus
from core.notify.service import Notifier
from locales import MissingMessage
from tests.core.notify.support import CHAT, RecordingDeliverer, queue


async def test_a_notice_is_queued_then_delivered_by_the_worker(
    notifier: Notifier, telegram: RecordingDeliverer, clock: FrozenClock
) -> None:
    notice_id = await notifier.notify(
        Channel.TELEGRAM,
        CHAT,
        "notify.test",
        {"name": "आशा"},
        "hi-IN",
        buttons=[[{"label": "notify.button.open_menu", "data": "menu"}]],
        attachment="card:91123456789012",
    )
    queued = await notifier.get(notice_id)
    assert (queued.status, queued.attempts, telegram.calls) == (NotificationStatus.PENDING, 0, 0)

    assert await notifier.deliver_due() == 1

    [notice] = telegram.delivered
    assert notice.id == notice_id
    assert (notice.channel, notice.address, notice.message_key) == ("telegram", CHAT, "notify.test")
    assert (notice.params, notice.lang, notice.attempt) == ({"name": "आशा"}, "hi", 1)
    assert notice.buttons == ((Button(label="notify.button.open_menu", data="menu"),),)
    assert notice.attachment == "card:91123456789012"
    sent = await notifier.get(notice_id)
    assert (sent.status, sent.attempts, sent.sent_at) == (NotificationStatus.SENT, 1, clock.now())
    assert sent.claimed_until is None
    assert await notifier.deliver_due() == 0


async def test_a_dedupe_key_queues_the_notice_once(
    notifier: Notifier, telegram: RecordingDeliverer, clock: FrozenClock
) -> None:
    first = await queue(notifier, dedupe_key="consent:c-17:requested")
    again = await queue(notifier, "Someone else", dedupe_key="consent:c-17:requested")
    racing = await asyncio.gather(*(queue(notifier, dedupe_key="record:r-9:new") for _ in range(3)))
    await notifier.deliver_due()
    clock.advance(hours=1)
    after_sending = await queue(notifier, dedupe_key="consent:c-17:requested")
    await notifier.deliver_due()

    assert again == first == after_sending
    assert len(set(racing)) == 1
    assert await Notification.all().count() == 2
    assert sorted(telegram.ids) == sorted([first, racing[0]])
    assert next(n for n in telegram.delivered if n.id == first).params == {"name": "Asha"}


async def test_two_workers_deliver_each_notice_once(
    notifier: Notifier, telegram: RecordingDeliverer, clock: FrozenClock, rng: random.Random
) -> None:
    other_worker = Notifier(clock, random.Random(7))
    other_worker.register("telegram", telegram)
    ids = [await queue(notifier, f"P{n}", address=str(1000 + n % 10)) for n in range(30)]

    sent = await asyncio.gather(
        notifier.deliver_due(), other_worker.deliver_due(), notifier.deliver_due()
    )

    assert sum(sent) == 30
    assert sorted(telegram.ids) == sorted(ids)  # each once: no duplicates, none missing
    assert await Notification.filter(status=NotificationStatus.SENT, attempts=1).count() == 30


async def test_a_claim_of_a_worker_that_died_lapses(
    notifier: Notifier, telegram: RecordingDeliverer, clock: FrozenClock
) -> None:
    telegram.hold = asyncio.Event()
    notice_id = await queue(notifier)
    dying = asyncio.create_task(notifier.deliver_due())
    await asyncio.wait_for(telegram.entered.wait(), timeout=5)
    dying.cancel()
    with pytest.raises(asyncio.CancelledError):
        await dying
    telegram.hold = None

    assert await notifier.deliver_due() == 0  # still claimed by the dead worker
    clock.advance(minutes=6)  # past the five-minute lease
    assert await notifier.deliver_due() == 1

    assert telegram.ids == [notice_id]
    assert (await notifier.get(notice_id)).attempts == 2


async def test_one_recipient_reads_notices_in_the_order_queued(
    notifier: Notifier, telegram: RecordingDeliverer
) -> None:
    mine = []
    for n in range(4):
        mine.append(await queue(notifier, f"mine {n}"))
        await queue(notifier, f"other {n}", address=str(5000 + n))

    await notifier.deliver_due()

    assert [i for i in telegram.ids if i in mine] == mine


@pytest.mark.parametrize(
    ("call", "error"),
    [
        ({"channel": "fax"}, ValueError),
        ({"address": "+91 98765 43210", "channel": "sms"}, ValueError),
        ({"address": "@asha"}, ValueError),
        ({"key": "notify.nothing_like_this"}, MissingMessage),
        ({"params": {"when": object()}}, TypeError),
        ({"buttons": [[{"label": "notify.button.open_menu"}]]}, ValueError),
        ({"buttons": [[{"label": "Open", "data": "menu"}]]}, ValueError),
    ],
)
async def test_caller_bugs_are_refused_before_anything_is_written(
    notifier: Notifier, call: dict[str, Any], error: type[Exception]
) -> None:
    with pytest.raises(error):
        await notifier.notify(
            call.get("channel", "telegram"),
            call.get("address", CHAT),
            call.get("key", "notify.test"),
            call.get("params", {"name": "Asha"}),
            "en",
            buttons=call.get("buttons"),
        )

    assert await Notification.all().count() == 0


async def test_the_worker_delivers_as_soon_as_a_notice_is_queued_and_stops_on_request(
    notifier: Notifier, telegram: RecordingDeliverer
) -> None:
    stop = asyncio.Event()
    worker = asyncio.create_task(notifier.run_worker(stop, interval=60))
    await asyncio.sleep(0.01)  # the worker's first, empty step is done; it now waits

    notice_id = await queue(notifier)
    await asyncio.wait_for(telegram.entered.wait(), timeout=5)
    stop.set()
    await asyncio.wait_for(worker, timeout=5)

    assert telegram.ids == [notice_id]
