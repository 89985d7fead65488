"""What a conversation cannot take gets a clear answer in the person's language, over HTTP 200,
and the conversation is left exactly where it was: stickers, voice notes, a photo or a file from
a chat not yet logged in to an ABHA (one that is keeps it, see test_uploads), a 4,096-character
message, an edit, someone else's contact, an unknown command, a group chat."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from testing.fakes.telegram_updates import UpdateFactory, user
from tests.webhooks.telegram.phone import Telegram, TelegramPhone

TEXT_ONLY = {
    "en": "I can read only typed text here. Please type your answer, or tap a button. (A photo "
    "or PDF of a health document is kept in your records once you are logged in.)",
    "hi": "यहाँ सिर्फ़ टाइप किया हुआ संदेश पढ़ा जाता है। कृपया अपना जवाब लिखें या कोई बटन दबाएँ। "
    "(लॉग इन के बाद स्वास्थ्य दस्तावेज़ की फ़ोटो या PDF आपके रिकॉर्ड में रखी जाती है।)",
}
#: A photo or a file where a Health ID is still being made: no ABHA to keep it with yet.
NOT_LINKED = {
    "en": "To keep a photo or PDF with your health records, first open “My records” "
    "from /menu and log in with the OTP. Then send the file again.",
    "hi": "फ़ोटो या PDF को अपने स्वास्थ्य रिकॉर्ड में रखने के लिए पहले /menu से “मेरे रिकॉर्ड” "
    "खोलें और OTP से लॉग इन करें। फिर फ़ाइल दोबारा भेजें।",
}
GENDER = {"en": "Gender:", "hi": "लिंग:"}
Build = Callable[[UpdateFactory, dict[str, Any]], dict[str, Any]]
NOT_TEXT: dict[str, Build] = {
    "sticker": lambda updates, who: updates.sticker(who),
    "photo": lambda updates, who: updates.photo(who, caption="my card"),
    "voice": lambda updates, who: updates.voice(who),
    "document": lambda updates, who: updates.document(who),
}


async def at_first_name(phone: TelegramPhone) -> None:
    for action in ("/start", "1", "2", "share", "{otp}"):
        await phone.send(action)


@pytest.mark.parametrize("lang", ["en", "hi"])
@pytest.mark.parametrize("kind", sorted(NOT_TEXT))
async def test_what_is_not_text_is_answered_and_progress_is_kept(
    telegram: Telegram, kind: str, lang: str
) -> None:
    person = user(840001, "Asha", language_code=lang)
    phone = TelegramPhone(telegram, person)
    await at_first_name(phone)
    before = await telegram.conversation(person["id"])

    seen = await phone.deliver(NOT_TEXT[kind](telegram.updates, person))

    assert seen == [(NOT_LINKED if kind in ("photo", "document") else TEXT_ONLY)[lang]]
    assert await telegram.conversation(person["id"]) == before
    assert (await phone.send("Asha"))[0] == GENDER[lang]


async def test_a_4096_character_message_is_refused_not_cut(telegram: Telegram) -> None:
    person = user(840002, "Asha")
    phone = TelegramPhone(telegram, person)
    await at_first_name(phone)
    before = await telegram.conversation(person["id"])

    seen = await phone.send("A" * 4096)

    assert seen == ["That message is too long. Please send at most 160 characters."]
    assert await telegram.conversation(person["id"]) == before


async def test_an_edited_message_is_not_taken_as_an_answer(telegram: Telegram) -> None:
    person = user(840003, "Asha", language_code="hi")
    phone = TelegramPhone(telegram, person)
    await at_first_name(phone)
    await phone.send("आशा")
    before = await telegram.conversation(person["id"])

    seen = await phone.send("edit: सीमा")

    assert seen == ["बदले गए संदेश नहीं पढ़े जाते। कृपया अपना जवाब नए संदेश में दोबारा भेजें।"]
    assert await telegram.conversation(person["id"]) == before
    assert before is not None
    assert before["data"]["first"] == "आशा"


async def test_an_unknown_command_points_to_the_real_ones(telegram: Telegram) -> None:
    phone = TelegramPhone(telegram, user(840004, "Asha"))
    await phone.send("/start")
    before = await telegram.conversation(840004)

    seen = await phone.send("/weather@arogya_test_bot")

    assert seen == ["I do not know that command. Try /menu, /help, /language or /cancel."]
    assert await telegram.conversation(840004) == before


async def test_a_group_gets_one_pointer_to_a_private_chat_then_silence(
    telegram: Telegram,
) -> None:
    group = telegram.api.add_group(-100123456, "Sharma family")
    members = [user(840005, "Asha", language_code="hi"), user(840006, "Ravi")]
    updates = [
        telegram.updates.text(members[0], "/start", chat=group),
        telegram.updates.text(members[1], "my ABHA is 91-2345-6789-0123", chat=group),
        telegram.updates.text(members[0], "/menu@arogya_test_bot", chat=group),
    ]

    for update in updates:
        assert await telegram.post(update) == (200, {})

    [notice] = telegram.api.sent(group["id"])
    assert notice["text"].startswith("स्वास्थ्य की जानकारी निजी रहनी चाहिए")
    [[button]] = notice["reply_markup"]["inline_keyboard"]
    assert button == {"text": "निजी चैट खोलें", "url": "https://t.me/arogya_test_bot"}
    assert await telegram.conversation(group["id"]) is None
    assert await telegram.conversation(840005) is None  # nobody's conversation began there


async def test_no_bad_input_ever_reaches_an_error(telegram: Telegram) -> None:
    """Everything above in one chat at one question, and the odd leftovers: every call 200."""
    person = user(840007, "Asha")
    phone = TelegramPhone(telegram, person)
    await at_first_name(phone)
    before = await telegram.conversation(person["id"])
    oddities = [
        *(build(telegram.updates, person) for build in NOT_TEXT.values()),
        telegram.updates.text(person, "x" * 4096),
        telegram.updates.contact(person, "+919812345678", owner_id=999),
    ]

    for update in oddities:
        await phone.deliver(update)

    assert set(phone.statuses) == {200}
    assert await telegram.conversation(person["id"]) == before
    assert len(await telegram.services.sms.sent_to("+919812345678")) == 0
