"""A chat link acts only for the ABHAs its OTP proved, and lapses after disuse (issue 15).

What broke: a chat that proved a mobile by OTP acted for every ABHA later created on that
mobile (by SMS, USSD, a counter), without a new OTP, and received its notices; and a link never
ended, so a lost or passed-on phone's Telegram kept acting for its owner for ever.
"""

from __future__ import annotations

from datetime import timedelta

from core.clock import FrozenClock
from testing.fakes.telegram_updates import user
from tests.webhooks.telegram.phone import Telegram, TelegramPhone
from tests.webhooks.telegram.test_people import enrol


async def test_an_abha_made_later_on_the_mobile_needs_an_otp_in_the_chat(
    telegram: Telegram,
) -> None:
    person = await enrol(telegram.services, "Sunita")
    sunita = person.abha_number
    chat = user(860101, "Sunita")
    phone = TelegramPhone(telegram, chat)
    for action in ("/start", "tap: My Health ID", "share"):
        await phone.send(action)
    assert (await phone.send("{otp}"))[0] == "Hello Sunita"
    await phone.send("/menu")

    made = await enrol(telegram.services, "Ravi", gender="M")  # by SMS, on the same mobile
    ravi = made.abha_number

    seen = await phone.send("tap: My Health ID")  # no OTP: only the ABHA the chat proved
    seen = [line for line in seen if not line.startswith("SMS:")]  # Ravi's enrolment OTP
    assert seen == [
        "Whose Health ID?",
        f"[Sunita Sharma {person.address}]",
        "[ABHA number or address]",
    ]
    assert await telegram.services.channels.linked("telegram", str(chat["id"])) == [sunita]
    assert await telegram.services.channels.reach(ravi) == []  # nor his notices
    await phone.send("/menu")

    # Proving the mobile again in this chat (an OTP to it) brings Ravi in.
    await phone.send("tap: My Health ID")
    await phone.send("tap: ABHA number or address")
    await phone.send(made.address)
    assert (await phone.send("{otp}"))[0] == "Hello Ravi"
    linked = await telegram.services.channels.linked("telegram", str(chat["id"]))
    assert linked == [sunita, ravi]
    assert [r.address for r in await telegram.services.channels.reach(ravi)] == [str(chat["id"])]


async def test_a_link_lapses_after_disuse_and_use_keeps_it(
    telegram: Telegram, clock: FrozenClock
) -> None:
    sunita = (await enrol(telegram.services, "Sunita")).abha_number
    chat = user(860102, "Sunita")
    phone = TelegramPhone(telegram, chat)
    for action in ("/start", "tap: My Health ID", "share", "{otp}"):
        await phone.send(action)
    idle = timedelta(days=telegram.services.settings.channel_link_idle_days)

    for _ in range(3):  # used every so often, it lives on past the idle period
        clock.advance(seconds=(idle - timedelta(days=1)).total_seconds())
        await phone.send("/menu")
        seen = await phone.send("tap: My Health ID")
        assert seen[0] == "Whose Health ID?", seen
        await phone.send("/menu")

    clock.advance(seconds=idle.total_seconds())  # unused for the whole period: lapsed
    await telegram.engine.forget(telegram.engine_key(chat["id"]))
    await phone.send("/start")
    seen = await phone.send("tap: My Health ID")
    assert seen[0].startswith("Type your ABHA number, ABHA address, mobile or Aadhaar"), seen
    assert await telegram.services.channels.reach(sunita) == []
    endpoint = await telegram.services.channels.endpoint("telegram", str(chat["id"]))
    assert endpoint is not None
    assert (endpoint.mobile, endpoint.abha_number) == (None, None)
