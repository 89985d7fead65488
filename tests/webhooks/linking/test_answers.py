"""Racing answers to one link request have one effect, and the facility sees that one answer.

The person may answer on the USSD prompt and by SMS at once (or a Telegram tap and an SMS): each
answer is a compare-and-set on the request's row (core.records.linking), so exactly one of them
decides, the other is told the decision that stands, and one `link.*` audit event is written.
"""

from __future__ import annotations

import asyncio

from core.audit.models import AuditEvent
from core.clock import FrozenClock
from core.records.models import LinkRequest, LinkStatus
from tests.running import Running
from tests.webhooks.journey_phones import JourneySmsPhone, JourneyUssdPhone
from tests.webhooks.linking.helpers import ask

DECIDED = {
    "Done: Sanjeevani Hospital may now add your visits to your ABHA.": LinkStatus.AUTHORISED,
    "Done: Sanjeevani Hospital will not add your visits.": LinkStatus.FAILED,
}


async def test_a_yes_on_ussd_racing_a_no_by_sms_decides_once(
    running: Running, clock: FrozenClock
) -> None:
    asked = await ask(running.services)
    ussd = JourneyUssdPhone(running.client, running.services, clock)
    sms = JourneySmsPhone(running.client, running.services, clock)
    await sms.inbox.new(replies=True)
    await ussd.dial()
    await ussd.send("10")

    yes, no = await asyncio.gather(ussd.send("1"), sms.send(f"NO {asked.code}"))
    said = [yes[0].removeprefix("CON ").split("\n")[0], no[0].split("\n")[0]]
    winners = [DECIDED[line] for line in said if line in DECIDED]
    assert len(winners) == 1, said
    losers = [line for line in said if line not in DECIDED]
    assert losers[0].startswith("You already"), said
    row = await LinkRequest.get(id=asked.request_id)
    assert row.status is winners[0]
    events = await AuditEvent.filter(action__in=("link.authorised", "link.refused")).count()
    assert events == 1
