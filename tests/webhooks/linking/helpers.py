"""Sunita, a facility's link request waiting for her answer, and a phone that can say its code.

Why the code is a placeholder: the code is random (seeded, but any change in what draws on the
random source before it would move it), so a transcript writes "YES {code}" and the phone puts
in the code the SMS really carried; no reply shows the code, so the recorded pages stay put.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.clock import FrozenClock
from core.facilities.views import FacilityView
from core.healthid.views import PersonView
from core.services import Services
from testing.golden import Phone, Weighed
from testing.linking import sent_link_code
from testing.world import World
from tests.running import Running
from tests.webhooks.journey_phones import PHONE
from tests.webhooks.records.helpers import enrol_holder, phone_on

FACILITY = "Sanjeevani Hospital"


@dataclass(frozen=True)
class Asked:
    person: PersonView
    facility: FacilityView
    request_id: str
    code: str


async def ask(services: Services) -> Asked:
    """Sunita enrolled (PIN 4826), and Sanjeevani Hospital's request for her, SMS sent."""
    person = await enrol_holder(services)
    facility = await World(services).facility(FACILITY)
    request = await services.links.request(facility, abha_address=person.address)
    return Asked(person, facility, request.id, await sent_link_code(services, PHONE))


class Saying:
    """A phone that replaces "{code}" in what it sends with the request's code."""

    def __init__(self, phone: Phone, code: str) -> None:
        self.phone = phone
        self.code = code

    async def dial(self) -> list[str]:
        return await self.phone.dial()

    async def send(self, text: str) -> list[str]:
        return await self.phone.send(text.replace("{code}", self.code))

    def advance(self, seconds: float) -> None:
        self.phone.advance(seconds)


async def answering_phone(
    channel: str, running: Running, clock: FrozenClock, code: str
) -> tuple[Saying, Weighed]:
    """A journey phone on `channel` (its inbox read so far), weighed after every hop."""
    weighed = await phone_on(channel, running, clock)
    return Saying(weighed, code), weighed
