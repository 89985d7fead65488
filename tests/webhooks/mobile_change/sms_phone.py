"""The two SIMs of a mobile change when the person texts from one of them (SMS, not USSD).

Like `TwoSimPhone`, but the conversation is SMS from the SIM in hand (`at`): its replies arrive
as SMS on that SIM and show plainly, every other SMS either SIM receives is said with the SIM it
reached. A script types `{otp:old}`, `{otp:new}` and `{abha}` as in the USSD scripts.
"""

from __future__ import annotations

from core.clock import FrozenClock
from core.healthid.views import PersonView
from tests.running import SMS_TOKEN, TWILIO_TOKEN, Running
from tests.webhooks.journey_phones import Inbox
from tests.webhooks.mobile_change.phones import NEW, OLD
from tests.webhooks.phones import RecordingSms, SmsPhone


class TwoSimSmsPhone:
    def __init__(self, running: Running, clock: FrozenClock, person: PersonView, at: str) -> None:
        self.at = at
        self.number = OLD if at == "old" else NEW
        self.sms = SmsPhone(
            running.client,
            RecordingSms(),
            clock,
            self.number,
            route="json",
            twilio_token=TWILIO_TOKEN,
            api_token=SMS_TOKEN,
        )
        self.inboxes = {"old": Inbox(running.services, OLD), "new": Inbox(running.services, NEW)}
        self.abha = person.abha_number.replace("-", "")

    async def start(self) -> None:
        """The SMS of the enrolment are not part of the journey."""
        for inbox in self.inboxes.values():
            await inbox.new(replies=True)

    async def dial(self) -> list[str]:
        raise AssertionError("SMS has no sessions to dial")

    async def send(self, text: str) -> list[str]:
        for sim, inbox in self.inboxes.items():
            if f"{{otp:{sim}}}" in text:
                text = text.replace(f"{{otp:{sim}}}", await inbox.last_otp())
        await self.sms.send(text.replace("{abha}", self.abha))
        seen: list[str] = []
        for sim, inbox in self.inboxes.items():
            for line in await inbox.new(replies=sim == self.at):
                seen.append(line if not line.startswith("SMS: ") else f"to the {sim} SIM, {line}")
        return seen

    def advance(self, seconds: float) -> None:
        self.sms.advance(seconds)
