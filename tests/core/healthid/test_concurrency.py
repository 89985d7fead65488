"""One ABHA per Aadhaar, even when 50 enrolments of the same Aadhaar race each other."""

from __future__ import annotations

import asyncio

from core.healthid.models import Person
from testing.healthid import HealthIdWiring, enrol_with_aadhaar, last_otp

AADHAAR = "999999990057"
RACERS = 50
MOBILES = [f"+9198123{index:05d}" for index in range(RACERS)]


async def test_fifty_racing_finishes_create_exactly_one_abha(health: HealthIdWiring) -> None:
    """Every racer passes `verify_aadhaar` before anyone finishes, so only the database's
    unique constraint on the Aadhaar HMAC can stop the duplicates."""
    service = health.service
    tickets = await asyncio.gather(
        *(service.start_aadhaar(AADHAAR, m, lang="en", channel="sms") for m in MOBILES)
    )
    codes = [await last_otp(health.sms, mobile) for mobile in MOBILES]
    enrolments = await asyncio.gather(
        *(service.verify_aadhaar(t.txn_id, code) for t, code in zip(tickets, codes, strict=True))
    )
    assert all(enrolment.existing is None for enrolment in enrolments)
    await asyncio.gather(
        *(
            service.choose_address(enrolment.draft_id, f"racer.no{index:02d}")
            for index, enrolment in enumerate(enrolments)
        )
    )

    people = await asyncio.gather(
        *(service.finish(enrolment.draft_id, channel="sms") for enrolment in enrolments)
    )

    assert await Person.all().count() == 1
    assert len({person.abha_number for person in people}) == 1
    assert [await health.drafts.get(e.draft_id) for e in enrolments] == [None] * len(enrolments)
    assert len(await health.audit.events(action="abha.enrolled")) == 1


async def test_fifty_whole_enrolments_at_once_create_exactly_one_abha(
    health: HealthIdWiring,
) -> None:
    people = await asyncio.gather(
        *(
            enrol_with_aadhaar(health, AADHAAR, mobile, handle=f"racer.no{index:02d}")
            for index, mobile in enumerate(MOBILES)
        )
    )
    assert await Person.all().count() == 1
    assert {person.abha_number for person in people} == {people[0].abha_number}
    assert {person.aadhaar for person in people} == {"XXXX-XXXX-0057"}
