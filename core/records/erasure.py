"""Purging a deleted person's records: documents, visits and link requests, at the end of the
grace period (`core.leaving`). Until then they stay sealed (AES-GCM) and unreadable, because
every route to them first finds the person, and a deleted person is refused.
"""

from __future__ import annotations

from core.records.models import CareContext, HealthRecord, LinkRequest


async def purge_person(person_id: int) -> int:
    """Delete every record row of the person (documents before the visits they hang on)."""
    dropped = await HealthRecord.filter(person_id=person_id).delete()
    dropped += await LinkRequest.filter(person_id=person_id).delete()
    dropped += await CareContext.filter(person_id=person_id).delete()
    return dropped


async def hips_of(person_id: int) -> list[str]:
    """The facilities that linked visits to the person, each once."""
    ids = await CareContext.filter(person_id=person_id).values_list("facility_id", flat=True)
    return sorted({str(facility_id) for facility_id in ids})
