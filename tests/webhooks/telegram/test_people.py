"""Who the chat is: its language (Telegram's at first contact, then its own choice, kept past
the conversation), and the ABHAs of the mobile it proved by OTP, which it may switch between."""

from __future__ import annotations

import pytest

from core.healthid.profile import SelfDeclaredProfile
from core.healthid.views import PersonView
from core.services import Services
from testing.fakes.telegram_updates import user
from tests.webhooks.journey_phones import Inbox
from tests.webhooks.telegram.phone import Telegram, TelegramPhone

MOBILE = "+919876543210"


async def enrol(services: Services, first_name: str, gender: str = "F") -> PersonView:
    """An ABHA made on another channel (SMS) for this mobile, with the mobile alone: an ABHA
    address (no ABHA number is shown for it; `abha_number` is its internal key)."""
    healthid = services.healthid
    ticket = await healthid.start_mobile(MOBILE, lang="en", channel="sms")
    draft = await healthid.verify_mobile(ticket.txn_id, await Inbox(services, MOBILE).last_otp())
    profile = SelfDeclaredProfile(
        first_name=first_name,
        last_name="Sharma",
        year_of_birth=1980,
        gender=gender,
        state_lgd=9,
        district_lgd=162,
        pin_code="226001",
    )
    await healthid.set_profile(draft.draft_id, profile)
    handle = (await healthid.suggest_addresses(draft.draft_id))[0]
    await healthid.choose_address(draft.draft_id, handle)
    return await healthid.finish(draft.draft_id, channel="sms")


@pytest.mark.parametrize(
    ("language_code", "welcome"),
    [
        ("hi", "आरोग्य – आभा"),
        ("hi-IN", "आरोग्य – आभा"),
        ("en", "Arogya ABHA"),
        ("ru", "Arogya ABHA"),
        (None, "Arogya ABHA"),
    ],
)
async def test_the_first_language_is_telegrams(
    telegram: Telegram, language_code: str | None, welcome: str
) -> None:
    phone = TelegramPhone(telegram, user(860001, "Asha", language_code=language_code))
    assert (await phone.send("/start"))[0] == welcome


async def test_a_chosen_language_is_remembered_past_the_conversation(telegram: Telegram) -> None:
    asha = user(860002, "Asha", language_code="en")
    phone = TelegramPhone(telegram, asha)
    await phone.send("/start")
    seen = await phone.send("/language")
    assert seen == ["Language / भाषा", "[English]", "[हिंदी]"]
    assert (await phone.send("tap: हिंदी"))[0] == "भाषा: हिंदी।\nआरोग्य – आभा"
    assert await telegram.services.channels.language("telegram", str(asha["id"])) == "hi"

    await telegram.engine.forget(telegram.engine_key(asha["id"]))  # the conversation expired

    assert (await phone.send("hello"))[0] == "आरोग्य – आभा"  # Telegram says "en"
    assert (await phone.send("[sticker]"))[0].startswith("यहाँ सिर्फ़")


async def test_a_chat_that_proved_its_mobile_switches_between_its_abhas(
    telegram: Telegram,
) -> None:
    sunita = await enrol(telegram.services, "Sunita")
    ravi = await enrol(telegram.services, "Ravi", gender="M")
    chat = user(860003, "Sunita")
    phone = TelegramPhone(telegram, chat)
    await phone.send("/start")

    seen = await phone.send("tap: My ABHA")  # not linked yet: who?
    assert seen[0].startswith("Type your ABHA number, ABHA address, mobile or Aadhaar")
    await phone.send("share")
    seen = await phone.send("{otp}")
    assert seen == [
        "Whose Health ID?",
        f"[Sunita Sharma {sunita.address}]",
        f"[Ravi Sharma {ravi.address}]",
    ]
    endpoint = await telegram.services.channels.endpoint("telegram", str(chat["id"]))
    assert endpoint is not None
    assert (endpoint.mobile, endpoint.abha_number) == (MOBILE, None)
    assert (await phone.send(f"tap: Ravi Sharma {ravi.address}"))[0] == "Hello Ravi"
    reach = await telegram.services.channels.reach(sunita.abha_number)
    assert [(r.channel, r.address, r.lang) for r in reach] == [("telegram", str(chat["id"]), "en")]

    await phone.send("/menu")  # leaving My ABHA; the chat stays tied to the mobile
    seen = await phone.send("tap: My ABHA")  # linked: no OTP, a choice
    assert seen == [
        "Whose Health ID?",
        f"[Sunita Sharma {sunita.address}]",
        f"[Ravi Sharma {ravi.address}]",
        "[ABHA number or address]",
    ]
    otps = len(await telegram.services.sms.sent_to(MOBILE))
    assert (await phone.send(f"tap: Sunita Sharma {sunita.address}"))[0] == "Hello Sunita"
    assert len(await telegram.services.sms.sent_to(MOBILE)) == otps  # no new OTP
    endpoint = await telegram.services.channels.endpoint("telegram", str(chat["id"]))
    assert endpoint is not None
    assert endpoint.abha_number == sunita.abha_number
    await phone.send("tap: Log out")  # "log out" unties the chat from the mobile
    assert (await phone.send("tap: My ABHA"))[0].startswith("Type your ABHA number")
    assert await telegram.services.channels.reach(sunita.abha_number) == []


async def test_a_chat_can_still_log_in_as_someone_else(telegram: Telegram) -> None:
    sunita = await enrol(telegram.services, "Sunita")
    phone = TelegramPhone(telegram, user(860004, "Sunita"))
    for action in ("/start", "tap: My ABHA", "share", "{otp}"):
        await phone.send(action)
    await phone.send("/menu")
    await phone.send("tap: My ABHA")

    seen = await phone.send("tap: ABHA number or address")

    assert seen == ["Type your ABHA number, ABHA address, mobile or Aadhaar"]
    await phone.send(sunita.address)  # a mobile alone: she has an address, no number
    assert (await phone.send("{otp}"))[0] == "Hello Sunita"
