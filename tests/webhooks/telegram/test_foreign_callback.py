"""A callback in Asha's private chat whose `from.id` is someone else is ignored: real Telegram
never sends one (a private chat's id is its user's id), so it can only be forged."""

from __future__ import annotations

from testing.fakes.telegram_updates import user
from tests.webhooks.telegram.phone import Telegram, TelegramPhone

ASHA = user(870001, "Asha", language_code="en")
MALLORY = user(870002, "Mallory", language_code="en")


async def test_a_button_pressed_by_someone_else_changes_nothing(telegram: Telegram) -> None:
    phone = TelegramPhone(telegram, ASHA)
    await phone.send("/start")
    before = await telegram.conversation(ASHA["id"])
    message, data = phone.button("Create ABHA")
    forged = telegram.updates.callback(MALLORY, message, data)
    assert await telegram.post(forged) == (200, {})
    assert await telegram.conversation(ASHA["id"]) == before
    assert telegram.api.sent(MALLORY["id"]) == []
    assert telegram.api.last_sent(ASHA["id"]) == message  # nothing new said to Asha
    # the owner's own press of the very same button works
    assert "Mobile only" in " ".join(await phone.send("tap: Create ABHA"))
