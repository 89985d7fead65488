"""Golden transcripts of answering a consent request on the real /ussd endpoint.

Each file in tests/golden/consent/ is one journey: a HIU has just asked (the scene of
`test_journeys`), the person dials, and every page they see and every SMS they receive is
recorded, with every USSD page held to its budget and the conversation's state under 1 KB. The
approve transcripts are the measure's "approving a waiting consent" (testing/journeys.py: at
most 4 inputs). A script's `lang` is the person's stored language. Re-record an intended
change with `pytest tests/webhooks/consent/test_golden.py --update-golden`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
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
from tests.core.consent.hiu_server import HiuServer, hiu_server
from tests.running import Running
from tests.webhooks.consent.test_journeys import notice_code, scene
from tests.webhooks.journey_phones import PHONE, JourneyUssdPhone

SCRIPTS = scripts("consent", "ussd")


@pytest.fixture
async def hiu() -> AsyncIterator[HiuServer]:
    async with hiu_server() as server:
        yield server


@each_script(SCRIPTS)
async def test_journey(
    path: Path,
    running: Running,
    hiu: HiuServer,
    clock: FrozenClock,
    state: StateStore,
    request: pytest.FixtureRequest,
) -> None:
    script = load(path)
    await scene(running, hiu, lang=script.get("lang", "en"))
    await notice_code(running)  # the SMS notice went out before the person dials
    phone = JourneyUssdPhone(running.client, running.services, clock)
    await phone.inbox.new(replies=False)  # read already: not part of the journey
    weighed = Weighed(phone, state, f"conv:ussd:{PHONE}")
    await replay(path, weighed, update=wants_update(request.config))
    assert weighed.heaviest > 0


def test_every_journey_has_been_recorded() -> None:
    assert SCRIPTS, "no journeys"
    for path in SCRIPTS:
        assert_recorded(path)
