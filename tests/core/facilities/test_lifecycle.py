"""A facility's life: DRAFT -> SUBMITTED -> VERIFIED or REJECTED, each step audited."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.audit.service import AuditLog
from core.clock import FrozenClock
from core.errors import Conflict, InvalidInput, NotFound
from core.facilities import ids
from core.facilities.models import FacilityStatus, FacilityType, SystemOfMedicine
from core.facilities.service import FacilityService
from testing.facilities import ADMIN, hospital_draft


async def test_register_keeps_a_normalised_draft(facilities: FacilityService) -> None:
    draft = hospital_draft(
        name="  Sanjeevani   Hospital ",
        facility_type="Hospital",
        system_of_medicine="AYURVEDA",
        specialities=["Panchakarma", "panchakarma ", "Kayachikitsa"],
        pincode="226 004",
    )
    facility = await facilities.register(draft, actor="cli")
    assert facility.status is FacilityStatus.DRAFT
    assert facility.name == "Sanjeevani Hospital"
    assert facility.facility_type is FacilityType.HOSPITAL
    assert facility.system_of_medicine is SystemOfMedicine.AYURVEDA
    assert facility.specialities == ("Panchakarma", "Kayachikitsa")
    assert facility.pincode == "226004"
    assert facility.phone == "+915222635000"
    assert facility.submitted_at is None
    assert await facilities.get(facility.id) == facility


async def test_the_id_starts_with_the_state_lgd_code(facilities: FacilityService) -> None:
    delhi = await facilities.register(
        hospital_draft(state_code=7, district_code=79, pincode="110001"), actor="cli"
    )
    bihar = await facilities.register(
        hospital_draft(state_code=10, district_code=212, pincode="800001"), actor="cli"
    )
    assert ids.is_valid(delhi.id)
    assert delhi.id.startswith("IN07")
    assert ids.is_valid(bihar.id)
    assert bihar.id.startswith("IN10")
    assert ids.state_code_of(bihar.id) == 10


async def test_an_id_already_taken_is_drawn_again(
    facilities: FacilityService, audit: AuditLog, clock: FrozenClock, rng: random.Random
) -> None:
    twin = random.Random()
    twin.setstate(rng.getstate())  # draws exactly what `facilities` will draw next
    first = await FacilityService(clock, twin, audit).register(hospital_draft(), actor="cli")
    second = await facilities.register(hospital_draft(), actor="cli")
    assert second.id != first.id
    assert ids.is_valid(second.id)
    assert second.id.startswith("IN09")


async def test_submit_then_verify(facilities: FacilityService, clock: FrozenClock) -> None:
    draft = await facilities.register(hospital_draft(), actor="cli")
    clock.advance(60)
    submitted = await facilities.submit(draft.id, actor="cli")
    assert submitted.status is FacilityStatus.SUBMITTED
    assert submitted.submitted_at == clock.now()
    clock.advance(3600)
    key = await facilities.verify(draft.id, admin=ADMIN)
    verified = await facilities.get(draft.id)
    assert verified.status is FacilityStatus.VERIFIED
    assert verified.is_verified
    assert verified.decided_at == clock.now()
    assert key.facility_id == draft.id
    assert key.api_key.startswith(f"afk_{key.key_id}_")


async def test_reject_with_a_reason_then_correct_and_resubmit(
    facilities: FacilityService,
) -> None:
    facility = await facilities.register(hospital_draft(), actor="cli", submit=True)
    rejected = await facilities.reject(
        facility.id, "Registration certificate is unreadable", admin=ADMIN
    )
    assert rejected.status is FacilityStatus.REJECTED
    assert rejected.rejection_reason == "Registration certificate is unreadable"
    corrected = await facilities.update(
        facility.id, hospital_draft(phone="+91 522 263 5001"), actor="cli"
    )
    assert corrected.phone == "+915222635001"
    assert corrected.status is FacilityStatus.REJECTED
    resubmitted = await facilities.submit(facility.id, actor="cli")
    assert resubmitted.status is FacilityStatus.SUBMITTED
    assert resubmitted.rejection_reason is None
    await facilities.verify(facility.id, admin=ADMIN)


async def test_rejection_needs_a_reason(facilities: FacilityService) -> None:
    facility = await facilities.register(hospital_draft(), actor="cli", submit=True)
    for reason in ("", "  ", "no"):
        with pytest.raises(InvalidInput) as refused:
            await facilities.reject(facility.id, reason, admin=ADMIN)
        assert refused.value.params == {"field": "reason"}
    assert (await facilities.get(facility.id)).status is FacilityStatus.SUBMITTED


@pytest.mark.parametrize(
    ("steps", "action"),
    [
        ((), "verify"),  # a DRAFT cannot be verified before it is submitted
        ((), "reject"),
        (("submit",), "submit"),  # submitted twice
        (("submit", "verify"), "verify"),  # verified twice
        (("submit", "verify"), "reject"),
        (("submit", "verify"), "update"),  # a verified facility is not edited as a draft
        (("submit", "reject"), "verify"),  # a rejection must be resubmitted first
    ],
)
async def test_transitions_out_of_order_are_refused(
    facilities: FacilityService, steps: tuple[str, ...], action: str
) -> None:
    facility = await facilities.register(hospital_draft(), actor="cli")

    async def act(name: str) -> object:
        if name == "submit":
            return await facilities.submit(facility.id, actor="cli")
        if name == "verify":
            return await facilities.verify(facility.id, admin=ADMIN)
        if name == "reject":
            return await facilities.reject(facility.id, "Incomplete documents", admin=ADMIN)
        return await facilities.update(facility.id, hospital_draft(), actor="cli")

    for step in steps:
        await act(step)
    before = await facilities.get(facility.id)
    with pytest.raises(Conflict) as refused:
        await act(action)
    assert refused.value.code == "facility.wrong_status"
    assert refused.value.params == {"status": before.status.value}
    assert await facilities.get(facility.id) == before


async def test_unknown_facilities_are_not_found(facilities: FacilityService) -> None:
    for facility_id in ("IN0912345678", "not-an-id", ""):
        with pytest.raises(NotFound) as missing:
            await facilities.verify(facility_id, admin=ADMIN)
        assert missing.value.code == "facility.not_found"


async def test_every_step_is_audited(facilities: FacilityService, audit: AuditLog) -> None:
    facility = await facilities.register(hospital_draft(), actor="cli")
    await facilities.submit(facility.id, actor="cli")
    await facilities.reject(facility.id, "Wrong district", admin=ADMIN)
    await facilities.update(facility.id, hospital_draft(), actor="cli")
    await facilities.submit(facility.id, actor="cli")
    key = await facilities.verify(facility.id, admin=ADMIN)
    events = await audit.events(subject=facility.id)
    assert [event.action for event in events] == [
        "facility.registered",
        "facility.submitted",
        "facility.rejected",
        "facility.updated",
        "facility.submitted",
        "facility.verified",
    ]
    assert events[2].actor == ADMIN
    assert events[2].detail == {"reason": "Wrong district"}
    assert events[-1].detail == {"key": key.key_id}
    assert all(key.api_key not in str(event.detail) for event in events)


async def test_a_refused_draft_stores_nothing(facilities: FacilityService) -> None:
    with pytest.raises(InvalidInput) as refused:
        await facilities.register(hospital_draft(pincode="012345"), actor="cli")
    assert refused.value.params == {"field": "pincode"}
    assert (await facilities.by_status(FacilityStatus.DRAFT)).total == 0


async def test_the_administrators_queue_is_oldest_first(
    facilities: FacilityService, clock: FrozenClock
) -> None:
    names = ["Alpha Clinic", "Beta Clinic", "Gamma Clinic"]
    for name in names:
        await facilities.register(hospital_draft(name=name), actor="cli", submit=True)
        clock.advance(60)
    queue = await facilities.by_status(FacilityStatus.SUBMITTED, page_size=2)
    assert [f.name for f in queue.items] == names[:2]
    assert queue.total == 3
    assert queue.has_next


@given(state=st.integers(min_value=1, max_value=99), seed=st.integers(min_value=0))
def test_generated_ids_carry_their_state(state: int, seed: int) -> None:
    facility_id = ids.generate(state, random.Random(seed))
    assert ids.is_valid(facility_id)
    assert len(facility_id) == 12
    assert ids.state_code_of(facility_id) == state


@given(text=st.text(max_size=14))
def test_only_the_id_shape_is_valid(text: str) -> None:
    shaped = len(text) == 12 and text[:2] == "IN" and text[2:].isascii() and text[2:].isdigit()
    assert ids.is_valid(text) == shaped
