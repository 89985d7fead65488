"""Every record, read over Telegram through the real webhook, in English and Hindi: the holder
logs in to "My records" with an OTP and the PIN, pages through the list with its
buttons and opens each of the eight ABDM example records. Each summary arrives whole (one
message, no USSD/SMS parts), with the bundle's own clinical facts, and each opening is
audited on the telegram channel."""

from __future__ import annotations

from typing import Any

import pytest

from locales import translate
from tests.webhooks.records.helpers import (
    FACTS,
    Holder,
    enrol_holder,
    push_every_fixture,
    summary_of,
)
from tests.webhooks.telegram.phone import Telegram, TelegramPhone
from tests.webhooks.telegram.test_record_files import logged_in


@pytest.fixture
async def holder(telegram: Telegram) -> Holder:
    person = await enrol_holder(telegram.services)
    return Holder(person, await push_every_fixture(telegram.services, person))


def list_buttons(phone: TelegramPhone) -> list[str]:
    """The labels on the newest message of the chat (the list of records, when it is shown)."""
    newest: dict[str, Any] = phone.tg.api.sent(phone.chat_id)[-1]
    rows = newest.get("reply_markup", {}).get("inline_keyboard", [])
    return [button["text"] for row in rows for button in row]


def squeeze(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("lang", ["en", "hi"])
async def test_every_record_is_read_whole_and_audited(
    telegram: Telegram, holder: Holder, lang: str
) -> None:
    phone = await logged_in(telegram, 881001 if lang == "en" else 881002, lang)
    more = translate("engine.more", lang)  # "98. More", the one "more" (review D11)
    back = translate("recordsflow.to_list", lang)
    navigation = {more, translate("recordsflow.list.filter", lang)}
    read: dict[str, str] = {}
    for _ in range(20):
        unread = [b for b in list_buttons(phone) if b not in navigation and b not in read]
        if unread:
            shown = await phone.send(f"tap: {unread[0]}")
            read[unread[0]] = shown[0]
            await phone.send(f"tap: {back}")
        elif more in list_buttons(phone):
            await phone.send(f"tap: {more}")
        else:
            break
    assert len(read) == len(holder.records) == 8

    texts = [squeeze(text) for text in read.values()]
    for name in holder.records:
        whole = squeeze("\n".join(summary_of(name, lang).lines()))
        assert whole in texts, f"{name} was not shown whole in {lang}"
        for fact in FACTS[name]:
            assert any(fact in text for text in texts), (name, fact)

    reads = await telegram.services.audit.events(subject=holder.abha, action="record.read")
    assert {event.channel for event in reads} == {"telegram"}
    assert {event.detail["record"] for event in reads} == {r.id for r in holder.records.values()}
