"""A doctor registering by conversation: what the registry holds afterwards, how the council's
decision reaches them, and how a refusal at the very end is put right without typing
everything again. The whole SMS conversations, in both languages, are in tests/golden/doctors/."""

from __future__ import annotations

from core.clock import FrozenClock
from core.notify.models import Notification
from core.professionals.models import Professional
from tests.flows.find.chat import Chat
from tests.flows.find.seed import REGISTRAR, Directory, doctor, paediatrician

PHONE = "+919876543210"
CHAT_ID = "5550001"


async def answer_up_to_the_check(chat: Chat, *, mobile: str = PHONE) -> str:
    """DOCTOR, then every answer (the mobile proved by OTP); what the first check says."""
    await chat.run("DOCTOR", "1", "Asha Rao")
    if chat.key.channel == "telegram":
        await chat.say(contact=mobile)
    else:
        await chat.say("1")
    await chat.say(await chat.otp(mobile))
    return await chat.run(
        "0", "UP", "UP/2012/5678", "2012", "MBBS", "KGMU", "KGMU", "2010", "3", "1", "11", "0"
    )


async def test_on_telegram_the_mobile_is_shared_and_the_decision_comes_to_the_chat(
    telegram_chat: Chat, directory: Directory
) -> None:
    await telegram_chat.run("DOCTOR", "1", "Asha Rao")
    assert telegram_chat.last.request_contact
    assert "Type your 10-digit mobile number" in await telegram_chat.say("not a phone")
    checked = await answer_up_to_the_check(telegram_chat)
    assert checked.startswith("Please check:\nAsha Rao, mobile 9876543210\n")
    done = await telegram_chat.run("1", "1")
    assert telegram_chat.last.end
    (row,) = await Professional.filter(mobile=PHONE)
    assert done.startswith("Thank you, Asha Rao.")
    assert (row.registered_channel, row.registered_by) == ("telegram", f"telegram:{CHAT_ID}")
    assert (row.notify_channel, row.notify_address, row.mobile) == ("telegram", CHAT_ID, PHONE)
    await telegram_chat.services.professionals.verify(row.hpr_id, REGISTRAR, channel="web")
    notice = await Notification.get(address=CHAT_ID)
    assert (notice.channel, notice.address) == ("telegram", CHAT_ID)


async def test_by_sms_the_decision_is_sent_by_sms_in_the_doctors_language(
    sms_chat: Chat, directory: Directory
) -> None:
    await sms_chat.say("HINDI")
    await answer_up_to_the_check(sms_chat)
    await sms_chat.run("1", "1")
    (row,) = await Professional.filter(mobile=PHONE)
    assert (row.notify_channel, row.notify_address, row.language) == ("sms", PHONE, "hi")
    services = sms_chat.services
    await services.professionals.reject(
        row.hpr_id, REGISTRAR, "पंजीकरण नंबर मेल नहीं खाता", channel="web"
    )
    await services.notifier.deliver_due()
    (sms,) = [r for r in await services.sms.sent_to(PHONE) if r.message_key.startswith("hpr.")]
    assert "उत्तर प्रदेश" in sms.text
    assert "पंजीकरण नंबर मेल नहीं खाता" in sms.text


async def test_a_number_registered_meanwhile_is_typed_again_and_the_check_follows(
    sms_chat: Chat, directory: Directory
) -> None:
    await answer_up_to_the_check(sms_chat)
    clinic = directory.facilities["Arogya Clinic"]
    rival = paediatrician("Ravi Rao", "+919811100030", "UP/2012/5678", clinic)
    await doctor(sms_chat.services, rival, verified=False)
    refused = await sms_chat.run("1", "1")
    assert refused.startswith(
        "This registration number is already registered with this "
        "council.\nYour registration number with the council"
    )
    checked = await sms_chat.say("UP/2012/5679")
    assert "Registration no. UP/2012/5679 (2012)" in checked
    assert (await sms_chat.run("1", "1")).startswith("Thank you, Asha Rao.")
    assert await Professional.filter(registration_number="UP/2012/5679").count() == 1


async def test_a_stale_mobile_proof_is_renewed_and_the_check_follows(
    sms_chat: Chat, directory: Directory, clock: FrozenClock
) -> None:
    await answer_up_to_the_check(sms_chat)
    await sms_chat.say("1")
    clock.advance(minutes=29)
    await sms_chat.say("help")  # the conversation stays alive; the proof (30 min) does not
    clock.advance(minutes=2)
    refused = await sms_chat.say("1")
    assert refused.startswith("Your mobile check has expired.")
    await sms_chat.say("1")
    checked = await sms_chat.say(await sms_chat.otp(PHONE))
    assert checked.startswith("Please check:")
    assert (await sms_chat.run("1", "1")).startswith("Thank you")
    assert await Professional.filter(mobile=PHONE).count() == 1


async def test_an_expired_otp_is_replaced_and_one_can_be_asked_for_again(
    sms_chat: Chat, directory: Directory, clock: FrozenClock
) -> None:
    await sms_chat.run("DOCTOR", "1", "Asha Rao", "1")
    first = await sms_chat.otp(PHONE)
    clock.advance(minutes=11)
    renewed = await sms_chat.say(first)
    assert renewed.startswith("That OTP is no longer valid: a new one was sent to ******3210.")
    second = await sms_chat.otp(PHONE)
    assert second != first
    clock.advance(seconds=61)
    assert (await sms_chat.say("1")).startswith("A new OTP was sent to ******3210.")
    assert "Tries left: 4" in await sms_chat.say(second)
    assert (await sms_chat.say(await sms_chat.otp(PHONE))).startswith("Your email address")


async def test_start_again_forgets_every_answer_and_find_instead_leads_to_the_search(
    sms_chat: Chat, directory: Directory
) -> None:
    await answer_up_to_the_check(sms_chat)
    assert await sms_chat.say("2") == "Your full name, as your medical council has it"
    assert await sms_chat.say("MENU")
    said = await sms_chat.run("DOCTOR", "2")
    assert said.startswith("What kind of doctor?")
    assert not await Professional.exists(mobile=PHONE)
