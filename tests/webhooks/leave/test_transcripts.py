"""Golden transcripts of deactivate, reactivate and delete over the real USSD and SMS endpoints,
in English and Hindi: every page and every SMS, each USSD page within its budget, the state
under 1 KB. The holder (PIN 4826) is enrolled on the journey phone before the script runs; a
script `given: deactivated` starts from a deactivated ABHA; a Hindi one is on a Hindi circle
(USSD) or has `lang: hi` (SMS: the holder's language). Re-record an intended change with
`pytest tests/webhooks/leave --update-golden`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from core.clock import FrozenClock
from core.errors import ArogyaError
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

SCRIPTS = scripts("leave", "ussd", "sms")


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
    lang = script.get("lang", "hi" if script.get("network") == "40410" else "en")
    person = await World(services).person(PHONE, first_name="Kamla", pin=PIN, lang=lang)
    if script.get("given") == "deactivated":
        await services.healthid.deactivate(person.abha_number, channel="ussd")
    phone: Phone
    if script["channel"] == "sms":
        phone = JourneySmsPhone(running.client, services, clock)
        await phone.inbox.new(replies=True)  # the enrolment's SMS are not part of the journey
    else:
        phone = JourneyUssdPhone(
            running.client, services, clock, script.get("network", ENGLISH_CIRCLE)
        )
    weighed = Weighed(phone, state, f"conv:{script['channel']}:{PHONE}")
    await replay(path, weighed, update=wants_update(request.config))
    assert weighed.heaviest > 0
    expected = {"_deactivate": "deactivated", "_reactivate": "active"}
    for infix, status in expected.items():
        if infix in path.stem:
            assert (await services.healthid.get(person.abha_number)).status == status
    if "_delete" in path.stem:
        with pytest.raises(ArogyaError) as gone:
            await services.healthid.get(person.abha_number)
        assert gone.value.code == "abha.deleted"


def test_every_journey_has_been_recorded() -> None:
    assert SCRIPTS, "no journeys"
    for path in SCRIPTS:
        assert_recorded(path)
