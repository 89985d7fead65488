"""Golden transcripts of "find a facility", "find a doctor" and a doctor's registration over
the real USSD and SMS endpoints, in English and Hindi.

Each file in tests/golden/find/ and tests/golden/doctors/ is one journey: every page the person
sees and every SMS they receive, with every USSD page held to its budget and the conversation's
state under 1 KB. In a script, `{otp}` is the OTP the phone last received and
`{facility:<name>}` the HFR id of a seeded facility. A registration script's `registered` names
what the registry must hold afterwards (its `places` by facility name); any other script must
leave no registration behind. Re-record an intended change with
`pytest tests/webhooks/find --update-golden`.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from core.clock import FrozenClock
from core.professionals.models import ProfessionalStatus
from core.state import StateStore
from testing.golden import (
    Phone,
    Weighed,
    assert_recorded,
    each_script,
    load,
    replay,
    scripts,
    wants_update,
)
from tests.flows.find.seed import Directory
from tests.running import Running
from tests.webhooks.journey_phones import PHONE, JourneySmsPhone, JourneyUssdPhone

SCRIPTS = scripts("find", "ussd", "sms") + scripts("doctors", "ussd", "sms")
FACILITY = re.compile(r"\{facility:([^}]+)\}")


class FilledIn:
    """A phone that types a seeded facility's id where a script says `{facility:<name>}`."""

    def __init__(self, phone: Phone, directory: Directory) -> None:
        self.phone = phone
        self.directory = directory

    async def dial(self) -> list[str]:
        return await self.phone.dial()

    async def send(self, text: str) -> list[str]:
        filled = FACILITY.sub(lambda found: self.directory.facilities[found.group(1)], text)
        return await self.phone.send(filled)

    def advance(self, seconds: float) -> None:
        self.phone.advance(seconds)


@each_script(SCRIPTS)
async def test_journey(
    path: Path,
    running: Running,
    directory: Directory,
    clock: FrozenClock,
    state: StateStore,
    request: pytest.FixtureRequest,
) -> None:
    script = load(path)
    phone: Phone
    if script["channel"] == "ussd":
        phone = JourneyUssdPhone(running.client, running.services, clock)
    else:
        phone = JourneySmsPhone(running.client, running.services, clock)
    weighed = Weighed(FilledIn(phone, directory), state, f"conv:{script['channel']}:{PHONE}")
    await replay(path, weighed, update=wants_update(request.config))
    registered = await running.services.professionals.by_mobile(PHONE)
    expected = script.get("registered")
    if expected is None:
        assert registered == []
        return
    (doctor,) = registered
    assert doctor.status is ProfessionalStatus.PENDING
    assert doctor.registered_channel == script["channel"]
    want = dict(expected)
    places = [directory.facilities[name] for name in want.pop("places", [])]
    assert list(doctor.facility_ids) == places
    assert {field: getattr(doctor, field) for field in want} == want


def test_every_journey_has_been_recorded() -> None:
    assert len(SCRIPTS) >= 6
    channels = {(load(path)["channel"], path.stem.rsplit("_", 1)[-1]) for path in SCRIPTS}
    assert channels == {("ussd", "en"), ("ussd", "hi"), ("sms", "en"), ("sms", "hi")}
    for path in SCRIPTS:
        assert_recorded(path)
