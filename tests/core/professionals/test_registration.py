"""Registering a doctor: the mobile proof, the master lists, uniqueness, refusals that change
nothing."""

from __future__ import annotations

import asyncio
import re
from dataclasses import replace

import pytest
from tortoise.exceptions import IntegrityError

from core.errors import Conflict, Forbidden, InvalidInput
from core.professionals.application import Qualification
from core.professionals.models import PlaceOfWork, Professional, ProfessionalStatus
from testing.professionals import application
from tests.core.professionals.helpers import Wiring, facility, proven_mobile, register


async def test_a_registration_waits_for_its_council(hpr: Wiring) -> None:
    place = await facility(hpr)
    doctor = await register(hpr, facility_ids=(place.lower(),))

    assert doctor.status is ProfessionalStatus.PENDING
    assert re.fullmatch(r"[1-9]\d{13}", doctor.hpr_id)
    assert doctor.hpr_address == "asha.rao@hpr"
    assert doctor.mobile == "+919876543210"
    assert doctor.council == "MH"
    assert doctor.registration_number == "2012/03/1234"
    assert doctor.facility_ids == (place,)
    assert [q.degree for q in doctor.qualifications] == ["MBBS", "MD (Paediatrics)"]
    assert await hpr.registry.get(doctor.formatted_hpr_id) == doctor
    events = await hpr.audit.events(subject=doctor.hpr_id)
    assert [(e.action, e.actor, e.channel) for e in events] == [
        ("hpr.registered", "partner:test", "api")
    ]


async def test_hpr_ids_are_fourteen_random_digits_without_a_check_digit(hpr: Wiring) -> None:
    ids = [
        (await register(hpr, registration_number=f"R{n}", mobile=f"+9198765432{n:02d}")).hpr_id
        for n in range(6)
    ]
    assert all(re.fullmatch(r"[1-9]\d{13}", hpr_id) for hpr_id in ids)
    assert len(set(ids)) == 6


async def test_handles_stay_unique_for_a_common_name(hpr: Wiring) -> None:
    first = await register(hpr, registration_number="A1")
    second = await register(hpr, registration_number="A2", mobile="+919876543211")
    third = await register(hpr, registration_number="A3", mobile="+919876543212", handle="Dr.Asha")

    assert first.hpr_address == "asha.rao@hpr"
    assert second.hpr_address == "asharao@hpr"
    assert third.hpr_address == "dr.asha@hpr"
    with pytest.raises(Conflict) as taken:
        await register(hpr, registration_number="A4", mobile="+919876543213", handle="dr.asha@hpr")
    assert taken.value.code == "hpr.handle_taken"


async def test_a_hindi_name_gets_a_latin_handle(hpr: Wiring) -> None:
    doctor = await register(hpr, name="डॉ. रमेश कुमार")
    assert doctor.name == "डॉ. रमेश कुमार"
    assert re.fullmatch(r"[a-z0-9._]{4,24}", doctor.handle)


async def test_a_registration_number_is_unique_within_its_council(hpr: Wiring) -> None:
    await register(hpr)
    with pytest.raises(Conflict) as duplicate:
        # spacing and case do not make a new number
        await register(hpr, registration_number=" 2012 / 03 / 1234 ", mobile="+919876543211")
    assert duplicate.value.code == "hpr.duplicate_registration"
    assert await Professional.all().count() == 1

    other_council = await register(hpr, council="gj", mobile="+919876543212")
    assert other_council.council == "GJ"
    assert await Professional.all().count() == 2


async def test_the_database_itself_refuses_a_duplicate_number(hpr: Wiring) -> None:
    doctor = await register(hpr)
    row = await Professional.get(hpr_id=doctor.hpr_id)
    with pytest.raises(IntegrityError):
        await Professional.create(
            **{
                **{f: getattr(row, f) for f in row._meta.db_fields if f != "id"},
                "hpr_id": "12345678901234",
                "handle": "someone.else",
                "mobile_txn_id": "another-proof",
            }
        )


async def test_racing_registrations_of_one_number_make_one_doctor(hpr: Wiring) -> None:
    proofs = [await proven_mobile(hpr, f"+91987654321{n}") for n in range(3)]
    results = await asyncio.gather(
        *(
            hpr.registry.register(
                application(mobile=f"+91987654321{n}"),
                mobile_txn_id=proof,
                channel="api",
                actor="partner:test",
            )
            for n, proof in enumerate(proofs)
        ),
        return_exceptions=True,
    )
    refused = [r for r in results if isinstance(r, Exception)]
    assert len(refused) == 2
    assert all(isinstance(r, Conflict) and r.code == "hpr.duplicate_registration" for r in refused)
    assert await Professional.all().count() == 1


async def test_an_unknown_council_is_refused(hpr: Wiring) -> None:
    txn = await proven_mobile(hpr)
    with pytest.raises(InvalidInput) as unknown:
        await hpr.registry.register(
            application(council="MAH"), mobile_txn_id=txn, channel="api", actor="partner:test"
        )
    assert unknown.value.code == "hpr.council_unknown"
    assert await Professional.all().count() == 0


async def test_the_mobile_must_be_proven_by_a_fresh_unused_otp_of_its_own(hpr: Wiring) -> None:
    app = application()
    started = await hpr.registry.start_mobile_verification(app.mobile, "en")
    with pytest.raises(Forbidden) as unverified:  # OTP sent but never entered
        await hpr.registry.register(app, mobile_txn_id=started.txn_id, channel="api", actor="t")
    assert unverified.value.code == "hpr.mobile_unverified"

    other_phone = await proven_mobile(hpr, "+919876543299")
    with pytest.raises(Forbidden):  # a proof for somebody else's phone
        await hpr.registry.register(app, mobile_txn_id=other_phone, channel="api", actor="t")
    with pytest.raises(Forbidden):  # no such transaction
        await hpr.registry.register(app, mobile_txn_id="made-up", channel="api", actor="t")

    proof = await proven_mobile(hpr)
    hpr.clock.advance(minutes=31)
    with pytest.raises(Forbidden):  # too old
        await hpr.registry.register(app, mobile_txn_id=proof, channel="api", actor="t")

    proof = await proven_mobile(hpr)
    await hpr.registry.register(app, mobile_txn_id=proof, channel="api", actor="t")
    with pytest.raises(Conflict) as reused:
        await hpr.registry.register(
            replace(app, registration_number="OTHER1"),
            mobile_txn_id=proof,
            channel="api",
            actor="t",
        )
    assert reused.value.code == "hpr.mobile_proof_used"
    assert await Professional.all().count() == 1


async def test_places_of_work_must_be_in_the_hfr(hpr: Wiring) -> None:
    known = await facility(hpr, verified=False)
    with pytest.raises(InvalidInput) as unknown:
        await register(hpr, facility_ids=(known, "IN2700000000"))
    assert unknown.value.code == "hpr.facility_unknown"
    assert unknown.value.params == {"facility_id": "IN2700000000"}
    assert await Professional.all().count() == 0
    assert await PlaceOfWork.all().count() == 0

    doctor = await register(hpr, facility_ids=(known,))  # under verification is still a place
    assert doctor.facility_ids == (known,)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", "<script>alert(1)</script>"),
        ("name", "A"),
        ("name", "12345"),
        ("mobile", "022 2412 3456"),  # a landline cannot take an OTP
        ("registration_number", "<b>1</b>"),
        ("registration_number", "ABC"),
        ("registration_year", 1899),
        ("registration_year", 2027),
        ("qualifications", ()),
        ("qualifications", (Qualification("MBBS", "College\x00", "University", 2010),)),
        ("qualifications", (Qualification("MBBS", "College", "University", 2030),)),
        ("specialisation", "astrology"),
        ("system_of_medicine", "reiki"),
        ("years_of_experience", -1),
        ("years_of_experience", 71),
        ("email", "not-an-email"),
        ("facility_ids", ("IN27",)),
        ("handle", "a@abdm"),
        ("language", "fr"),
        ("notify_channel", "email"),
    ],
)
async def test_bad_fields_are_refused_and_nothing_is_written(
    hpr: Wiring, field: str, value: object
) -> None:
    proof = await proven_mobile(hpr)
    with pytest.raises(InvalidInput) as refused:
        await hpr.registry.register(
            application(**{field: value}), mobile_txn_id=proof, channel="api", actor="t"
        )
    assert refused.value.code in {"hpr.invalid", "mobile.invalid"}
    assert await Professional.all().count() == 0


async def test_markup_in_free_text_is_stored_as_typed_for_renderers_to_escape(hpr: Wiring) -> None:
    college = '<img src=x onerror="alert(1)"> & Co'
    doctor = await register(
        hpr, qualifications=(Qualification("MBBS", college, "University", 2010),)
    )
    assert doctor.qualifications[0].institution == college


async def test_a_telegram_doctor_is_told_on_telegram(hpr: Wiring) -> None:
    doctor = await register(hpr, notify_channel="telegram", notify_address="123456789")
    row = await Professional.get(hpr_id=doctor.hpr_id)
    assert (row.notify_channel, row.notify_address) == ("telegram", "123456789")
    with pytest.raises(InvalidInput):
        await register(hpr, notify_channel="telegram", notify_address=None, mobile="+919876543211")
