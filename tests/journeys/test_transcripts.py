"""Golden transcripts of the Health ID flows over the real USSD and SMS endpoints.

Each file in golden/ is a whole journey in one language: every page the person sees and every
SMS they receive, hop by hop, with every USSD page checked against its budget and the
conversation's stored state held under 1 KB. `{otp}` in a script is the OTP the phone last
received. Re-record an intended change with `pytest tests/journeys --update-golden`.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.clock import FrozenClock
from core.state import StateStore
from tests.golden import Phone, Weighed, load, replay, wants_update
from tests.journeys.conftest import Running
from tests.journeys.phones import PHONE, JourneySmsPhone, JourneyUssdPhone

GOLDEN = Path(__file__).parent / "golden"
SCRIPTS = sorted(GOLDEN.glob("*.json"))


@pytest.mark.parametrize("path", SCRIPTS, ids=[path.stem for path in SCRIPTS])
async def test_journey(
    path: Path,
    running: Running,
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
    weighed = Weighed(phone, state, f"conv:{script['channel']}:{PHONE}")
    await replay(path, weighed, update=wants_update(request.config))
    assert weighed.heaviest > 0


def test_every_journey_has_been_recorded() -> None:
    assert SCRIPTS, "no journeys"
    for path in SCRIPTS:
        hops = json.loads(path.read_text(encoding="utf-8"))["hops"]
        assert all("expect" in hop for hop in hops if "advance" not in hop), path.name
