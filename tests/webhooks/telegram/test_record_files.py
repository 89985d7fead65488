"""A record's original FHIR bundle as a file, on request: "My records" on Telegram offers
"Download the FHIR file (JSON)" beside each record, and only that choice sends the file (read
through the audited path, on the telegram channel), with the same record shown again after it."""

from __future__ import annotations

import json

import pytest

from testing.fakes.telegram_updates import user
from testing.records import fixture
from tests.webhooks.records.helpers import PIN, Holder, enrol_holder, push_every_fixture
from tests.webhooks.telegram.phone import Telegram, TelegramPhone

NEWEST = "OP_Consultation_fhir_bundle.json"
LABELS = {
    "en": {
        "menu": "My records",
        "item": "OP consultation 04-01-2024",
        "file": "Download the FHIR file (JSON)",
        "back": "Back to my records",
    },
    "hi": {
        "menu": "मेरे रिकॉर्ड",
        "item": "ओपीडी परामर्श 04-01-2024",
        "file": "FHIR फ़ाइल डाउनलोड करें (JSON)",
        "back": "रिकॉर्ड की सूची",
    },
}


@pytest.fixture
async def holder(telegram: Telegram) -> Holder:
    """Sunita (mobile +919876543210, PIN 4826) with the eight ABDM example records."""
    person = await enrol_holder(telegram.services)
    return Holder(person, await push_every_fixture(telegram.services, person))


async def logged_in(telegram: Telegram, chat_id: int, lang: str) -> TelegramPhone:
    """Sunita's chat, logged in to "My records" with an OTP and the PIN: the list."""
    phone = TelegramPhone(telegram, user(chat_id, "Sunita", language_code=lang))
    await phone.inbox.new(replies=True)  # the enrolment's OTP is not this chat's
    for action in ("/start", f"tap: {LABELS[lang]['menu']}", "share", "{otp}", PIN):
        await phone.send(action)
    return phone


@pytest.mark.parametrize("lang", ["en", "hi"])
async def test_the_fhir_file_goes_only_when_asked_for(
    telegram: Telegram, holder: Holder, lang: str
) -> None:
    labels, record = LABELS[lang], holder.records[NEWEST]
    phone = await logged_in(telegram, 880001 if lang == "en" else 880002, lang)

    shown = await phone.send(f"tap: {labels['item']}")

    assert shown[-2:] == [f"[{labels['file']}]", f"[{labels['back']}]"]
    assert telegram.api.documents(phone.chat_id) == []  # reading sends no file

    seen = await phone.send(f"tap: {labels['file']}")

    name = f"{record.hi_type.value}-{record.date.isoformat()}.json"
    assert seen[0] == f"document {name} (application/fhir+json)"
    assert seen[1:] == shown  # the same record again, its buttons live at the bottom
    [(document, data)] = telegram.api.documents(phone.chat_id)
    assert document["file_name"] == name
    assert json.loads(data) == json.loads(fixture(NEWEST))
    reads = await telegram.services.audit.events(subject=holder.abha, action="record.read")
    assert {event.channel for event in reads} == {"telegram"}
    assert [event.detail["record"] for event in reads] == [record.id] * 3  # shown, again, file

    assert (await phone.send(f"tap: {labels['back']}"))[1] == f"[{labels['item']}]"
    assert len(telegram.api.documents(phone.chat_id)) == 1  # going back sends nothing more
