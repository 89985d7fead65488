"""`TelegramSender` against the fake Bot API: spacing, 429 handling, failure kinds.

Spacing is asserted on the times the fake recorded when each request *arrived*, which is what
Telegram's limits count. On the virtual clock (sender and fake share it, one send at a time) the
times are exact; the concurrent test runs on the real clock with a short interval and asserts only
lower bounds that the sender guarantees by construction.
"""

from __future__ import annotations

import asyncio
from itertools import pairwise

import pytest
from aiogram import Bot

from bot.sender import Pacer, SendFailed, SendLimits, TelegramSender
from testing.fakes.telegram_api import TelegramApiFake
from testing.fakes.telegram_updates import user
from testing.fakes.virtual_time import VirtualClock
from tests.bot.helpers import png

ASHA, RAVI, MEERA = 4242, 5151, 6161


@pytest.fixture
def chats(telegram_api: TelegramApiFake) -> None:
    for chat_id, name in ((ASHA, "Asha"), (RAVI, "Ravi"), (MEERA, "Meera")):
        telegram_api.add_user(user(chat_id, name))


@pytest.fixture
def virtual_clock(telegram_api: TelegramApiFake) -> VirtualClock:
    """A virtual clock shared by the sender and the fake's call log."""
    virtual = VirtualClock()
    telegram_api.clock = virtual.monotonic
    return virtual


def sender_on(bot: Bot, clock: VirtualClock, limits: SendLimits | None = None) -> TelegramSender:
    limits = limits or SendLimits()
    return TelegramSender(bot, limits, monotonic=clock.monotonic, sleep=clock.sleep)


def arrivals(api: TelegramApiFake, chat_id: int | None = None) -> list[float]:
    return [
        call.at
        for call in api.calls("sendMessage")
        if chat_id is None or call.params["chat_id"] == chat_id
    ]


@pytest.mark.usefixtures("chats")
async def test_a_429_is_slept_out_and_the_message_then_goes_once(
    telegram_api: TelegramApiFake, telegram_bot: Bot, virtual_clock: VirtualClock
) -> None:
    telegram_api.rate_limit(times=2, retry_after=3, method="sendMessage")
    sender = sender_on(telegram_bot, virtual_clock)

    sent = await sender.send_text(ASHA, "Your record from <b>AIIMS</b> has arrived")

    calls = telegram_api.calls("sendMessage")
    assert [call.status for call in calls] == [429, 429, 200]
    assert calls[0].response["parameters"] == {"retry_after": 3}
    assert [b - a for a, b in pairwise(arrivals(telegram_api))] == [3.0, 3.0]
    assert virtual_clock.sleeps == [3.0, 3.0]
    assert telegram_api.texts(ASHA) == ["Your record from AIIMS has arrived"]
    assert sent.message_id == 1


@pytest.mark.usefixtures("chats")
async def test_a_retry_after_beyond_patience_goes_back_to_the_caller(
    telegram_api: TelegramApiFake, telegram_bot: Bot, virtual_clock: VirtualClock
) -> None:
    telegram_api.rate_limit(times=1, retry_after=120)
    sender = sender_on(telegram_bot, virtual_clock, SendLimits(max_retry_wait=60))

    with pytest.raises(SendFailed) as failed:
        await sender.send_text(ASHA, "hello")

    assert (failed.value.permanent, failed.value.retry_after) == (False, 120.0)
    assert virtual_clock.sleeps == []
    assert len(telegram_api.calls("sendMessage")) == 1


@pytest.mark.usefixtures("chats")
async def test_repeated_429s_give_up_after_max_retries(
    telegram_api: TelegramApiFake, telegram_bot: Bot, virtual_clock: VirtualClock
) -> None:
    telegram_api.rate_limit(times=5, retry_after=1)
    sender = sender_on(telegram_bot, virtual_clock, SendLimits(max_retries=2))

    with pytest.raises(SendFailed) as failed:
        await sender.send_text(ASHA, "hello")

    assert not failed.value.permanent
    assert len(telegram_api.calls("sendMessage")) == 3
    assert telegram_api.sent(ASHA) == []


@pytest.mark.usefixtures("chats")
async def test_failure_kinds(
    telegram_api: TelegramApiFake, telegram_bot: Bot, virtual_clock: VirtualClock
) -> None:
    """Blocked, unknown chat, broken HTML: permanent. Telegram down: worth retrying."""
    sender = sender_on(telegram_bot, virtual_clock)
    telegram_api.block(RAVI)
    outcomes: list[tuple[bool, str]] = []
    for chat_id, text in ((RAVI, "hi"), (999, "hi"), (ASHA, "Name: <Ram>")):
        with pytest.raises(SendFailed) as failed:
            await sender.send_text(chat_id, text)
        outcomes.append((failed.value.permanent, failed.value.reason))
    telegram_api.outage()
    with pytest.raises(SendFailed) as down:
        await sender.send_text(ASHA, "hi")

    assert [permanent for permanent, _ in outcomes] == [True, True, True]
    assert "blocked by the user" in outcomes[0][1]
    assert "chat not found" in outcomes[1][1]
    assert "can't parse entities" in outcomes[2][1]
    assert (down.value.permanent, down.value.reason) == (False, "Bad Gateway")


@pytest.mark.usefixtures("chats")
async def test_sends_are_spaced_globally(
    telegram_api: TelegramApiFake, telegram_bot: Bot, virtual_clock: VirtualClock
) -> None:
    sender = sender_on(telegram_bot, virtual_clock, SendLimits(messages_per_second=2))

    for chat_id in (ASHA, RAVI, MEERA, ASHA):
        await sender.send_text(chat_id, "notice")

    start = arrivals(telegram_api)[0]
    assert [t - start for t in arrivals(telegram_api)] == pytest.approx([0.0, 0.5, 1.0, 1.5])


@pytest.mark.usefixtures("chats")
async def test_a_chat_waits_its_interval_while_others_do_not(
    telegram_api: TelegramApiFake, telegram_bot: Bot, virtual_clock: VirtualClock
) -> None:
    sender = sender_on(
        telegram_bot, virtual_clock, SendLimits(messages_per_second=10, chat_interval=1)
    )

    for chat_id in (ASHA, ASHA, RAVI, ASHA):
        await sender.send_text(chat_id, "notice")

    start = arrivals(telegram_api)[0]
    assert [t - start for t in arrivals(telegram_api, ASHA)] == pytest.approx([0.0, 1.0, 2.0])
    # Ravi only waits his global slot (0.1 s after Asha's second message), not Asha's second.
    assert [t - start for t in arrivals(telegram_api, RAVI)] == pytest.approx([1.1])


@pytest.mark.usefixtures("chats")
async def test_concurrent_pushes_keep_each_chats_order_and_spacing(
    telegram_api: TelegramApiFake, telegram_bot: Bot
) -> None:
    """Real clock, real concurrency: 50 ms per chat; the fake's arrival times prove it."""
    interval = 0.05
    sender = TelegramSender(
        telegram_bot, SendLimits(messages_per_second=500, chat_interval=interval)
    )
    pushes = [(chat_id, f"{chat_id}-{n}") for n in range(3) for chat_id in (ASHA, RAVI, MEERA)]

    await asyncio.gather(*(sender.send_text(chat_id, text) for chat_id, text in pushes))

    for chat_id in (ASHA, RAVI, MEERA):
        assert telegram_api.texts(chat_id) == [f"{chat_id}-{n}" for n in range(3)]
        gaps = [b - a for a, b in pairwise(arrivals(telegram_api, chat_id))]
        # A chat's next send starts `interval` after the previous one was answered, hence
        # arrived: the gap seen by the server can only be longer.
        assert all(gap >= interval for gap in gaps), gaps


async def test_one_chat_busy_does_not_hold_up_another() -> None:
    clock = VirtualClock()
    pacer = Pacer(SendLimits(chat_interval=1), clock.monotonic, clock.sleep)

    async with pacer.chat_turn(ASHA), pacer.chat_turn(RAVI):
        assert clock.sleeps == []
    async with pacer.chat_turn(ASHA):
        assert clock.sleeps == [1.0]


@pytest.mark.usefixtures("chats")
async def test_a_photo_goes_as_an_upload(
    telegram_api: TelegramApiFake, telegram_bot: Bot, virtual_clock: VirtualClock
) -> None:
    image = png(20, 10, "white")

    sent = await sender_on(telegram_bot, virtual_clock).send_photo(
        ASHA, image, filename="card.png", caption="Card"
    )

    assert telegram_api.photos(ASHA) == [image]
    assert sent.caption == "Card"
