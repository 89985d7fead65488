""" "This wasn't me" over the real SMS and USSD webhooks: golden transcripts in English and
Hindi (the ABHA was made on the journey phone 3 days before; a script `given: two` has two,
made 3 and 2 days before), and the bad inputs through the same entry points: past the window,
and from a mobile that holds no young ABHA. On USSD it is reached from Help, with no login.
Re-record with `pytest tests/webhooks/leave/test_disown.py --update-golden`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from core.clock import FrozenClock
from core.healthid.models import Person, PersonStatus
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
from testing.world import PIN, World
from tests.running import Running
from tests.webhooks.journey_phones import PHONE, JourneySmsPhone, JourneyUssdPhone
from tests.webhooks.phones import ENGLISH_CIRCLE

SCRIPTS = scripts("disown", "sms", "ussd")


def compact(number: str) -> str:
    return number.replace("-", "")


@each_script(SCRIPTS)
async def test_journey(
    path: Path,
    running: Running,
    clock: FrozenClock,
    state: StateStore,
    request: pytest.FixtureRequest,
) -> None:
    script = load(path)
    services = running.services
    lang = "hi" if script.get("network") == "40410" else "en"
    world = World(services)
    person = await world.person(PHONE, first_name="Kamla", pin=PIN, lang=lang)
    other = None
    if script.get("given") == "two":
        clock.advance(days=1)
        other = await world.person(
            PHONE, first_name="Ravi", handle="ravi.kumar88", pin=PIN, lang=lang
        )
        clock.advance(days=2)
    else:
        clock.advance(days=3)
    phone: Phone
    if script["channel"] == "ussd":
        network = script.get("network", ENGLISH_CIRCLE)
        phone = JourneyUssdPhone(running.client, services, clock, network)
    else:
        phone = JourneySmsPhone(running.client, services, clock)
    weighed = Weighed(phone, state, f"conv:{script['channel']}:{PHONE}")
    await replay(path, weighed, update=wants_update(request.config))
    assert weighed.heaviest > 0
    # every script deletes Kamla's (the older one, second in a list) and no other
    assert (await Person.get(abha_number=compact(person.abha_number))).status is (
        PersonStatus.DELETED
    )
    if other is not None:
        assert (await services.healthid.get(other.abha_number)).status == "active"
    disowned = await services.audit.events(action="abha.disowned")
    assert [event.subject for event in disowned] == [compact(person.abha_number)]


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
