"""Reading: a person's records listed newest first without opening them; every open audited."""

from __future__ import annotations

from datetime import date

import pytest

from core.audit.service import AuditLog
from core.errors import ArogyaError, NotFound
from core.healthid import numbers
from core.healthid.views import PersonView
from core.records.hitypes import HiType
from core.records.service import RecordService
from testing.healthid import HealthIdWiring
from testing.records import VISIT, fixture
from tests.core.records.conftest import Partner

# (fixture, reference) in upload order; Composition dates in comments.
UPLOADS = [
    ("MAXRVH9999PrescriptionDoc20160805.json", "RX-2016"),  # 2016-08-05
    ("OP_Consultation_fhir_bundle.json", "OP-2024"),  # 2024-01-04
    ("MAXLIVNO10DiagnosticReportDoc20190801.json", "LAB-2019"),  # 2019-08-01
    ("MAXRVH1012OPConsultationDoc20190807.json", "OP-2019"),  # 2019-08-07
    ("MAXRVH1003ImmunizationDoc20190801.json", "VAX-2019"),  # 2019-08-01, uploaded later
]
TYPES = {
    "RX-2016": HiType.PRESCRIPTION,
    "OP-2024": HiType.OP_CONSULTATION,
    "LAB-2019": HiType.DIAGNOSTIC_REPORT,
    "OP-2019": HiType.OP_CONSULTATION,
    "VAX-2019": HiType.IMMUNIZATION_RECORD,
}


@pytest.fixture
async def history(records: RecordService, hospital: Partner, person: PersonView) -> PersonView:
    for name, reference in UPLOADS:
        await records.link_care_context(
            hospital.facility,
            reference=reference,
            display=f"Visit {reference}",
            hi_type=TYPES[reference],
            date=VISIT,
            link_token=await hospital.token(person),
        )
        await records.store_document(hospital.facility, reference, fixture(name))
    return person


async def test_listing_is_newest_first(records: RecordService, history: PersonView) -> None:
    page = await records.list_records(history.abha_number, page_size=10)
    assert [item.care_context_reference for item in page.items] == [
        "OP-2024",
        "OP-2019",
        "VAX-2019",
        "LAB-2019",
        "RX-2016",  # same day: latest upload first
    ]
    assert [item.date for item in page.items][:2] == [date(2024, 1, 4), date(2019, 8, 7)]
    assert all(item.abha_number == history.abha_number for item in page.items)


async def test_listing_pages_and_filters_by_type(
    records: RecordService, history: PersonView
) -> None:
    compact = numbers.compact(history.abha_number)  # the number may be typed either way
    first = await records.list_records(compact, page=1, page_size=2)
    third = await records.list_records(compact, page=3, page_size=2)
    assert first.total == 5
    assert first.has_next
    assert len(third.items) == 1
    consultations = await records.list_records(history.abha_number, hi_type="opconsultation")
    assert [i.care_context_reference for i in consultations.items] == ["OP-2024", "OP-2019"]
    assert consultations.total == 2


async def test_listing_opens_nothing_and_audits_nothing(
    records: RecordService, history: PersonView, audit: AuditLog
) -> None:
    await records.list_records(history.abha_number)
    assert await audit.events(action="record.read") == []


async def test_another_persons_listing_is_their_own(
    records: RecordService, history: PersonView, neighbour: PersonView
) -> None:
    assert (await records.list_records(neighbour.abha_number)).total == 0


@pytest.mark.parametrize(
    ("abha_number", "code"),
    [("12-3456-7890-1234", "abha.invalid"), ("91-1111-2222-3337", "abha.not_found")],
)
async def test_listing_an_unknown_abha(records: RecordService, abha_number: str, code: str) -> None:
    with pytest.raises(ArogyaError) as refused:
        await records.list_records(abha_number)
    assert refused.value.code == code


async def test_every_read_is_audited(
    records: RecordService, history: PersonView, audit: AuditLog, hospital: Partner
) -> None:
    page = await records.list_records(history.abha_number)
    newest, oldest = page.items[0], page.items[-1]
    reader = numbers.compact(history.abha_number)
    opened = await records.read_record(newest.id, reader=reader, channel="ussd")
    assert opened.fhir_json == fixture("OP_Consultation_fhir_bundle.json")  # byte for byte
    assert opened.record == newest
    await records.read_record(oldest.id, reader="partner:IN2712345678", channel="api")
    await records.read_record(newest.id, reader=reader, channel="telegram")
    events = await audit.events(action="record.read")
    assert [(e.actor, e.channel, e.detail["record"]) for e in events] == [
        (reader, "ussd", newest.id),
        ("partner:IN2712345678", "api", oldest.id),
        (reader, "telegram", newest.id),
    ]
    assert {e.subject for e in events} == {reader}  # whose record it is: the ABHA number
    assert events[0].detail == {
        "record": newest.id,
        "hi_type": "OPConsultation",
        "facility": hospital.facility.id,
    }


async def test_reading_an_unknown_record(records: RecordService, audit: AuditLog) -> None:
    for record_id in ("0d5f6a3e-0000-4000-8000-000000000000", "x" * 200):
        with pytest.raises(NotFound) as missing:
            await records.read_record(record_id, reader="someone", channel="sms")
        assert missing.value.code == "records.not_found"
    assert await audit.events(action="record.read") == []


async def test_a_read_on_an_unknown_channel_is_a_bug_and_reads_nothing(
    records: RecordService, history: PersonView, audit: AuditLog
) -> None:
    record = (await records.list_records(history.abha_number)).items[0]
    with pytest.raises(ValueError, match="channel"):
        await records.read_record(record.id, reader="someone", channel="fax")
    assert await audit.events(action="record.read") == []


async def test_a_deactivated_abha_still_lists_its_records(
    records: RecordService, history: PersonView, health: HealthIdWiring
) -> None:
    await health.service.deactivate(history.abha_number, channel="sms")
    assert (await records.list_records(history.abha_number)).total == 5


async def test_storing_is_audited_too(
    records: RecordService, history: PersonView, audit: AuditLog, hospital: Partner
) -> None:
    stored = await audit.events(action="record.stored")
    assert len(stored) == len(UPLOADS)
    assert {e.actor for e in stored} == {hospital.facility.id}
    assert stored[0].detail["care_context"] == "RX-2016"
