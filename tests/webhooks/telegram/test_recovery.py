"""Forgot PIN and Change mobile on Telegram, through aiogram against the fake Bot API.

The same flows as on USSD (flows.healthid.recover, flows.healthid.mobile_change), reached
from My Health ID after the chat proved its mobile: the PIN reset takes the OTP sent to the
ABHA's mobile; the mobile change ends with this chat tied to the new mobile, the ABHA no
longer reachable through the old one, and the old number told by SMS.
"""

from __future__ import annotations

import contextlib

from core.errors import ArogyaError
from testing.fakes.telegram_updates import user
from tests.webhooks.journey_phones import Inbox
from tests.webhooks.telegram.phone import Telegram, TelegramPhone
from tests.webhooks.telegram.test_people import MOBILE, enrol

NEW = "+919123456789"


async def logged_in(telegram: Telegram, chat_id: int) -> tuple[TelegramPhone, str]:
    sunita = (await enrol(telegram.services, "Sunita")).abha_number
    await telegram.services.healthid.set_pin(sunita, "4826", channel="cli")
    phone = TelegramPhone(telegram, user(chat_id, "Sunita"))
    for action in ("/start", "tap: My ABHA", "share"):
        await phone.send(action)
    assert (await phone.send("{otp}"))[0] == "Hello Sunita"
    return phone, sunita


async def test_forgot_pin_on_telegram_sets_a_new_pin_and_lifts_the_lock(
    telegram: Telegram,
) -> None:
    phone, sunita = await logged_in(telegram, 870001)
    healthid = telegram.services.healthid
    for wrong in ("1357", "2468", "1470", "2580", "3690"):
        with contextlib.suppress(ArogyaError):
            await healthid.verify_pin(sunita, wrong)
    assert (await phone.send("tap: Change PIN")) == ["Type your current PIN", "[Forgot PIN]"]
    seen = await phone.send("tap: Forgot PIN")
    assert seen[0] == "Forgot PIN? We sent you an OTP.\nType the OTP sent to ******3210"
    assert seen[-1].startswith("SMS: ")
    assert "OTP" in seen[-1]
    assert (await phone.send("000000"))[0].startswith("That OTP is not correct. Tries left: 4.")
    assert (await phone.send("{otp}")) == ["Set a 4-digit PIN"]
    assert (await phone.send("5931")) == ["Type the PIN again"]
    mismatch = await phone.send("5937")
    assert mismatch == ["The two PINs did not match.\nSet a 4-digit PIN"]
    await phone.send("5931")
    assert (await phone.send("5931"))[0].startswith("Your new PIN is set.")

    await healthid.verify_pin(sunita, "5931")  # the lock is lifted, the new PIN works
    actions = [
        e.action for e in await telegram.services.audit.events(subject=sunita.replace("-", ""))
    ]
    assert "abha.pin_reset" in actions


async def test_change_mobile_on_telegram_moves_the_chat_with_the_abha(
    telegram: Telegram,
) -> None:
    phone, sunita = await logged_in(telegram, 870002)
    other_chat = user(870003, "Sunita's old Telegram")
    old_phone = TelegramPhone(telegram, other_chat)  # another chat that proved the old mobile
    for action in ("/start", "tap: My ABHA", "share"):
        await old_phone.send(action)
    await old_phone.send("{otp}")

    seen = await phone.send("tap: Change mobile number")
    assert seen[0] == "Change mobile number. Do you have your old SIM?"
    await phone.send("tap: Yes, I have my old SIM")
    assert (await phone.send("91234 56789"))[0] == "Type your 4-digit PIN"
    seen = await phone.send("4826")
    assert seen[0] == "Type the OTP sent to ******3210"
    seen = await phone.send("{otp}")
    assert seen[0] == "Now the OTP sent to the new mobile.\nType the OTP sent to ******6789"
    new_otp = await Inbox(telegram.services, NEW).last_otp()
    seen = await phone.send(new_otp)
    assert seen[0].startswith("Done: your ABHA now uses mobile ******6789.")
    assert any("is now ******6789" in line for line in seen)  # the old number is told

    endpoint = await telegram.services.channels.endpoint("telegram", str(phone.chat_id))
    assert endpoint is not None
    assert (endpoint.mobile, endpoint.abha_number) == (NEW, sunita)
    reach = await telegram.services.channels.reach(sunita)
    assert [r.address for r in reach] == [str(phone.chat_id)]  # not the old mobile's chat
    assert await telegram.services.channels.linked("telegram", str(other_chat["id"])) == []
    assert await telegram.services.healthid.by_mobile(MOBILE) == []
