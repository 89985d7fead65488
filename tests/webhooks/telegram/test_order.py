"""One chat's updates are handled one at a time and in order, however many arrive at once;
other chats are not held up behind it."""

from __future__ import annotations

import asyncio

from bot.gate import ChatTurns
from testing.fakes.telegram_updates import user
from tests.webhooks.telegram.phone import Telegram
from webhooks.telegram import TELEGRAM_DISPATCHER


async def test_chat_turns_are_first_come_first_served_per_chat() -> None:
    turns = ChatTurns()
    log: list[str] = []

    async def visit(chat: int, name: str, hold: float) -> None:
        async with turns.turn(chat):
            log.append(f"{name}+")
            await asyncio.sleep(hold)
            log.append(f"{name}-")

    await asyncio.gather(visit(1, "a", 0.02), visit(1, "b", 0), visit(1, "c", 0), visit(2, "x", 0))

    assert [entry for entry in log if entry[0] in "abc"] == ["a+", "a-", "b+", "b-", "c+", "c-"]
    assert log.index("x-") < log.index("a-")  # chat 2 did not wait for chat 1
    assert len(turns) == 0  # nothing kept once the chats are idle


async def test_a_burst_of_one_chats_updates_is_answered_in_order(telegram: Telegram) -> None:
    """As long polling does it: a task per update, started in arrival order."""
    asha, ravi = user(890001, "Asha"), user(890002, "Ravi")
    dispatcher = telegram.app[TELEGRAM_DISPATCHER]
    burst = [
        telegram.updates.text(asha, "/start"),
        telegram.updates.text(ravi, "/start"),
        telegram.updates.text(asha, "1"),
        telegram.updates.text(asha, "2"),
        telegram.updates.text(ravi, "2"),
        telegram.updates.contact(asha, "919876543210"),
    ]

    await asyncio.gather(
        *(asyncio.create_task(dispatcher.feed_raw_update(telegram.bot, u)) for u in burst)
    )

    assert telegram.api.texts(asha["id"]) == [
        "Arogya ABHA",
        "Create ABHA with:",
        "Type your 10-digit mobile number\nOr tap “Share my phone number” below.",
        "Thank you.",
        "Type the OTP sent to ******3210",
    ]
    assert telegram.api.texts(ravi["id"])[-1].startswith("Type your ABHA number")
    assert (await telegram.conversation(asha["id"]) or {})["step"] == "otp"
