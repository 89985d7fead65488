"""Golden transcripts of the Health ID flows on Telegram, through the real webhook.

Each telegram_ file in tests/golden/healthid/ is a whole conversation of one person in one
language, as their Telegram app shows it: the bot's messages and buttons, the card photo with
its caption, the contact keyboard coming and going, pop-ups answering a button, and the SMS
their phone receives (the OTP), with the conversation's stored state held under 1 KB after every
hop. See tests/webhooks/telegram/phone.py for the actions a script can take. Re-record an
intended change with `pytest tests/webhooks/telegram --update-golden`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from core.state import StateStore
from testing.golden import (
    Weighed,
    assert_recorded,
    each_script,
    load,
    replay,
    scripts,
    wants_update,
)
from tests.webhooks.telegram.phone import Telegram, TelegramPhone

SCRIPTS = scripts("healthid", "telegram")


@each_script(SCRIPTS)
async def test_conversation(
    path: Path, telegram: Telegram, state: StateStore, request: pytest.FixtureRequest
) -> None:
    script = load(path)
    phone = TelegramPhone(telegram, script["user"], mobile=script.get("mobile", "+919876543210"))
    weighed = Weighed(phone, state, f"conv:telegram:{script['user']['id']}")
    await replay(path, weighed, update=wants_update(request.config))
    assert weighed.heaviest > 0
    assert set(phone.statuses) == {200}


def test_every_conversation_has_been_recorded() -> None:
    assert len(SCRIPTS) >= 4, "registration with and without Aadhaar, in both languages"
    for path in SCRIPTS:
        assert_recorded(path)
