""" "This wasn't me" over the real SMS webhook: golden transcripts in English and Hindi (the
ABHA was made on the journey phone 3 days before), and the bad inputs through the same entry
point: past the window, and from a mobile that holds no young ABHA. Re-record with
`pytest tests/webhooks/leave/test_disown.py --update-golden`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from core.clock import FrozenClock
from core.healthid.models import Person, PersonStatus
from core.state import StateStore
from testing.golden import (
    Weighed,
    assert_recorded,
    each_script,
    load,
    replay,
    scripts,
    wants_update,
)
from testing.world import PIN, World
from tests.running import Running
from tests.webhooks.journey_phones import PHONE, JourneySmsPhone

SCRIPTS = scripts("leave", "sms")


@each_script(SCRIPTS)
async def test_journey(
    path: Path,
    running: Running,
    clock: FrozenClock,
    state: StateStore,
    request: pytest.FixtureRequest,
) -> None:
    load(path)
    services = running.services
    person = await World(services).person(PHONE, first_name="Kamla", pin=PIN)
    clock.advance(days=3)
    phone = JourneySmsPhone(running.client, services, clock)
    weighed = Weighed(phone, state, f"conv:sms:{PHONE}")
    await replay(path, weighed, update=wants_update(request.config))
    assert weighed.heaviest > 0
    if path.stem.startswith("sms_disown"):
        number = person.abha_number.replace("-", "")
        assert (await Person.get(abha_number=number)).status is PersonStatus.DELETED
        assert await services.audit.events(action="abha.disowned")


def test_every_journey_has_been_recorded() -> None:
    assert SCRIPTS, "no journeys"
    for path in SCRIPTS:
        assert_recorded(path)


async def test_past_the_window_the_owner_is_sent_to_the_pin_path(
    running: Running, clock: FrozenClock
) -> None:
    services = running.services
    person = await World(services).person(PHONE, pin=PIN)
    clock.advance(days=31)
    phone = JourneySmsPhone(running.client, services, clock)
    await phone.send("NOT ME")
    replies = await phone.send("1")
    assert any("No ABHA made in the last 30 days" in r for r in replies), replies
    assert not any("OTP" in r for r in replies)
    assert (await services.healthid.get(person.abha_number)).status == "active"


async def test_from_another_mobile_the_abha_is_untouched(
    running: Running, clock: FrozenClock
) -> None:
    services = running.services
    person = await World(services).person("+919812345678", pin=PIN)
    phone = JourneySmsPhone(running.client, services, clock)  # PHONE holds no ABHA
    await phone.send("NOT ME")
    replies = await phone.send("1")
    assert any("No ABHA made" in r for r in replies), replies
    assert (await services.healthid.get(person.abha_number)).status == "active"
    assert await services.audit.events(action="abha.disowned") == []
