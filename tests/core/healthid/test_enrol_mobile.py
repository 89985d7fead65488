"""Enrolment without Aadhaar (mobile OTP + self-declared profile), drafts, and the mobile cap."""

from __future__ import annotations

import random
from datetime import date

import pytest

from core.clock import FrozenClock
from core.errors import ArogyaError
from core.healthid import address, numbers
from core.healthid.models import Kyc, Person
from core.settings import Settings
from testing.healthid import (
    HealthIdWiring,
    build_health_id,
    enrol_with_aadhaar,
    enrol_with_mobile,
    last_otp,
    profile,
)
from tests.conftest import make_settings

MOBILE = "+919812345678"


async def _verified_draft(health: HealthIdWiring, mobile: str = MOBILE) -> str:
    ticket = await health.service.start_mobile(mobile, lang="hi", channel="telegram")
    enrolment = await health.service.verify_mobile(
        ticket.txn_id, await last_otp(health.sms, ticket.mobile)
    )
    assert enrolment.needs_profile
    assert enrolment.kyc == "self_declared"
    return enrolment.draft_id


async def test_mobile_path_creates_a_self_declared_abha(health: HealthIdWiring) -> None:
    draft_id = await _verified_draft(health)
    with pytest.raises(ArogyaError) as early:
        await health.service.suggest_addresses(draft_id)
    assert early.value.code == "draft.incomplete"

    hindi = profile(
        first_name=" सुनीता ",
        last_name="देवी",
        month_of_birth=3,
        day_of_birth=9,
        email="Sunita@Example.IN",
    )
    enrolment = await health.service.set_profile(draft_id, hindi)
    assert (enrolment.name, enrolment.birth_date) == ("सुनीता देवी", date(1988, 3, 9))
    suggestions = await health.service.suggest_addresses(draft_id)
    assert suggestions[0] == "sunita.devi"
    assert len(suggestions) >= 3
    assert all(address.is_valid_handle(h) for h in suggestions)

    await health.service.choose_address(draft_id, "sunita.devi@sbx")
    person = await health.service.finish(draft_id, channel="telegram")
    assert (person.kyc, person.aadhaar, person.email) == (
        "self_declared",
        None,
        "sunita@example.in",
    )
    assert (person.name, person.address, person.has_pin) == ("सुनीता देवी", "sunita.devi@sbx", False)
    events = await health.audit.events(action="abha.enrolled")
    assert [(e.subject, e.channel, e.detail) for e in events] == [
        (numbers.parse(person.abha_number), "telegram", {"kyc": "self_declared"})
    ]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"first_name": "  "}, "first_name"),
        ({"first_name": "R2D2"}, "first_name"),
        ({"last_name": "x" * 51}, "last_name"),
        ({"year_of_birth": 2027}, "year_of_birth"),
        ({"year_of_birth": 1899}, "year_of_birth"),
        ({"month_of_birth": 13}, "month_of_birth"),
        ({"day_of_birth": 5}, "month_of_birth"),
        ({"month_of_birth": 2, "day_of_birth": 30}, "day_of_birth"),
        ({"year_of_birth": 2026, "month_of_birth": 12, "day_of_birth": 1}, "day_of_birth"),
        ({"gender": "X"}, "gender"),
        ({"email": "not-an-email"}, "email"),
        ({"pin_code": "012345"}, "pin_code"),
        ({"state_lgd": 0}, "state_lgd"),
        ({"district_lgd": 10_000}, "district_lgd"),
    ],
)
async def test_a_bad_profile_names_the_field(
    health: HealthIdWiring, overrides: dict[str, object], field: str
) -> None:
    draft_id = await _verified_draft(health)
    with pytest.raises(ArogyaError) as refused:
        await health.service.set_profile(draft_id, profile(**overrides))
    assert (refused.value.code, refused.value.params) == ("profile.invalid", {"field": field})


async def test_a_profile_needs_a_verified_mobile_and_no_aadhaar(health: HealthIdWiring) -> None:
    ticket = await health.service.start_mobile(MOBILE, lang="en", channel="sms")
    draft = await health.drafts.by_txn(ticket.txn_id)
    assert draft is not None
    with pytest.raises(ArogyaError) as unverified:
        await health.service.set_profile(draft.id, profile())
    assert unverified.value.code == "draft.incomplete"

    aadhaar_ticket = await health.service.start_aadhaar(
        "999999990019", "9812345670", lang="en", channel="sms"
    )
    code = await last_otp(health.sms, aadhaar_ticket.mobile)
    enrolment = await health.service.verify_aadhaar(aadhaar_ticket.txn_id, code)
    with pytest.raises(ArogyaError) as verified:
        await health.service.set_profile(enrolment.draft_id, profile())
    assert verified.value.code == "draft.verified"


async def test_finish_refuses_an_incomplete_draft(health: HealthIdWiring) -> None:
    draft_id = await _verified_draft(health)
    await health.service.set_profile(draft_id, profile())
    with pytest.raises(ArogyaError) as refused:
        await health.service.finish(draft_id, channel="sms")
    assert refused.value.code == "draft.incomplete"
    assert await Person.all().count() == 0


async def test_addresses_are_checked_and_taken_ones_never_suggested(
    health: HealthIdWiring,
) -> None:
    await enrol_with_mobile(health, "9812345671", profile(), handle="sunita.devi")
    draft_id = await _verified_draft(health)
    await health.service.set_profile(draft_id, profile())
    for bad in ("sunita", "sunita..devi", "_sunitadevi", "sunita.devi@abdm", "sunita devi"):
        with pytest.raises(ArogyaError) as invalid:
            await health.service.choose_address(draft_id, bad)
        assert invalid.value.code == "address.invalid", bad
    with pytest.raises(ArogyaError) as taken:
        await health.service.choose_address(draft_id, "Sunita.Devi")
    assert taken.value.code == "address.taken"
    suggestions = await health.service.suggest_addresses(draft_id)
    assert "sunita.devi" not in suggestions
    assert len(suggestions) >= 3


async def test_a_draft_pin_must_be_four_digits_and_not_weak(health: HealthIdWiring) -> None:
    draft_id = await _verified_draft(health)
    await health.service.set_profile(draft_id, profile(year_of_birth=1988))
    for pin, code in (
        ("12a4", "pin.format"),
        ("12345", "pin.format"),
        ("1234", "pin.weak"),
        ("0000", "pin.weak"),
        ("1988", "pin.weak"),
    ):
        with pytest.raises(ArogyaError) as refused:
            await health.service.set_draft_pin(draft_id, pin)
        assert refused.value.code == code, pin
    assert (await health.service.set_draft_pin(draft_id, " 5683 ")).has_pin


async def test_a_draft_expires_with_the_conversation(
    health: HealthIdWiring, clock: FrozenClock, settings: Settings
) -> None:
    draft_id = await _verified_draft(health)
    clock.advance(seconds=settings.conversation_ttl_seconds - 1)
    await health.service.set_profile(draft_id, profile())  # each step renews the draft
    clock.advance(seconds=settings.conversation_ttl_seconds - 1)
    assert (await health.service.draft(draft_id)).name == "Sunita Devi"
    clock.advance(seconds=2)
    with pytest.raises(ArogyaError) as expired:
        await health.service.draft(draft_id)
    assert expired.value.code == "draft.expired"


async def test_an_abha_number_collision_draws_again(
    health: HealthIdWiring, rng: random.Random, clock: FrozenClock
) -> None:
    draft_id = await _verified_draft(health)
    await health.service.set_profile(draft_id, profile())
    await health.service.choose_address(draft_id, "sunita.devi")
    upcoming = random.Random()
    upcoming.setstate(rng.getstate())
    clash = numbers.generate(upcoming)
    now = clock.now()
    await Person.create(
        abha_number=clash,
        address="someone.else@sbx",
        kyc=Kyc.SELF_DECLARED,
        created_at=now,
        updated_at=now,
    )

    person = await health.service.finish(draft_id, channel="sms")
    assert numbers.parse(person.abha_number) != clash
    assert numbers.is_valid(person.abha_number)


async def test_a_mobile_holds_at_most_the_cap(
    db: str, clock: FrozenClock, rng: random.Random
) -> None:
    assert Settings().max_abhas_per_mobile == 6
    health = build_health_id(make_settings(max_abhas_per_mobile=2), clock, rng)
    family = [profile(first_name=name) for name in ("Sunita", "Rekha")]
    made = [await enrol_with_mobile(health, MOBILE, member) for member in family]

    with pytest.raises(ArogyaError) as by_mobile:
        await health.service.start_mobile(MOBILE, lang="en", channel="sms")
    assert (by_mobile.value.code, by_mobile.value.params) == ("mobile.cap_reached", {"limit": 2})
    ticket = await health.service.start_aadhaar("999999990019", MOBILE, lang="en", channel="sms")
    with pytest.raises(ArogyaError) as by_aadhaar:
        await health.service.verify_aadhaar(ticket.txn_id, await last_otp(health.sms, MOBILE))
    assert by_aadhaar.value.code == "mobile.cap_reached"

    await health.service.delete(made[0].abha_number, channel="sms")  # a deleted ABHA frees a slot
    again = await enrol_with_aadhaar(health, "999999990026", MOBILE)
    assert again.kyc == "verified"
    assert len(await health.service.by_mobile(MOBILE)) == 2
