"""Golden transcripts of "My records" over the real USSD and SMS endpoints, in both languages.

Each file in tests/golden/records/ is one journey: every page the person sees and every SMS they
receive, hop by hop, with every USSD page checked against its budget and the conversation's
stored state held under 1 KB after every hop. A script's `setup` says who is talking: by default
Sunita, PIN 4826, with the eight ABDM example records; `"pin": null` for a holder who never set
a PIN, `"records": false` for one with no records yet, `"records": "medicines"` for one with
only the prescription whose doses are coded (`testing.records.MEDICINES_FIXTURE`), `"lang":
"hi"` for one whose stored language is Hindi. `facts` are words the transcript must show
(clinical facts of the records read in it), checked on top of the recorded pages so that a
re-recording cannot quietly lose them. Re-record an intended change with
`pytest tests/webhooks/records --update-golden`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from core.clock import FrozenClock
from testing.facilities import verified_facility
from testing.golden import assert_recorded, each_script, load, replay, scripts, wants_update
from testing.records import MEDICINES_FIXTURE
from tests.running import Running
from tests.webhooks.records.helpers import PIN, enrol_holder, phone_on, push, push_every_fixture

SCRIPTS = scripts("records", "ussd", "sms")


@each_script(SCRIPTS)
async def test_journey(
    path: Path, running: Running, clock: FrozenClock, request: pytest.FixtureRequest
) -> None:
    script = load(path)
    setup = script.get("setup", {})
    person = await enrol_holder(
        running.services, pin=setup.get("pin", PIN), lang=setup.get("lang", "en")
    )
    records = setup.get("records", True)
    if records == "medicines":  # only the prescription with coded doses (and one free text)
        facility, _ = await verified_facility(running.services.facilities)
        await push(running.services, person, MEDICINES_FIXTURE, "VISIT-MED", facility)
    elif records:
        await push_every_fixture(running.services, person)
    phone = await phone_on(script["channel"], running, clock)
    await replay(path, phone, update=wants_update(request.config))
    assert phone.heaviest > 0
    shown = " ".join(page for hop in load(path)["hops"] for page in hop.get("expect", []))
    for fact in script.get("facts", []):
        assert fact in shown, fact


def test_every_journey_has_been_recorded() -> None:
    assert SCRIPTS, "no journeys"
    for path in SCRIPTS:
        assert load(path)["channel"] in ("ussd", "sms"), path.name
        assert_recorded(path)
