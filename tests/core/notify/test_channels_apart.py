"""A Telegram send that waits (its pacing slot, a 429's retry_after, a hung connection) must not
hold up an SMS to a feature phone queued after it: the worker runs one loop per channel."""

from __future__ import annotations

import asyncio

from core.notify.models import Channel
from core.notify.service import Notifier
from tests.core.notify.support import MOBILE, RecordingDeliverer, queue


async def test_an_sms_is_delivered_while_a_telegram_send_hangs(
    notifier: Notifier, telegram: RecordingDeliverer
) -> None:
    telegram.hold = asyncio.Event()
    sms = RecordingDeliverer()
    notifier.register(Channel.SMS, sms)
    stop = asyncio.Event()
    await queue(notifier)
    worker = asyncio.create_task(notifier.run_worker(stop, interval=0.05))
    try:
        await asyncio.wait_for(telegram.entered.wait(), timeout=10)  # the send is hanging
        await notifier.notify("sms", MOBILE, "notify.test", {"name": "Asha"}, "hi")
        await asyncio.wait_for(sms.entered.wait(), timeout=10)
        assert [notice.address for notice in sms.delivered] == [MOBILE]
        assert telegram.delivered == []  # still hanging, and still claimed, not lost
        telegram.hold.set()
        for _ in range(200):
            if telegram.delivered:
                break
            await asyncio.sleep(0.01)
        assert [notice.address for notice in telegram.delivered] == ["4242"]
    finally:
        stop.set()
        telegram.hold.set()
        await asyncio.wait_for(worker, timeout=10)
