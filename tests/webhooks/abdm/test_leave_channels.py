"""Deactivating and deleting an ABDM ABHA over the real USSD and SMS endpoints, in English
and Hindi.

The holder logs in through ABDM (My ABHA card -> this mobile -> ABDM's OTP), picks the action,
gives Arogya's PIN, then types ABDM's two OTPs on the same OTP page: the first is answered with
"one more OTP was sent", the second ends the session. ABDM not answering is
said in the person's language, the OTP page stays, and the same code then finishes the job.
Reactivation is refused with a translated reply when the PIN is given, before it is read.
"""

from __future__ import annotations

from core.clock import FrozenClock
from core.healthid.models import Person, PersonStatus
from tests.webhooks.abdm.conftest import PHONE, SMS_TOKEN, Abdm, AbdmUssdPhone, Running
from tests.webhooks.abdm.test_faults import finish, start
from tests.webhooks.journey_phones import Inbox
from tests.webhooks.phones import ENGLISH_CIRCLE, HINDI_CIRCLE, RecordingSms, SmsPhone

PIN = "4826"
VERIFY = "/abha/api/v3/profile/account/verify"
#: My ABHA card, this mobile, ABDM's login OTP, the menu's second page, "Deactivate or delete".
TO_LEAVE = ("2", "1", "{otp}", "98", "8")


async def logged_in(
    running: Running, abdm: Abdm, clock: FrozenClock, network: str
) -> tuple[AbdmUssdPhone, str]:
    """A mirrored ABDM ABHA with a PIN, its holder at the leave menu over USSD."""
    number = await finish(running.services, abdm, await start(running.services))
    await running.services.healthid.set_pin(number, PIN, channel="cli")
    lang = "hi" if network == HINDI_CIRCLE else "en"
    await Person.filter(abha_number=number).update(language=lang)
    phone = AbdmUssdPhone(running, abdm, clock, network=network)
    await phone.dial()
    for text in TO_LEAVE:
        await phone.send(text)
    return phone, number


async def status(number: str) -> PersonStatus:
    return (await Person.get(abha_number=number)).status


async def test_english_deactivation_over_ussd(
    running: Running, abdm: Abdm, clock: FrozenClock
) -> None:
    phone, number = await logged_in(running, abdm, clock, ENGLISH_CIRCLE)
    pages = [await phone.send(text) for text in ("1", "1", PIN, "{otp}")]
    assert pages[2] == "CON Type the OTP sent to ******3210\n1. Send OTP again"
    assert pages[3] == (
        "CON One more OTP was sent.\nType the OTP sent to ******3210\n1. Send OTP again"
    )
    assert await status(number) == PersonStatus.ACTIVE  # nothing yet: one OTP of two
    done = await phone.send("{otp}")
    assert done.startswith("END Your ABHA is deactivated")
    assert await status(number) == PersonStatus.DEACTIVATED
    formatted = f"{number[:2]}-{number[2:6]}-{number[6:10]}-{number[10:]}"
    assert abdm.fake.people.abhas[formatted].status == "DEACTIVATED"
    sent = await running.services.sms.sent_to(PHONE)
    assert [row.message_key for row in sent].count("sms.leave.deactivate_abdm") == 1


async def test_hindi_deletion_over_ussd_survives_abdm_not_answering(
    running: Running, abdm: Abdm, clock: FrozenClock
) -> None:
    phone, number = await logged_in(running, abdm, clock, HINDI_CIRCLE)
    for text in ("98", "2", "98", "1", PIN):
        await phone.send(text)
    second = await phone.send("{otp}")
    assert second.startswith("CON एक और OTP भेजा गया है।\n******3210 पर आया OTP लिखें")
    code = abdm.fake.people.last_otp(PHONE)
    abdm.fake.fail_next[VERIFY] = (503, {"error": {"code": "ABDM-1200", "message": "down"}})
    down = await phone.send(code)
    assert down.startswith("CON राष्ट्रीय आभा सेवा जवाब नहीं दे रही है।")
    assert await status(number) == PersonStatus.ACTIVE
    done = await phone.send(code)
    assert done.startswith("END आपका आभा हटा दिया गया।")
    assert await status(number) == PersonStatus.DELETED
    assert abdm.fake.calls.count(VERIFY) == 2


async def test_reactivation_is_refused_in_hindi_before_the_pin_is_read(
    running: Running, abdm: Abdm, clock: FrozenClock
) -> None:
    phone, number = await logged_in(running, abdm, clock, HINDI_CIRCLE)
    for text in ("1", "1", PIN, "{otp}", "{otp}"):
        await phone.send(text)
    assert await status(number) == PersonStatus.DEACTIVATED
    phone = AbdmUssdPhone(running, abdm, clock, network=HINDI_CIRCLE)
    await phone.dial()
    pages = [await phone.send(text) for text in (*TO_LEAVE[:3], "1", "1", "0000")]
    assert pages[2].startswith("CON आपका आभा बंद है।\n1. फिर से चालू करें")
    assert pages[-1].startswith("CON राष्ट्रीय सेवा का आभा अभी यहाँ से फिर चालू नहीं हो सकता।")
    row = await Person.get(abha_number=number)
    assert (row.status, row.pin_failures) == (PersonStatus.DEACTIVATED, 0)  # PIN never read


async def test_english_deletion_by_sms(running: Running, abdm: Abdm, clock: FrozenClock) -> None:
    number = await finish(running.services, abdm, await start(running.services))
    await running.services.healthid.set_pin(number, PIN, channel="cli")
    await Person.filter(abha_number=number).update(language="en")
    sms = SmsPhone(running.client, RecordingSms(), clock, PHONE, route="json",
                   twilio_token=None, api_token=SMS_TOKEN)  # fmt: skip
    inbox = Inbox(running.services, PHONE)
    replies: list[list[str]] = []
    for text in ("Hi", "2", "1", "{otp}", "8", "2", "1", PIN, "{otp}", "{otp}"):
        if text == "{otp}":
            text = abdm.fake.people.last_otp(PHONE)
        await sms.send(text)
        replies.append(await inbox.new(replies=True))
    assert replies[-2] == [
        "One more OTP was sent.\nType the OTP sent to ******3210\n1. Send OTP again"
    ]
    assert replies[-1][-1].startswith("Your ABHA is deleted")
    assert await status(number) == PersonStatus.DELETED
    formatted = f"{number[:2]}-{number[2:6]}-{number[6:10]}-{number[10:]}"
    assert formatted in abdm.fake.deleted_abhas
