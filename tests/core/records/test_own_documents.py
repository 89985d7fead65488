"""A person's own photo or PDF becomes a self-uploaded HealthDocumentRecord like any other."""

from __future__ import annotations

import base64
import json
import random
from datetime import UTC, date, datetime

import pytest

from core.audit.service import AuditLog
from core.clock import FrozenClock
from core.errors import ArogyaError, InvalidInput
from core.healthid.views import PersonView
from core.records.errors import TooLarge
from core.records.hitypes import HiType
from core.records.models import RecordSource
from core.records.service import RecordService
from core.records.vault import Keyring
from testing.healthid import HealthIdWiring
from tests.core.records.conftest import make_records

PDF = b"%PDF-1.4\n" + bytes(range(256)) * 12 + b"\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 2044
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100


async def test_a_pdf_is_kept_read_and_summarised(
    records: RecordService, person: PersonView, audit: AuditLog
) -> None:
    view = await records.add_own_document(
        person.abha_number,
        title="Blood test, Jan",
        content_type="application/pdf",
        data=PDF,
        channel="telegram",
    )
    assert view.hi_type is HiType.HEALTH_DOCUMENT_RECORD
    assert view.source is RecordSource.SELF
    assert view.facility_id is None
    assert view.facility_name is None
    assert view.display == "Blood test, Jan"
    assert view.date == date(2026, 1, 15)
    listed = await records.list_records(person.abha_number)
    assert [item.id for item in listed.items] == [view.id]

    opened = await records.read_record(view.id, reader="self", channel="telegram")
    bundle = json.loads(opened.fhir_json)
    attachment = bundle["entry"][2]["resource"]["content"][0]["attachment"]
    assert base64.b64decode(attachment["data"]) == PDF
    assert bundle["entry"][1]["resource"]["identifier"][0]["value"] == person.abha_number
    en, hi = opened.summary("en"), opened.summary("hi")
    assert en.title == "Health document, 15 Jan 2026"
    assert en.sections[0].lines == ("Title: Blood test, Jan",)
    assert en.sections[1].lines == ("Blood test, Jan: PDF, 3 KB",)
    assert hi.title == "स्वास्थ्य दस्तावेज़, 15 जनवरी 2026"

    stored = await audit.events(action="record.stored")
    assert [(e.actor, e.channel) for e in stored] == [(stored[0].subject, "telegram")]


@pytest.mark.parametrize(("content_type", "data"), [("image/jpeg", JPEG), ("IMAGE/PNG", PNG)])
async def test_photos_are_kept(
    records: RecordService, person: PersonView, content_type: str, data: bytes
) -> None:
    view = await records.add_own_document(
        person.abha_number,
        title="Prescription photo",
        content_type=content_type,
        data=data,
        channel="telegram",
    )
    opened = await records.read_record(view.id, reader="self", channel="telegram")
    assert opened.summary("en").sections[1].lines[0].startswith("Prescription photo: ")


@pytest.mark.parametrize(
    ("content_type", "data"),
    [
        ("application/pdf", JPEG),  # the bytes are not what the type says
        ("image/jpeg", b"MZ\x90\x00 an executable"),
        ("application/zip", b"PK\x03\x04"),
        ("image/gif", b"GIF89a"),
    ],
)
async def test_other_files_are_refused(
    records: RecordService, person: PersonView, content_type: str, data: bytes
) -> None:
    with pytest.raises(InvalidInput) as refused:
        await records.add_own_document(
            person.abha_number,
            title="File",
            content_type=content_type,
            data=data,
            channel="telegram",
        )
    assert refused.value.code == "records.unsupported_content"
    assert (await records.list_records(person.abha_number)).total == 0


async def test_a_title_is_needed_and_the_abha_must_be_active(
    records: RecordService, person: PersonView, health: HealthIdWiring
) -> None:
    with pytest.raises(InvalidInput) as untitled:
        await records.add_own_document(
            person.abha_number,
            title=" ",
            content_type="application/pdf",
            data=PDF,
            channel="telegram",
        )
    assert untitled.value.params == {"field": "title"}
    await health.service.deactivate(person.abha_number, channel="sms")
    with pytest.raises(ArogyaError) as inactive:
        await records.add_own_document(
            person.abha_number,
            title="Scan",
            content_type="application/pdf",
            data=PDF,
            channel="telegram",
        )
    assert inactive.value.code == "abha.inactive"


async def test_the_size_cap_applies(
    audit: AuditLog, clock: FrozenClock, keyring: Keyring, person: PersonView
) -> None:
    small = make_records(audit, clock, random.Random(4), keyring, max_bundle_bytes=4096)
    with pytest.raises(TooLarge):
        await small.add_own_document(
            person.abha_number,
            title="Big scan",
            content_type="application/pdf",
            data=PDF + b"\x00" * 4096,
            channel="telegram",
        )


async def test_dated_on_the_persons_calendar_day(
    records: RecordService, person: PersonView, clock: FrozenClock
) -> None:
    clock.current = datetime(2026, 1, 15, 20, 0, tzinfo=UTC)  # 01:30 on the 16th in India
    view = await records.add_own_document(
        person.abha_number, title="Night scan", content_type="image/png", data=PNG, channel="sms"
    )
    assert view.date == date(2026, 1, 16)
