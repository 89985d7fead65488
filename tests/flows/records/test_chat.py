"""My records on a chat channel (Telegram's shape: buttons, a shared contact, no pages to keep):
the whole summary in one reply, the FHIR document attached only when its download is chosen,
the PIN asked even when the chat is already tied to the holder's mobile, and every read audited
on the chat's channel.

Driven through the engine, as the Telegram channel drives it; the channel itself (bot/) renders
the reply and resolves the `fhir_document` attachment."""

from __future__ import annotations

from core.services import Services
from flows import Attachment, ConversationKey, Engine, Input, Reply, msg
from flows.registry import health_engine
from testing.healthid import last_otp
from tests.running import Running
from tests.webhooks.journey_phones import PHONE
from tests.webhooks.records.helpers import PIN, Holder, summary_lines

CHAT = ConversationKey("telegram", "424242")
NEWEST = "OP_Consultation_fhir_bundle.json"


async def say(engine: Engine[Services], answer: Input) -> Reply:
    return await engine.handle(CHAT, answer)


async def test_a_chat_gets_the_whole_summary_and_the_document(
    running: Running, holder: Holder
) -> None:
    services = running.services
    engine = health_engine(services)
    await say(engine, Input(text="hi"))
    asked = await say(engine, Input(choice="records"))
    assert asked.request_contact
    assert asked.messages == (msg("flows.myid.identifier"),)
    await say(engine, Input(contact=PHONE))
    assert (await say(engine, Input(text=await last_otp(services.sms, PHONE)))).messages == (
        msg("recordsflow.pin.ask"),
    )
    listed = await say(engine, Input(text=PIN))
    # a chat lists all eight on one page (a phone, three a page)
    assert [choice.id for choice in listed.choices] == [*"12345678", "types"]

    record = holder.records[NEWEST]
    shown = await say(engine, Input(choice="1"))
    assert shown.messages == (msg("engine.verbatim", text="\n".join(summary_lines(NEWEST, "en"))),)
    assert [choice.id for choice in shown.choices] == ["file", "list"]  # whole: no "read on"
    assert shown.choices[0].label_key == "recordsflow.fhir_file"
    assert shown.attachments == ()  # the file goes only on request
    reads = await services.audit.events(subject=holder.abha, action="record.read")
    assert [(event.channel, event.detail["record"]) for event in reads] == [("telegram", record.id)]

    download = await say(engine, Input(choice="file"))
    assert download.attachments == (Attachment("fhir_document", record.id),)
    assert (download.messages, download.choices) == (shown.messages, shown.choices)
    assert (await say(engine, Input(text="help"))).attachments == ()  # once, not on every reply

    # Back later: the chat proved the mobile, so no OTP; the PIN is asked all the same.
    await say(engine, Input(text="MENU"))
    offered = await say(engine, Input(choice="records"))
    assert [choice.id for choice in offered.choices] == ["1", "other"]
    assert (await say(engine, Input(choice="1"))).messages == (msg("recordsflow.pin.ask"),)
    assert (await say(engine, Input(text=PIN))).choices[0].label_key.startswith("recordsflow.item.")
