"""`0` after "New search" goes back to the results that were on screen, over the real /ussd.

Why a test: "New search" once emptied the conversation's answers, so `0` (back, on every page)
returned to a results step that no longer knew what it had searched for, and the hop ended the
session with "something went wrong" (found while re-recording tests/golden/find for review
D11).
"""

from __future__ import annotations

from core.clock import FrozenClock
from tests.flows.find.seed import Directory
from tests.running import Running
from tests.webhooks.journey_phones import JourneyUssdPhone


async def test_back_from_a_new_search_shows_the_last_results(
    running: Running, directory: Directory, clock: FrozenClock
) -> None:
    phone = JourneyUssdPhone(running.client, running.services, clock)
    await phone.dial()
    for typed in ("4", "2", "paediatrics"):  # find, a doctor, by the kind's name
        await phone.send(typed)
    results = (await phone.send("226004"))[-1]
    assert results.startswith("CON Child health (paediatrics)\nPIN 226004: 2 found"), results
    again = (await phone.send("1"))[-1]  # "1. New search"
    assert again.startswith("CON What kind of doctor?"), again
    back = (await phone.send("0"))[-1]
    assert back == results
