"""The same enrolment by SMS in Hindi, against ABDM: replies through the real outbox."""

from __future__ import annotations

from core.clock import FrozenClock
from tests.webhooks.abdm.conftest import AADHAAR, PHONE, SMS_TOKEN, Abdm, Running
from tests.webhooks.journey_phones import Inbox
from tests.webhooks.phones import RecordingSms, SmsPhone


async def test_hindi_sms_enrolment_gets_the_number_abdm_issued(
    running: Running, abdm: Abdm, clock: FrozenClock
) -> None:
    sms = SmsPhone(running.client, RecordingSms(), clock, PHONE, route="json",
                   twilio_token=None, api_token=SMS_TOKEN)  # fmt: skip
    inbox = Inbox(running.services, PHONE)
    replies: list[list[str]] = []
    for text in ("नमस्ते", "1", "1", "1", "1", AADHAAR, "{otp}", "1", "4826", "4826", "1"):
        if text == "{otp}":
            text = abdm.fake.people.last_otp(PHONE)
        await sms.send(text)
        replies.append(await inbox.new(replies=True))
    issued = abdm.fake.people.abha_of(AADHAAR)
    assert issued is not None
    assert any(f"आभा नंबर {issued.number}" in reply for reply in replies[-1]), replies[-1]
