""" "Who saw my records" at its longest keeps the USSD state under 1 KB and still pages (issue 18).

Five accesses (the most the list shows), each of a grant that covers every kind of record, so
every line of the reply names eight kinds: the reply the USSD channel keeps for paging ("98")
was 1,406 B of JSON in English with the rest of the conversation. It is kept packed now
(webhooks.kept_reply); every page of it must still be shown, in order, from the state.
"""

from __future__ import annotations

import json
import re
from datetime import date

from core.clock import FrozenClock
from core.records.hitypes import HiType
from core.state import StateStore
from testing.golden import STATE_BUDGET_BYTES
from testing.world import PIN, World, ask
from tests.running import Running
from tests.webhooks.consent.phones import ConsentPhone
from tests.webhooks.journey_phones import PHONE, JourneyUssdPhone

SHOWN = 5


async def test_the_longest_who_saw_list_pages_within_the_state_budget(
    running: Running, state: StateStore, clock: FrozenClock
) -> None:
    world = World(running.services)
    person = await world.person()
    hip = await world.facility("Apollo Clinic")
    for kind in HiType:
        await world.record(hip, person, kind, date(2025, 3, 1))
    hiu = await world.facility("Sanjeevani Multispeciality Hospital")
    await world.doctor(works_at=[hiu])
    consent = running.services.consent
    asked = ask(hiu, person.address, hi_types=tuple(kind.value for kind in HiType))
    code = (await consent.request(hiu, asked)).request.code
    [artefact] = (await consent.grant(person.abha_number, code, PIN, channel="sms")).artefacts
    for _ in range(SHOWN + 1):
        await consent.fetch(hiu, artefact.id)
        clock.advance(3600)  # the ask allows one fetch an hour

    phone = ConsentPhone(JourneyUssdPhone(running.client, running.services, clock), state, "ussd")
    await phone.dial()
    await phone.choose("Consents")
    await phone.choose("Who saw my records")
    record = await state.get_json(f"conv:ussd:{PHONE}")
    size = len(json.dumps(record, ensure_ascii=False).encode())
    assert size <= STATE_BUDGET_BYTES, size  # ConsentPhone weighs every hop too
    await phone.read_all()  # 98 to the last page, each from the kept reply
    pages = [re.sub(r"^(CON|END) |\n98\. More|\n0\. Back", "", page) for page in phone.seen]
    shown = " ".join(" ".join(pages).split())
    assert shown.count("Sanjeevani Multispeciality Hospital (Dr. Meera Iyer): 8 record(s)") == (
        SHOWN
    ), shown
    assert shown.endswith("prescriptions, wellness records")  # the last page was reached
