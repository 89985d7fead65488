"""Phones for whole Health ID journeys: every page the person sees, and every SMS they get.

They wrap the channel phones of tests/webhooks and add two things a real person has: the SMS
inbox (read from the outbox, so the OTP is part of the transcript) and the habit of typing the
OTP they just received, written `{otp}` in a script.
"""

from __future__ import annotations

import re

from core.clock import FrozenClock
from core.services import Services
from core.sms.templates import REPLY_TEMPLATE_KEY
from tests.running import SMS_TOKEN, TWILIO_TOKEN
from tests.webhooks.phones import ENGLISH_CIRCLE, Client, RecordingSms, SmsPhone, UssdPhone

OTP = re.compile(r"\b(\d{6})\b")
PHONE = "+919876543210"


class Inbox:
    """The SMS this phone has received, from the outbox, oldest first."""

    def __init__(self, services: Services, phone: str) -> None:
        self.services = services
        self.phone = phone
        self.seen = 0

    async def new(self, *, replies: bool) -> list[str]:
        sent = await self.services.sms.sent_to(self.phone)
        fresh = sent[self.seen :]
        self.seen = len(sent)
        return [
            row.text if row.message_key == REPLY_TEMPLATE_KEY else f"SMS: {row.text}"
            for row in fresh
            if replies or row.message_key != REPLY_TEMPLATE_KEY
        ]

    async def last_otp(self) -> str:
        for row in reversed(await self.services.sms.sent_to(self.phone)):
            if row.message_key.startswith("sms.otp"):
                found = OTP.search(row.text)
                assert found, row.text
                return found.group(1)
        raise AssertionError("no OTP was sent to this phone")


class JourneyUssdPhone:
    def __init__(
        self, client: Client, services: Services, clock: FrozenClock, network: str = ENGLISH_CIRCLE
    ) -> None:
        self.ussd = UssdPhone(client, clock, PHONE, network=network)
        self.inbox = Inbox(services, PHONE)

    async def dial(self) -> list[str]:
        return [*(await self.ussd.dial()), *(await self.inbox.new(replies=False))]

    async def send(self, text: str) -> list[str]:
        if "{otp}" in text:
            text = text.replace("{otp}", await self.inbox.last_otp())
        return [*(await self.ussd.send(text)), *(await self.inbox.new(replies=False))]

    def advance(self, seconds: float) -> None:
        self.ussd.advance(seconds)


class JourneySmsPhone:
    """SMS over the JSON webhook; the replies come back through the real outbox."""

    def __init__(self, client: Client, services: Services, clock: FrozenClock) -> None:
        self.sms = SmsPhone(
            client,
            RecordingSms(),
            clock,
            PHONE,
            route="json",
            twilio_token=TWILIO_TOKEN,
            api_token=SMS_TOKEN,
        )
        self.inbox = Inbox(services, PHONE)

    async def dial(self) -> list[str]:
        raise AssertionError("SMS has no sessions to dial")

    async def send(self, text: str) -> list[str]:
        if "{otp}" in text:
            text = text.replace("{otp}", await self.inbox.last_otp())
        await self.sms.send(text)
        return await self.inbox.new(replies=True)

    def advance(self, seconds: float) -> None:
        self.sms.advance(seconds)
