"""How many SQL statements a whole USSD registration runs, by kind (issue 18).

Counted, not timed: a count is the same on any machine. The registration is the recorded
golden journey (tests/golden/healthid/ussd_mobile_en.json, replayed and checked as in
test_transcripts.py) over the real USSD endpoint, counted by `testing.statements` on whichever
backend the suite runs. The issue's target is 10 with one transaction at the confirm step;
that needs the enrolment draft moved into the conversation state, which is not done yet, so
this holds today's count as a ceiling: a change that adds statements to a registration fails
here and has to say why.
"""

from __future__ import annotations

from core.clock import FrozenClock
from core.state import StateStore
from testing.golden import GOLDEN_DIR, Weighed, load, replay
from testing.statements import StatementCounter
from tests.running import Running
from tests.webhooks.journey_phones import PHONE, JourneyUssdPhone
from tests.webhooks.phones import ENGLISH_CIRCLE

#: Today's count for this journey (SELECT 35, INSERT 8, UPDATE 7, DELETE 3); the benchmark's
#: shorter registration runs 38. Target: 10.
CEILING = 53


async def test_a_ussd_registration_runs_at_most_the_counted_statements(
    running: Running, clock: FrozenClock, state: StateStore
) -> None:
    path = GOLDEN_DIR / "healthid" / "ussd_mobile_en.json"
    script = load(path)
    phone = JourneyUssdPhone(
        running.client, running.services, clock, script.get("network", ENGLISH_CIRCLE)
    )
    with StatementCounter() as counter:
        await replay(path, Weighed(phone, state, f"conv:ussd:{PHONE}"), update=False)
    assert counter.counts["INSERT"] > 0  # the registration did write: the count is real
    assert counter.total <= CEILING, dict(counter.counts)
