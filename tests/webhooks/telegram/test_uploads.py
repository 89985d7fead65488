"""A person's own health documents from the chat: a photo (its largest size) or a PDF, JPEG or
PNG file sent to a chat logged in to an ABHA is kept as a self-uploaded HealthDocumentRecord,
listed and read in "My records" like any other; the question pending is asked again
after the confirmation. An unlinked chat, a file of another type and one too large are told so
in their language, and nothing is stored (or even downloaded)."""

from __future__ import annotations

import base64
import io
import json
from typing import Any

import pytest
from aiogram import Bot
from PIL import Image

from core.clock import FrozenClock
from core.records.models import HealthRecord
from core.state import StateStore
from testing.fakes.telegram_api import TelegramApiFake
from testing.fakes.telegram_updates import user
from tests.webhooks.records.helpers import PIN, enrol_holder
from tests.webhooks.telegram.conftest import running_telegram
from tests.webhooks.telegram.phone import Telegram, TelegramPhone
from tests.webhooks.telegram.test_bad_input import TEXT_ONLY

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
DOCX = b"PK\x03\x04word/document.xml"
NOT_LINKED = {
    "en": "To keep a photo or PDF with your health records, first open “My records” "
    "from /menu and log in with the OTP. Then send the file again.",
    "hi": "फ़ोटो या PDF को अपने स्वास्थ्य रिकॉर्ड में रखने के लिए पहले /menu से “मेरे रिकॉर्ड” "
    "खोलें और OTP से लॉग इन करें। फिर फ़ाइल दोबारा भेजें।",
}
UNSUPPORTED = {
    "en": "I can keep only photos, PDF files and JPEG or PNG images. This file was not saved.",
    "hi": "सिर्फ़ फ़ोटो, PDF फ़ाइलें और JPEG या PNG तस्वीरें रखी जा सकती हैं। यह फ़ाइल सहेजी नहीं गई।",
}
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
MENU = {"en": "My records", "hi": "मेरे रिकॉर्ड"}


def jpeg(width: int = 640, height: int = 480) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 40, 40)).save(out, format="JPEG")
    return out.getvalue()


async def stored_count() -> int:
    return await HealthRecord.all().count()


async def linked_phone(telegram: Telegram, chat_id: int, lang: str = "en") -> TelegramPhone:
    """Sunita's chat, tied to her ABHA by the OTP of "My records": her PIN is asked."""
    await enrol_holder(telegram.services)
    phone = TelegramPhone(telegram, user(chat_id, "Sunita", language_code=lang))
    await phone.inbox.new(replies=True)
    for action in ("/start", f"tap: {MENU[lang]}", "share", "{otp}"):
        await phone.send(action)
    return phone


def attached(fhir_json: bytes) -> dict[str, Any]:
    """The file inside a self-uploaded bundle (its DocumentReference's attachment)."""
    bundle = json.loads(fhir_json)
    [reference] = [
        entry["resource"]
        for entry in bundle["entry"]
        if entry["resource"]["resourceType"] == "DocumentReference"
    ]
    attachment: dict[str, Any] = reference["content"][0]["attachment"]
    return attachment


async def test_a_photo_and_a_pdf_are_kept_listed_and_readable(telegram: Telegram) -> None:
    phone = await linked_phone(telegram, 890001)
    photo = jpeg()
    update = telegram.updates.photo(phone.user, "Blood test, Apollo", jpeg=photo)

    seen = await phone.deliver(update)

    assert seen == [
        "Saved to your health records as “Blood test, Apollo”. "
        "To read it, open “My records” from /menu.",
        "Type your 4-digit PIN to see your records",  # the question pending, asked again
        "[Forgot PIN]",
    ]
    pdf = telegram.updates.document(phone.user, "lab-report.pdf", data=PDF)
    assert (await phone.deliver(pdf))[0] == (
        "Saved to your health records as “Document, 15 Jan 2026”. "
        "To read it, open “My records” from /menu."
    )
    assert telegram.api.downloads == ["photos/file_1.jpg", "documents/file_2.pdf"]

    listed = await phone.send(PIN)  # the conversation carried on where it was
    assert listed[:3] == [
        "Your records (2), newest first:",
        "[Health document 15-01-2026]",
        "[Health document 15-01-2026]",
    ]

    files: list[dict[str, Any]] = []
    for number in ("1", "2"):  # typing the number works as the button does
        summary = await phone.send(number)
        assert any("Attached documents:" in line for line in summary)
        await phone.send("tap: Download the FHIR file (JSON)")
        files.append(attached(telegram.api.documents(phone.chat_id)[-1][1]))
        await phone.send("tap: Back to my records")
    by_title = {file["title"]: file for file in files}
    assert set(by_title) == {"Blood test, Apollo", "Document, 15 Jan 2026"}
    assert base64.b64decode(by_title["Blood test, Apollo"]["data"]) == photo  # not the thumbnail
    assert by_title["Blood test, Apollo"]["contentType"] == "image/jpeg"
    assert base64.b64decode(by_title["Document, 15 Jan 2026"]["data"]) == PDF
    assert by_title["Document, 15 Jan 2026"]["contentType"] == "application/pdf"


async def test_a_photo_without_a_caption_gets_a_dated_title_in_hindi(telegram: Telegram) -> None:
    phone = await linked_phone(telegram, 890002, "hi")

    seen = await phone.deliver(telegram.updates.photo(phone.user, jpeg=jpeg()))

    assert seen[0].startswith("आपके स्वास्थ्य रिकॉर्ड में “फ़ोटो, 15 ")
    assert seen[0].endswith("इसे पढ़ने के लिए /menu से “मेरे रिकॉर्ड” खोलें।")
    assert await stored_count() == 1


async def test_telegram_delivering_the_update_again_stores_it_once(telegram: Telegram) -> None:
    phone = await linked_phone(telegram, 890003)
    update = telegram.updates.document(phone.user, "scan.png", mime_type="image/png", data=PNG)

    assert (await telegram.post(update))[0] == 200
    assert (await telegram.post(update))[0] == 200

    assert await stored_count() == 1


@pytest.mark.parametrize("lang", ["en", "hi"])
async def test_an_unlinked_chat_is_told_to_log_in_and_nothing_is_stored(
    telegram: Telegram, lang: str
) -> None:
    phone = TelegramPhone(telegram, user(890004, "Asha", language_code=lang))
    await phone.send("/start")
    before = await telegram.conversation(phone.chat_id)

    for update in (
        telegram.updates.photo(phone.user, "my prescription", jpeg=jpeg()),
        telegram.updates.document(phone.user, "report.pdf", data=PDF),
    ):
        assert await phone.deliver(update) == [NOT_LINKED[lang]]

    assert await stored_count() == 0
    assert telegram.api.calls("getFile") == []  # not even downloaded
    assert await telegram.conversation(phone.chat_id) == before


@pytest.mark.parametrize("lang", ["en", "hi"])
async def test_a_file_of_another_type_is_refused_and_progress_kept(
    telegram: Telegram, lang: str
) -> None:
    phone = await linked_phone(telegram, 890005 if lang == "en" else 890006, lang)
    before = await telegram.conversation(phone.chat_id)
    word = telegram.updates.document(
        phone.user,
        "letter.docx",
        mime_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        data=DOCX,
    )
    renamed = telegram.updates.document(phone.user, "not-really.pdf", data=DOCX)

    assert await phone.deliver(word) == [UNSUPPORTED[lang]]
    assert await phone.deliver(renamed) == [UNSUPPORTED[lang]]  # core reads the first bytes
    assert await phone.send("[voice]") == [TEXT_ONLY[lang]]  # other.py, as before
    assert await phone.send("[sticker]") == [TEXT_ONLY[lang]]

    assert await stored_count() == 0
    assert telegram.api.downloads == ["documents/file_1.pdf"]  # only the one claiming PDF
    assert await telegram.conversation(phone.chat_id) == before


async def test_a_file_too_large_for_a_record_is_refused_before_downloading(
    db: str, state: StateStore, clock: FrozenClock, telegram_api: TelegramApiFake, telegram_bot: Bot
) -> None:
    # A record may hold 8 KB: a file of at most 3 KB once inside its bundle.
    small: dict[str, Any] = {"records_max_bundle_bytes": 8192}
    async with running_telegram(telegram_api, telegram_bot, state, clock, **small) as telegram:
        phone = await linked_phone(telegram, 890007)
        big = telegram.updates.document(phone.user, "scan.pdf", data=PDF + b"0" * 4000)

        seen = await phone.deliver(big)

        assert seen == ["This file is too large to keep (at most 3 KB). It was not saved."]
        assert telegram.api.calls("getFile") == []
        assert await stored_count() == 0
