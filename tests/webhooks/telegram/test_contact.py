"""The phone number on Telegram: the contact-share keyboard, only one's own contact accepted,
the OTP over SMS all the same, and the keyboard taken away afterwards."""

from __future__ import annotations

import pytest

from testing.fakes.telegram_updates import user
from tests.webhooks.telegram.phone import Telegram, TelegramPhone

ASHA = user(850001, "Asha", language_code="en")
SHARE = "📱 Share my phone number"


async def at_mobile(phone: TelegramPhone) -> None:
    for action in ("/start", "tap: Create ABHA", "tap: Mobile only"):
        await phone.send(action)


@pytest.mark.parametrize("shared", ["919876543210", "+919876543210", "+91 98765 43210"])
async def test_ones_own_contact_is_taken_and_still_verified_by_sms(
    telegram: Telegram, shared: str
) -> None:
    phone = TelegramPhone(telegram, ASHA)
    await at_mobile(phone)
    assert telegram.api.reply_keyboard(ASHA["id"]) == {
        "keyboard": [[{"text": SHARE, "request_contact": True}]],
        "resize_keyboard": True,
        "one_time_keyboard": True,
    }

    seen = await phone.send(f"share: {shared}")

    assert seen[:4] == [
        "Thank you.",
        "Type the OTP sent to ******3210",
        "[Send OTP again]",
        "keyboard: removed",
    ]
    assert seen[4].startswith("SMS: ")  # the OTP went to the phone, by SMS
    assert telegram.api.reply_keyboard(ASHA["id"]) is None
    assert (await telegram.conversation(ASHA["id"]) or {})["step"] == "otp"


async def test_someone_elses_contact_is_refused_and_nothing_is_sent_to_them(
    telegram: Telegram,
) -> None:
    phone = TelegramPhone(telegram, ASHA)
    await at_mobile(phone)
    before = await telegram.conversation(ASHA["id"])

    seen = await phone.send("share-other: +919812345678")

    assert seen == ["Please share your own phone number: tap the button below, or type the number."]
    assert telegram.api.last_sent(ASHA["id"]).get("text", "").startswith("Please share")
    assert telegram.api.reply_keyboard(ASHA["id"]) is not None  # the button is still there
    assert await telegram.services.sms.sent_to("+919812345678") == []
    assert await telegram.conversation(ASHA["id"]) == before
    assert (await phone.send("share"))[0] == "Thank you."


async def test_a_number_that_cannot_get_an_otp_is_asked_for_again_with_the_keyboard(
    telegram: Telegram,
) -> None:
    phone = TelegramPhone(telegram, ASHA)
    await at_mobile(phone)

    seen = await phone.send("share: 447700900123")  # a UK mobile: ABDM needs an Indian one

    assert seen == [
        "This mobile number is not valid. Please enter a 10-digit Indian mobile number.\n"
        "Type your 10-digit mobile number\n"
        "Or tap “Share my phone number” below."
    ]
    assert telegram.api.reply_keyboard(ASHA["id"]) is not None
    assert (await telegram.conversation(ASHA["id"]) or {})["step"] == "mobile"


async def test_leaving_the_question_takes_the_keyboard_away(telegram: Telegram) -> None:
    phone = TelegramPhone(telegram, ASHA)
    await at_mobile(phone)

    seen = await phone.send("/menu")

    assert seen[0] == "Thank you."
    assert seen[1] == "Arogya ABHA"
    assert "keyboard: removed" in seen
    assert telegram.api.reply_keyboard(ASHA["id"]) is None
