"""The link token is checked by RecordService itself, not only by the partner API handler.

Why at this depth: any door to RecordService (a CLI, an ABDM bridge, a future flow) must meet
the person's say-so. A facility links a visit only for the person a live token of its own
names, and stores a document only while it still holds such a token for that person.
"""

from __future__ import annotations

import pytest

from core.clock import FrozenClock
from core.errors import Forbidden
from core.healthid.views import PersonView
from core.records.hitypes import HiType
from core.records.models import CareContext, HealthRecord
from core.records.service import RecordService
from testing.records import VISIT, fixture
from tests.core.records.conftest import Partner

PRESCRIPTION = "MAXRVH9999PrescriptionDoc20160805.json"


async def visit(
    records: RecordService, partner: Partner, token: str, reference: str = "OPD-1"
) -> None:
    await records.link_care_context(
        partner.facility,
        link_token=token,
        reference=reference,
        display="OPD visit",
        hi_type=HiType.PRESCRIPTION,
        date=VISIT,
    )


async def test_another_facilitys_token_links_nothing(
    records: RecordService, hospital: Partner, lab: Partner, person: PersonView
) -> None:
    theirs = await hospital.token(person)
    with pytest.raises(Forbidden) as refused:
        await visit(records, lab, theirs)
    assert refused.value.code == "link.token_invalid"
    assert await CareContext.all().count() == 0


async def test_a_push_needs_a_live_token_for_the_person(
    records: RecordService, hospital: Partner, person: PersonView, clock: FrozenClock
) -> None:
    await visit(records, hospital, await hospital.token(person))
    stored = await records.store_document(hospital.facility, "OPD-1", fixture(PRESCRIPTION))
    assert stored.created
    clock.advance(days=184)  # the token ran out; the visit linked earlier is still there
    with pytest.raises(Forbidden) as refused:
        await records.store_document(hospital.facility, "OPD-1", fixture(PRESCRIPTION))
    assert refused.value.code == "link.token_invalid"
    assert await HealthRecord.all().count() == 1
