"""Golden transcripts of the Health ID flows over the real USSD and SMS endpoints.

Each ussd_ and sms_ file in tests/golden/healthid/ is a whole journey in one language: every
page the person sees and every SMS they receive, hop by hop, with every USSD page checked
against its budget and the conversation's stored state held under 1 KB. `{otp}` in a script is
the OTP the phone last received. Re-record an intended change with
`pytest tests/webhooks/healthid --update-golden`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from core.clock import FrozenClock
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
from tests.running import Running
from tests.webhooks.journey_phones import PHONE, JourneySmsPhone, JourneyUssdPhone
from tests.webhooks.phones import ENGLISH_CIRCLE

SCRIPTS = scripts("healthid", "ussd", "sms")


@each_script(SCRIPTS)
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
        network = script.get("network", ENGLISH_CIRCLE)
        phone = JourneyUssdPhone(running.client, running.services, clock, network)
    else:
        phone = JourneySmsPhone(running.client, running.services, clock)
    weighed = Weighed(phone, state, f"conv:{script['channel']}:{PHONE}")
    await replay(path, weighed, update=wants_update(request.config))
    assert weighed.heaviest > 0


def test_every_journey_has_been_recorded() -> None:
    assert SCRIPTS, "no journeys"
    for path in SCRIPTS:
        assert_recorded(path)
