"""What the records service hands back: listing metadata, and an opened record.

Why the listing never carries the bundle: listing is free (no audit event, no decryption), so
it must show only what is kept in clear. Opening a record is the audited step, and only
`OpenedRecord` holds the FHIR JSON.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from core.healthid import numbers
from core.records.fhir import parse_document
from core.records.hitypes import HiType
from core.records.models import CareContext, HealthRecord, RecordSource
from core.records.summary import Summary, summarise


@dataclass(frozen=True, slots=True)
class CareContextView:
    id: str
    facility_id: str
    reference: str
    display: str
    hi_type: HiType
    date: date
    abha_number: str  # formatted XX-XXXX-XXXX-XXXX
    created_at: datetime


@dataclass(frozen=True, slots=True)
class RecordView:
    id: str
    abha_number: str  # formatted XX-XXXX-XXXX-XXXX
    hi_type: HiType
    date: date
    display: str
    source: RecordSource
    facility_id: str | None  # None for a record the person uploaded
    facility_name: str | None
    care_context_reference: str | None
    size: int
    created_at: datetime


@dataclass(frozen=True, slots=True)
class StoredRecord:
    record: RecordView
    #: False when an idempotent retry found the record already stored (notify only once).
    created: bool
    #: Paths accepted under the FHIR tolerance table (see core.records.fhir).
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class OpenedRecord:
    record: RecordView
    #: The bundle exactly as the facility sent it.
    fhir_json: bytes

    def summary(self, lang: str) -> Summary:
        """The bundle as short text in `lang` (parsed again: stored bundles were validated on
        the way in, so this does not fail on a record that was accepted)."""
        document = parse_document(self.fhir_json, max_bytes=max(len(self.fhir_json), 1))
        return summarise(document, lang)


def care_context_view(context: CareContext, abha_number: str) -> CareContextView:
    return CareContextView(
        id=context.id,
        facility_id=str(context.facility_id),  # type: ignore[attr-defined]
        reference=context.reference,
        display=context.display,
        hi_type=HiType(context.hi_type),
        date=context.date,
        abha_number=numbers.format(abha_number),
        created_at=context.created_at,
    )


def record_view(
    record: HealthRecord, abha_number: str, facility_name: str | None, reference: str | None
) -> RecordView:
    facility_id: str | None = record.facility_id  # type: ignore[attr-defined]
    return RecordView(
        id=record.id,
        abha_number=numbers.format(abha_number),
        hi_type=HiType(record.hi_type),
        date=record.date,
        display=record.display,
        source=RecordSource(record.source),
        facility_id=facility_id,
        facility_name=facility_name,
        care_context_reference=reference,
        size=record.size,
        created_at=record.created_at,
    )
