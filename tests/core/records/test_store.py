"""A verified facility links care contexts and pushes FHIR documents; refusals store nothing."""

from __future__ import annotations

import asyncio
import random
from datetime import date

import pytest

from core.audit.service import AuditLog
from core.clock import FrozenClock
from core.errors import ArogyaError, Conflict, Forbidden, InvalidInput, NotFound
from core.facilities.models import Facility, FacilityStatus
from core.facilities.service import FacilityService
from core.healthid.views import PersonView
from core.records.errors import TooLarge
from core.records.hitypes import HiType
from core.records.models import HealthRecord, RecordSource
from core.records.service import RecordService
from core.records.vault import Keyring
from testing.healthid import HealthIdWiring
from testing.records import ALL_FIXTURES, VISIT, fixture
from tests.core.records.conftest import Partner, make_records

PRESCRIPTION = "MAXRVH9999PrescriptionDoc20160805.json"


async def link(
    records: RecordService,
    partner: Partner,
    person: PersonView,
    reference: str = "OPD-1",
    hi_type: HiType = HiType.PRESCRIPTION,
) -> None:
    await records.link_care_context(
        partner.facility,
        reference=reference,
        display="OPD visit, General Medicine",
        hi_type=hi_type,
        date=VISIT,
        link_token=await partner.token(person),
    )


async def stored_count() -> int:
    return await HealthRecord.all().count()


@pytest.mark.parametrize("name", sorted(ALL_FIXTURES))
async def test_each_fixture_is_linked_and_stored(
    records: RecordService, hospital: Partner, person: PersonView, name: str
) -> None:
    hi_type = ALL_FIXTURES[name]
    context = await records.link_care_context(
        hospital.facility,
        reference="VISIT-42",
        display=f"{hi_type} from Sanjeevani",
        hi_type=hi_type.value.lower(),
        date=VISIT,
        link_token=await hospital.token(person),
    )
    assert context.hi_type is hi_type
    assert context.abha_number == person.abha_number
    stored = await records.store_document(hospital.facility, "VISIT-42", fixture(name), "upload-1")
    view = stored.record
    assert stored.created
    assert view.hi_type is hi_type
    assert view.source is RecordSource.FACILITY
    assert view.facility_id == hospital.facility.id
    assert view.facility_name == "Sanjeevani Multispeciality Hospital"
    assert view.care_context_reference == "VISIT-42"
    assert view.display == f"{hi_type} from Sanjeevani"
    assert view.size == len(fixture(name))
    listed = await records.list_records(person.abha_number)
    assert [item.id for item in listed.items] == [view.id]


async def test_the_record_is_dated_by_its_composition(
    records: RecordService, hospital: Partner, person: PersonView
) -> None:
    await link(records, hospital, person)
    stored = await records.store_document(hospital.facility, "OPD-1", fixture(PRESCRIPTION))
    assert stored.record.date == date(2016, 8, 5)  # "2016-08-05T00:00:00.605+05:30", IST day


async def test_a_tolerated_omission_is_stored_with_a_warning(
    records: RecordService, hospital: Partner, person: PersonView
) -> None:
    await link(records, hospital, person, hi_type=HiType.OP_CONSULTATION)
    name = "MAXRVH1012OPConsultationDoc20190807.json"
    stored = await records.store_document(hospital.facility, "OPD-1", fixture(name))
    assert stored.warnings == ("entry.9.resource.recommendation.0.forecastStatus",)


async def test_link_by_abha_address(
    records: RecordService, hospital: Partner, person: PersonView
) -> None:
    for typed in ("Sunita.Devi", "sunita.devi@SBX"):
        context = await records.link_care_context(
            hospital.facility,
            link_token=await hospital.token(person),
            reference="ADDR-1",
            display="Lab visit",
            hi_type="Prescription",
            date=VISIT,
            abha_address=typed,
        )
        assert context.abha_number == person.abha_number


async def test_relinking_is_idempotent_but_not_a_way_to_change_the_link(
    records: RecordService, hospital: Partner, person: PersonView, neighbour: PersonView
) -> None:
    await link(records, hospital, person)
    await link(records, hospital, person)  # same details: fine
    with pytest.raises(Conflict) as moved:
        await link(records, hospital, neighbour)
    assert moved.value.code == "records.care_context_exists"
    with pytest.raises(Conflict):
        await link(records, hospital, person, hi_type=HiType.DIAGNOSTIC_REPORT)


@pytest.mark.parametrize(
    ("changes", "code", "params"),
    [
        ({"reference": "has space"}, "records.invalid", {"field": "reference"}),
        ({"reference": "x" * 65}, "records.invalid", {"field": "reference"}),
        ({"display": "   "}, "records.invalid", {"field": "display"}),
        ({"hi_type": "InvoiceRecord"}, "records.invalid", {"field": "hi_type"}),
        ({"date": date(2026, 2, 1)}, "records.invalid", {"field": "date"}),  # the future
        ({"date": "2026-01-10"}, "records.invalid", {"field": "date"}),
        ({"abha_address": "sunita.devi"}, "records.invalid", {"field": "abha"}),  # both given
        ({"abha_number": "12-3456-7890-1234"}, "abha.invalid", {}),
        # another ABHA beside the token, real or not: the token is no good for it
        ({"abha_number": "91-1111-2222-3337"}, "link.token_invalid", {}),
        ({"abha_number": None, "abha_address": "nobody.here"}, "link.token_invalid", {}),
        ({"link_token": "alt_" + "0" * 48}, "link.token_invalid", {}),
    ],
)
async def test_bad_links_are_refused(
    records: RecordService,
    hospital: Partner,
    person: PersonView,
    changes: dict[str, object],
    code: str,
    params: dict[str, object],
) -> None:
    arguments: dict[str, object] = {
        "reference": "OPD-1",
        "display": "OPD visit",
        "hi_type": "Prescription",
        "date": VISIT,
        "abha_number": person.abha_number,
        "link_token": await hospital.token(person),
    }
    arguments.update(changes)
    with pytest.raises(ArogyaError) as refused:
        await records.link_care_context(hospital.facility, **arguments)  # type: ignore[arg-type]
    assert (refused.value.code, refused.value.params) == (code, params)


async def test_a_deactivated_abha_takes_no_new_links(
    records: RecordService, hospital: Partner, person: PersonView, health: HealthIdWiring
) -> None:
    await hospital.token(person)  # authorised while the ABHA was active
    await health.service.deactivate(person.abha_number, channel="sms")
    with pytest.raises(Forbidden) as refused:
        await link(records, hospital, person)
    assert refused.value.code == "link.token_invalid"


async def test_the_document_must_be_of_the_care_contexts_type(
    records: RecordService, hospital: Partner, person: PersonView
) -> None:
    await link(records, hospital, person, hi_type=HiType.DIAGNOSTIC_REPORT)
    with pytest.raises(InvalidInput) as refused:
        await records.store_document(hospital.facility, "OPD-1", fixture(PRESCRIPTION))
    assert refused.value.code == "records.type_mismatch"
    assert refused.value.params == {"expected": "DiagnosticReport", "found": "Prescription"}
    assert await stored_count() == 0


async def test_invalid_fhir_lists_the_failing_paths(
    records: RecordService, hospital: Partner, person: PersonView
) -> None:
    await link(records, hospital, person)
    body = fixture(PRESCRIPTION).replace(b'"status": "final"', b'"status": 7', 1)
    body = body.replace(b'"intent": "order"', b'"intent": "order", "dose": 1', 1)
    with pytest.raises(InvalidInput) as refused:
        await records.store_document(hospital.facility, "OPD-1", body)
    assert refused.value.code == "records.invalid_fhir"
    assert refused.value.http_status == 422
    assert refused.value.params["paths"] == ["entry.0.resource.status", "entry.4.resource.dose"]
    assert await stored_count() == 0


async def test_another_facilitys_care_context_is_unknown_to_it(
    records: RecordService, hospital: Partner, lab: Partner, person: PersonView
) -> None:
    await link(records, hospital, person)
    with pytest.raises(NotFound) as refused:
        await records.store_document(lab.facility, "OPD-1", fixture(PRESCRIPTION))
    assert refused.value.code == "records.care_context_not_found"
    assert await stored_count() == 0


async def test_an_unverified_facility_can_neither_link_nor_store(
    records: RecordService, hospital: Partner, person: PersonView, facilities: FacilityService
) -> None:
    await link(records, hospital, person)
    await Facility.filter(id=hospital.facility.id).update(status=FacilityStatus.SUBMITTED)
    for attempt in (
        link(records, hospital, person, reference="OPD-2"),
        records.store_document(hospital.facility, "OPD-1", fixture(PRESCRIPTION)),
    ):
        with pytest.raises(Forbidden) as refused:
            await attempt
        assert refused.value.code == "facility.not_verified"
    assert await stored_count() == 0


async def test_a_repeated_upload_with_the_same_key_stores_one_record(
    records: RecordService, hospital: Partner, person: PersonView
) -> None:
    await link(records, hospital, person)
    body = fixture(PRESCRIPTION)
    first = await records.store_document(hospital.facility, "OPD-1", body, "retry-7")
    again = await records.store_document(hospital.facility, "OPD-1", body, "retry-7")
    assert first.created
    assert not again.created
    assert again.record.id == first.record.id
    assert await stored_count() == 1
    other = await records.store_document(hospital.facility, "OPD-1", body, "retry-8")
    assert other.created
    assert await stored_count() == 2


async def test_concurrent_retries_store_one_record(
    records: RecordService, hospital: Partner, person: PersonView
) -> None:
    await link(records, hospital, person)
    body = fixture(PRESCRIPTION)
    results = await asyncio.gather(
        *(records.store_document(hospital.facility, "OPD-1", body, "race") for _ in range(3))
    )
    assert sum(result.created for result in results) == 1
    assert len({result.record.id for result in results}) == 1
    assert await stored_count() == 1


async def test_an_idempotency_key_reused_for_another_body_is_refused(
    records: RecordService, hospital: Partner, person: PersonView
) -> None:
    await link(records, hospital, person)
    await records.store_document(hospital.facility, "OPD-1", fixture(PRESCRIPTION), "k-1")
    changed = fixture(PRESCRIPTION).replace(b"90 mg", b"30 mg")
    with pytest.raises(Conflict) as refused:
        await records.store_document(hospital.facility, "OPD-1", changed, "k-1")
    assert refused.value.code == "records.idempotency_conflict"
    with pytest.raises(InvalidInput):
        await records.store_document(hospital.facility, "OPD-1", changed, "has space")
    assert await stored_count() == 1


async def test_oversized_bundles_are_refused_before_anything_else(
    audit: AuditLog, clock: FrozenClock, keyring: Keyring, hospital: Partner, person: PersonView
) -> None:
    small = make_records(audit, clock, random.Random(1), keyring, max_bundle_bytes=4096)
    await link(small, hospital, person, hi_type=HiType.DIAGNOSTIC_REPORT)
    big = fixture("MAXLIVNO10DiagnosticReportDoc20190801.json")  # 6011 bytes
    with pytest.raises(TooLarge) as refused:
        await small.store_document(hospital.facility, "unknown-ref", big)
    assert refused.value.http_status == 413
    assert refused.value.params == {"max_kb": 4, "size_kb": 5}
    assert await stored_count() == 0
