"""Golden transcripts of "My records" over the real USSD and SMS endpoints, in both languages.

Each file in golden/ is one journey: every page the person sees and every SMS they receive, hop
by hop, with every USSD page checked against its budget and the conversation's stored state
held under 1 KB after every hop. A script's `setup` says who is talking: by default Sunita,
PIN 4826, with the eight ABDM example records; `"pin": null` for a holder who never set a PIN,
`"records": false` for one with no records yet. `facts` are words the transcript must show
(clinical facts of the records read in it), checked on top of the recorded pages so that a
re-recording cannot quietly lose them. Re-record an intended change with
`pytest tests/records_flows --update-golden`.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.clock import FrozenClock
from tests.golden import load, replay, wants_update
from tests.journeys.conftest import Running
from tests.records_flows.helpers import PIN, enrol_holder, phone_on, push_every_fixture

GOLDEN = Path(__file__).parent / "golden"
SCRIPTS = sorted(GOLDEN.glob("*.json"))


@pytest.mark.parametrize("path", SCRIPTS, ids=[path.stem for path in SCRIPTS])
async def test_journey(
    path: Path, running: Running, clock: FrozenClock, request: pytest.FixtureRequest
) -> None:
    script = load(path)
    setup = script.get("setup", {})
    person = await enrol_holder(running.services, pin=setup.get("pin", PIN))
    if setup.get("records", True):
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
        script = json.loads(path.read_text(encoding="utf-8"))
        assert script["channel"] in ("ussd", "sms"), path.name
        assert all("expect" in hop for hop in script["hops"] if "advance" not in hop), path.name
