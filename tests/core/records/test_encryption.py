"""At rest the database holds no plaintext FHIR, only listing metadata; keys rotate in place."""

from __future__ import annotations

import random

import pytest
from tortoise import Tortoise

from core.audit.service import AuditLog
from core.clock import FrozenClock
from core.healthid.views import PersonView
from core.records.errors import Unreadable
from core.records.models import HealthRecord
from core.records.service import RecordService
from core.records.vault import Keyring
from testing.records import FIXTURES, VISIT, fixture
from tests.core.records.conftest import TEST_KEY, Partner, make_records

NEW_KEY = bytes(range(100, 132))
#: Words from the bundles that must never be readable in a database dump.
PLAINTEXT = [
    b"resourceType",
    b"dextromethorphan",
    b"Faroeze",
    b"Triglyceride",
    b"Rotavirus",
    b"Coronary artery bypass",
    b"Keith David",
    b"Sonu",
    b"JVBERi0",  # the PDF's base64
]


async def push_all(records: RecordService, partner: Partner, person: PersonView) -> None:
    for number, (name, hi_type) in enumerate(sorted(FIXTURES.items())):
        reference = f"VISIT-{number}"
        await records.link_care_context(
            partner.facility,
            reference=reference,
            display=f"Visit {number}",
            hi_type=hi_type,
            date=VISIT,
            link_token=await partner.token(person),
        )
        await records.store_document(partner.facility, reference, fixture(name))


async def raw_rows() -> list[dict[str, object]]:
    conn = Tortoise.get_connection("default")
    return await conn.execute_query_dict("SELECT * FROM records_health_record ORDER BY seq")


def as_bytes(value: object) -> bytes:
    if isinstance(value, memoryview):
        return value.tobytes()
    if isinstance(value, bytes):
        return value
    return str(value).encode()


async def test_no_plaintext_fhir_in_the_database(
    records: RecordService, hospital: Partner, person: PersonView
) -> None:
    await push_all(records, hospital, person)
    rows = await raw_rows()
    assert len(rows) == len(FIXTURES)
    for row in rows:
        dumped = b"|".join(as_bytes(value) for value in row.values())
        for fragment in PLAINTEXT:
            assert fragment not in dumped, (fragment, row["hi_type"])
        assert row["key_id"] == "k1"
    # ... while what a listing needs stays in clear, queryable columns
    assert {row["hi_type"] for row in rows} == {hi_type.value for hi_type in FIXTURES.values()}
    assert {row["display"] for row in rows} == {f"Visit {n}" for n in range(len(FIXTURES))}
    # ... and no other table holds the bundle either (care contexts, audit events)
    conn = Tortoise.get_connection("default")
    for table in ("records_care_context", "audit_event"):
        dumped = repr(await conn.execute_query_dict(f"SELECT * FROM {table}")).encode()  # noqa: S608
        assert not any(fragment in dumped for fragment in PLAINTEXT), table


async def test_a_ciphertext_moved_to_another_row_does_not_open(
    records: RecordService, hospital: Partner, person: PersonView
) -> None:
    await push_all(records, hospital, person)
    first, second = await HealthRecord.all().order_by("seq").limit(2)
    await HealthRecord.filter(seq=second.seq).update(sealed=first.sealed)
    with pytest.raises(Unreadable) as refused:
        await records.read_record(second.id, reader="support", channel="cli")
    assert refused.value.code == "records.unreadable"
    assert refused.value.http_status == 500
    opened = await records.read_record(first.id, reader="support", channel="cli")
    assert opened.fhir_json == fixture(sorted(FIXTURES)[0])


async def test_rotation_reseals_every_record_under_the_new_key(
    audit: AuditLog,
    clock: FrozenClock,
    hospital: Partner,
    person: PersonView,
    records: RecordService,
) -> None:
    await push_all(records, hospital, person)
    before = {row["id"]: as_bytes(row["sealed"]) for row in await raw_rows()}
    rotated_ring = Keyring([("k2", NEW_KEY), ("k1", TEST_KEY)])
    rotated = make_records(audit, clock, random.Random(2), rotated_ring)
    assert await rotated.rotate(batch_size=3) == len(FIXTURES)
    rows = await raw_rows()
    assert {row["key_id"] for row in rows} == {"k2"}
    assert all(as_bytes(row["sealed"]) != before[str(row["id"])] for row in rows)
    assert await rotated.rotate() == 0  # nothing left under an old key
    # the old key can now be dropped: every record opens with the new key alone
    only_new = make_records(audit, clock, random.Random(3), Keyring([("k2", NEW_KEY)]))
    page = await only_new.list_records(person.abha_number, page_size=50)
    for item in page.items:
        opened = await only_new.read_record(item.id, reader="support", channel="cli")
        assert opened.fhir_json in {fixture(name) for name in FIXTURES}
    # and the old keyring no longer opens anything
    with pytest.raises(Unreadable):
        await records.read_record(page.items[0].id, reader="support", channel="cli")


async def test_rotation_skips_a_record_it_cannot_open(
    audit: AuditLog,
    clock: FrozenClock,
    hospital: Partner,
    person: PersonView,
    records: RecordService,
) -> None:
    await push_all(records, hospital, person)
    damaged = await HealthRecord.all().order_by("seq").first()
    assert damaged is not None
    await HealthRecord.filter(seq=damaged.seq).update(sealed=b"\x00" * 40)
    rotated = make_records(
        audit, clock, random.Random(2), Keyring([("k2", NEW_KEY), ("k1", TEST_KEY)])
    )
    assert await rotated.rotate() == len(FIXTURES) - 1
    assert (await HealthRecord.get(seq=damaged.seq)).key_id == "k1"
