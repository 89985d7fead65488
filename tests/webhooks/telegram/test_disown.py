""" "This wasn't me" from a Telegram chat, through aiogram against the fake Bot API. A chat
proves a mobile only by an OTP, so: Help -> ABHA made without me -> Yes -> the mobile (typed
or shared) -> its OTP -> the list of that mobile's young ABHAs (last four digits and the day
made) -> the one to delete. No PIN and no login anywhere: the owner never knew the PIN.
"""

from __future__ import annotations

from core.clock import FrozenClock
from core.healthid.models import Person, PersonStatus
from testing.fakes.telegram_updates import user
from testing.world import PIN, World
from tests.webhooks.telegram.phone import Telegram, TelegramPhone

MOBILE = "+919876543210"


async def test_a_chat_proves_the_mobile_then_picks_the_abha(
    telegram: Telegram, clock: FrozenClock
) -> None:
    services = telegram.services
    world = World(services)
    kamla = await world.person(MOBILE, first_name="Kamla", pin=PIN)
    clock.advance(days=1)
    ravi = await world.person(MOBILE, first_name="Ravi", handle="ravi.kumar88", pin=PIN)
    clock.advance(days=1)
    phone = TelegramPhone(telegram, user(870101, "Kamla"))
    await phone.send("/start")
    assert "[ABHA made without me]" in await phone.send("tap: Help")
    warned = await phone.send("tap: ABHA made without me")
    assert warned[0].startswith("Was an ABHA made on your mobile number without you knowing?")
    assert (await phone.send("tap: Yes, delete it"))[0].startswith("Type the 10-digit mobile")
    assert "Type the OTP sent to ******3210" in await phone.send("share")
    assert (await phone.send("111111"))[0].startswith("That OTP is not correct")
    listed = await phone.send("{otp}")
    kamla_last4, ravi_last4 = kamla.abha_number[-4:], ravi.abha_number[-4:]
    assert listed == [
        "Which ABHA was made without you? It is deleted for ever.",
        f"[ABHA ending {ravi_last4}, made 16-01-2026]",
        f"[ABHA ending {kamla_last4}, made 15-01-2026]",
        "[None, keep them]",
    ], listed
    assert not any("Kamla" in line or "Ravi" in line for line in listed)
    done = await phone.send(f"tap: ABHA ending {kamla_last4}, made 15-01-2026")
    assert done[0] == f"The ABHA ending {kamla_last4} is deleted. An SMS confirms it."

    gone = await Person.get(abha_number=kamla.abha_number.replace("-", ""))
    assert gone.status is PersonStatus.DELETED
    assert (await services.healthid.get(ravi.abha_number)).status == "active"
    assert (await services.sms.sent_to(MOBILE))[-1].message_key == "sms.leave.delete"
    events = await services.audit.events(action="abha.disowned")
    assert [(e.subject, e.channel) for e in events] == [
        (kamla.abha_number.replace("-", ""), "telegram")
    ]


async def test_a_number_the_chat_cannot_prove_deletes_nothing(telegram: Telegram) -> None:
    services = telegram.services
    kamla = await World(services).person(MOBILE, first_name="Kamla", pin=PIN)
    phone = TelegramPhone(telegram, user(870102, "Stranger"))
    await phone.send("NOT ME")
    await phone.send("tap: Yes, delete it")
    assert "Type the OTP sent to ******3210" in await phone.send("98765 43210")
    for _ in range(3):
        await phone.send("000000")
    assert (await services.healthid.get(kamla.abha_number)).status == "active"
    assert await services.audit.events(action="abha.disowned") == []
