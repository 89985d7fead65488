"""Golden transcripts of a health worker's journeys over the real USSD endpoint.

Each file in tests/golden/workers/ names where its worker starts (`"worker"`: none, pending,
verified, withdrawn) and is played hop by hop with every page checked against its budget and
the conversation's state held under 1 KB: registering, enrolling someone by their own mobile's
OTP, by their Aadhaar OTP (and finding them the second time), a person with no phone by a
spoken consent, the day's list and coming back to an enrolment waiting for an OTP, and the
ordinary menu for a worker not (or no longer) verified. Re-record an intended change with
`pytest tests/webhooks/workers --update-golden`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from core.clock import FrozenClock
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
from tests.running import Running
from tests.webhooks.journey_phones import PHONE
from tests.webhooks.phones import ENGLISH_CIRCLE
from tests.webhooks.workers.helpers import WorkerUssdPhone, worker_in_state

SCRIPTS = scripts("workers", "ussd")


@each_script(SCRIPTS)
async def test_journey(
    path: Path,
    running: Running,
    clock: FrozenClock,
    state: StateStore,
    request: pytest.FixtureRequest,
) -> None:
    script = load(path)
    await worker_in_state(running.services, script.get("worker", "verified"))
    network = script.get("network", ENGLISH_CIRCLE)
    phone = WorkerUssdPhone(running.client, running.services, clock, network)
    await phone.inbox.new(replies=True)  # the SMS of her own registration are not this journey's
    weighed = Weighed(phone, state, f"conv:ussd:{PHONE}")
    await replay(path, weighed, update=wants_update(request.config))
    assert weighed.heaviest > 0


def test_every_journey_has_been_recorded() -> None:
    assert len(SCRIPTS) >= 6, "no worker journeys"
    for path in SCRIPTS:
        assert_recorded(path)
