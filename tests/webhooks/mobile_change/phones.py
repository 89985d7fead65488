"""Two SIMs and one person: the USSD phone in their hand, and the SMS each SIM receives.

A mobile change involves two numbers (the ABHA's old mobile and the new one), and which of the
two the person dials from depends on the journey: from the old phone when it is at hand, from
the new one when the old SIM is lost. A script types `{otp:old}` or `{otp:new}`, the OTP that
number received last, and `{abha}`, the holder's ABHA number; every SMS either SIM receives is
part of the transcript, said with the SIM it reached.
"""

from __future__ import annotations

from core.clock import FrozenClock
from core.healthid.views import PersonView
from core.services import Services
from testing.healthid import enrol_with_aadhaar
from tests.running import Running
from tests.webhooks.api.conftest import health_id
from tests.webhooks.journey_phones import PHONE, Inbox
from tests.webhooks.records.helpers import PIN, GatewayUssdPhone, enrol_holder

#: The ABHA's mobile before the change (the records holder's) and the one it moves to.
OLD = PHONE
NEW = "+919123456789"
#: A UIDAI sandbox test UID (docs/design.md §7).
AADHAAR = "999999990019"


async def holder(services: Services, *, kyc: bool) -> PersonView:
    """Sunita on the old mobile, PIN 4826: self-declared, or verified by Aadhaar."""
    if not kyc:
        return await enrol_holder(services)
    return await enrol_with_aadhaar(health_id(services), AADHAAR, OLD, handle="sunita.k", pin=PIN)


class TwoSimPhone:
    def __init__(self, running: Running, clock: FrozenClock, person: PersonView, at: str) -> None:
        self.ussd = GatewayUssdPhone(running.client, clock, OLD if at == "old" else NEW)
        self.inboxes = {"old": Inbox(running.services, OLD), "new": Inbox(running.services, NEW)}
        self.abha = person.abha_number.replace("-", "")

    async def start(self) -> None:
        """The SMS of the enrolment are not part of the journey."""
        for inbox in self.inboxes.values():
            await inbox.new(replies=True)

    async def dial(self) -> list[str]:
        return [*(await self.ussd.dial()), *(await self._sms())]

    async def send(self, text: str) -> list[str]:
        for sim, inbox in self.inboxes.items():
            if f"{{otp:{sim}}}" in text:
                text = text.replace(f"{{otp:{sim}}}", await inbox.last_otp())
        text = text.replace("{abha}", self.abha)
        seen = [*(await self.ussd.send(text)), *(await self._sms())]
        return seen

    def advance(self, seconds: float) -> None:
        self.ussd.advance(seconds)

    async def _sms(self) -> list[str]:
        seen = []
        for sim, inbox in self.inboxes.items():
            seen += [f"to the {sim} SIM, {text}" for text in await inbox.new(replies=False)]
        return seen
