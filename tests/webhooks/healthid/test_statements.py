"""How many SQL statements a whole USSD registration runs, by kind (issue 18).

Counted, not timed: a count is the same on any machine. The registration is the recorded
golden journey (tests/golden/healthid/ussd_mobile_en.json, replayed and checked as in
test_transcripts.py) over the real USSD endpoint, counted by `testing.statements` on whichever
backend the suite runs; the phone's reads of its SMS inbox are the test's, not the server's,
and are not counted. The issue's target is 10 with one transaction at the confirm step; this
holds it as a ceiling: a change that adds statements to a registration fails
here and has to say why.
"""

from __future__ import annotations

from core.clock import FrozenClock
from core.state import StateStore
from testing.golden import GOLDEN_DIR, Weighed, load, replay
from testing.statements import StatementCounter
from tests.running import Running
from tests.webhooks.journey_phones import PHONE, Inbox, JourneyUssdPhone
from tests.webhooks.phones import ENGLISH_CIRCLE

#: The issue's target, reached (SELECT 6, INSERT 4; 20 before this, 38 before the draft moved
#: to the state store): dial 2 (the caller's ABHAs, read once for the three parts of the dial
#: that ask, core.healthid.held; the health-worker check); the OTP sent 2 (the mobile's cap,
#: the SMS row written once with its status; the OTP transaction, its counters and locks are
#: in the state store, core.otp.challenges); the OTP typed 1 (the ABHAs already on the
#: mobile); suggestions 1 (the chosen one was among them); confirm 4, in one transaction (the
#: cap, the person, its audit events, the welcome SMS). Not counted because it is not the
#: registration's: whether an older version's OTP lock rows are in force, asked once as the
#: process starts (OtpService.prepare) and then every 5 minutes at most.
CEILING = 10


class UncountedInbox(Inbox):
    """The phone's SMS inbox, read without counting (the server never runs these reads)."""

    def __init__(self, inbox: Inbox, counter: StatementCounter) -> None:
        super().__init__(inbox.services, inbox.phone)
        self.counter = counter

    async def new(self, *, replies: bool) -> list[str]:
        with self.counter.paused():
            return await super().new(replies=replies)

    async def last_otp(self) -> str:
        with self.counter.paused():
            return await super().last_otp()


async def test_a_ussd_registration_runs_at_most_the_counted_statements(
    running: Running, clock: FrozenClock, state: StateStore
) -> None:
    path = GOLDEN_DIR / "healthid" / "ussd_mobile_en.json"
    script = load(path)
    phone = JourneyUssdPhone(
        running.client, running.services, clock, script.get("network", ENGLISH_CIRCLE)
    )
    with StatementCounter() as counter:
        phone.inbox = UncountedInbox(phone.inbox, counter)
        await replay(path, Weighed(phone, state, f"conv:ussd:{PHONE}"), update=False)
    assert counter.counts["INSERT"] > 0  # the registration did write: the count is real
    assert counter.total <= CEILING, dict(counter.counts)
