"""Deleting an ABHA from Telegram, through aiogram against the fake Bot API: My Health ID ->
Deactivate or delete -> Delete for ever -> Yes -> PIN -> OTP. The chat hears it is done, the
mobile gets the SMS, the ABHA is a tombstone and the chat no longer reaches it; a deactivated
ABHA logging in from a chat is offered reactivation.
"""

from __future__ import annotations

from core.healthid.models import Person, PersonStatus
from testing.fakes.telegram_updates import user
from testing.world import PIN, World
from tests.webhooks.telegram.phone import Telegram, TelegramPhone

MOBILE = "+919876543210"


async def test_delete_from_a_chat(telegram: Telegram) -> None:
    services = telegram.services
    person = await World(services).person(MOBILE, first_name="Kamla", pin=PIN)
    phone = TelegramPhone(telegram, user(870001, "Kamla"))
    for action in ("/start", "tap: My ABHA", "share"):
        await phone.send(action)
    assert (await phone.send("{otp}"))[0] == "Hello Kamla"
    seen = await phone.send("tap: Deactivate or delete")
    assert seen == [
        "What do you want to do with your ABHA?",
        "[Deactivate (pause)]",
        "[Delete for ever]",
    ]
    assert (await phone.send("tap: Delete for ever"))[0].startswith("Deleting wipes your details")
    assert await phone.send("tap: Yes") == ["Type your 4-digit PIN"]
    assert (await phone.send(PIN))[0] == "Type the OTP sent to ******3210"
    assert (await phone.send("{otp}"))[0] == "Your ABHA is deleted. An SMS confirms it."

    assert (await services.sms.sent_to(MOBILE))[-1].message_key == "sms.leave.delete"
    events = await services.audit.events(subject=person.abha_number.replace("-", ""))
    assert {"abha.deleted", "abha.erasure_started"} <= {event.action for event in events}
    assert {event.channel for event in events if event.action == "abha.deleted"} == {"telegram"}
    tombstone = await Person.get(abha_number=person.abha_number.replace("-", ""))
    assert tombstone.status is PersonStatus.DELETED
    assert await services.channels.reach(person.abha_number) == []


async def test_a_deactivated_abha_logging_in_from_a_chat_is_offered_reactivation(
    telegram: Telegram,
) -> None:
    services = telegram.services
    person = await World(services).person(MOBILE, first_name="Kamla", pin=PIN, lang="hi")
    await services.healthid.deactivate(person.abha_number, channel="sms")
    phone = TelegramPhone(telegram, user(870002, "Kamla", language_code="hi"))
    for action in ("/start", "tap: मेरा आभा कार्ड", "share"):
        await phone.send(action)
    seen = await phone.send("{otp}")
    assert seen == ["आपका आभा बंद है।", "[फिर से चालू करें]", "[हमेशा के लिए हटाएँ]"]
    await phone.send("tap: फिर से चालू करें")
    await phone.send("tap: हाँ")
    await phone.send(PIN)
    done = await phone.send("{otp}")
    assert done[0].startswith("आपका आभा फिर से चालू हो गया।")
    assert (await services.healthid.get(person.abha_number)).status == "active"
