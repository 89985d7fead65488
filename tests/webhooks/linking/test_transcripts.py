"""Golden transcripts of answering a facility's link request over the real USSD and SMS
endpoints, in both languages (issue 15, item 1).

Each file in tests/golden/linking/ is one journey: Sunita (PIN 4826) has a waiting request from
Sanjeevani Hospital; on USSD the main menu shows it as "10" (after the fixed 1-7, the consent
line 8 and the worker line 9) leading to "1. Yes 2. No", with no PIN (the SMS "YES <code>"
needs none: the caller's number is the identity on both); by SMS "YES {code}" / "NO {code}".
After every transcript the request's status must be the script's `status`. Re-record an
intended change with `pytest tests/webhooks/linking --update-golden`, then read it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from core.clock import FrozenClock
from core.records.models import LinkRequest
from testing.golden import assert_recorded, each_script, load, replay, scripts, wants_update
from tests.running import Running
from tests.webhooks.linking.helpers import answering_phone, ask

SCRIPTS = scripts("linking", "ussd", "sms")


@each_script(SCRIPTS)
async def test_journey(
    path: Path, running: Running, clock: FrozenClock, request: pytest.FixtureRequest
) -> None:
    script = load(path)
    asked = await ask(running.services)
    phone, weighed = await answering_phone(script["channel"], running, clock, asked.code)
    await replay(path, phone, update=wants_update(request.config))
    assert weighed.heaviest > 0
    assert (await LinkRequest.get(id=asked.request_id)).status.value == script["status"]


def test_every_journey_has_been_recorded() -> None:
    assert SCRIPTS, "no journeys"
    for path in SCRIPTS:
        assert load(path)["channel"] in ("ussd", "sms"), path.name
        assert_recorded(path)
