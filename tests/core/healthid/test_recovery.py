"""core.healthid.recovery: what an OTP proved is used once and not after ten minutes; a reset
lifts a lockout; a mobile change needs the PIN, both proofs and room on the new mobile."""

from __future__ import annotations

import asyncio

import pytest

from core.clock import FrozenClock
from core.errors import ArogyaError
from core.healthid.views import PersonView
from testing.healthid import HealthIdWiring, enrol_with_aadhaar, enrol_with_mobile, last_otp
from testing.healthid import profile as a_profile

OLD = "+919876543210"
NEW = "+919123456789"
PIN = "4826"


async def sunita(health: HealthIdWiring) -> PersonView:
    return await enrol_with_mobile(health, OLD, a_profile(), handle="sunita.devi", pin=PIN)


async def reset_grant(health: HealthIdWiring, person: PersonView) -> str:
    service = health.service
    ticket = await service.start_pin_reset(person.abha_number, lang="en", channel="sms")
    code = await last_otp(health.sms, OLD)
    return await service.verify_pin_reset(ticket.txn_id, code, channel="sms")


async def test_a_reset_lifts_the_lock_and_its_grant_works_once(health: HealthIdWiring) -> None:
    person = await sunita(health)
    service = health.service
    for wrong in ("1357", "2468", "1470", "2580", "3690"):
        with pytest.raises(ArogyaError):
            await service.verify_pin(person.abha_number, wrong)
    with pytest.raises(ArogyaError) as locked:
        await service.verify_pin(person.abha_number, PIN)
    assert locked.value.code == "pin.locked"
    grant = await reset_grant(health, person)
    with pytest.raises(ArogyaError) as weak:
        await service.reset_pin(grant, "1111", channel="sms")
    assert weak.value.code == "pin.weak"  # a weak PIN does not use the grant up
    results = await asyncio.gather(
        service.reset_pin(grant, "5931", channel="sms"),
        service.reset_pin(grant, "7392", channel="sms"),
        return_exceptions=True,
    )
    refused = [r for r in results if isinstance(r, ArogyaError)]
    assert [r.code for r in refused] == ["recovery.used"]  # exactly one took effect
    new = "5931" if results[0] is None else "7392"
    await service.verify_pin(person.abha_number, new)


async def test_a_grant_is_refused_after_ten_minutes(
    health: HealthIdWiring, clock: FrozenClock
) -> None:
    person = await sunita(health)
    grant = await reset_grant(health, person)
    clock.advance(601)
    with pytest.raises(ArogyaError) as late:
        await health.service.reset_pin(grant, "5931", channel="sms")
    assert late.value.code == "recovery.expired"
    with pytest.raises(ArogyaError) as forged:
        await health.service.reset_pin("not-a-grant", "5931", channel="sms")
    assert forged.value.code == "recovery.expired"
    await health.service.verify_pin(person.abha_number, PIN)


async def test_a_wrong_pin_opens_no_change_and_counts(health: HealthIdWiring) -> None:
    person = await sunita(health)
    with pytest.raises(ArogyaError) as wrong:
        await health.service.open_mobile_change(person.abha_number, NEW, "1397", channel="ussd")
    assert wrong.value.code == "pin.invalid"
    assert wrong.value.params["attempts_left"] == 4


async def test_the_new_mobile_must_have_room_at_the_start_and_at_the_end(
    health: HealthIdWiring,
) -> None:
    person = await sunita(health)
    service = health.service
    change = await service.open_mobile_change(person.abha_number, NEW, PIN, channel="ussd")
    old = await service.prove_old_mobile(change, lang="en")
    new = await service.confirm_mobile_holder(
        old.txn_id, await last_otp(health.sms, OLD), lang="en"
    )
    code = await last_otp(health.sms, NEW)
    for n in range(6):  # meanwhile, a family fills the new phone
        await enrol_with_mobile(health, NEW, a_profile(first_name=f"Kin{chr(65 + n)}"))
    with pytest.raises(ArogyaError) as full:
        await service.finish_mobile_change(new.txn_id, code, channel="ussd")
    assert full.value.code == "mobile.cap_reached"
    assert [p.abha_number for p in await service.by_mobile(OLD)] == [person.abha_number]
    with pytest.raises(ArogyaError) as at_start:
        await service.open_mobile_change(person.abha_number, NEW, PIN, channel="ussd")
    assert at_start.value.code == "mobile.cap_reached"


async def test_the_new_phones_otp_alone_cannot_move_an_abha(health: HealthIdWiring) -> None:
    person = await sunita(health)
    service = health.service
    change = await service.open_mobile_change(person.abha_number, NEW, PIN, channel="ussd")
    await service.prove_old_mobile(change, lang="en")
    with pytest.raises(ArogyaError) as unknown:  # no OTP to the new phone before the old one's
        await service.finish_mobile_change("no-such-txn", "123456", channel="ussd")
    assert unknown.value.code == "otp.unknown"


async def test_lost_sim_needs_this_abhas_own_aadhaar(health: HealthIdWiring) -> None:
    person = await enrol_with_aadhaar(health, "999999990019", OLD, handle="sunita.k", pin=PIN)
    service = health.service
    change = await service.open_mobile_change(person.abha_number, NEW, PIN, channel="ussd")
    with pytest.raises(ArogyaError) as other:
        await service.prove_by_aadhaar(change, "999999990026", lang="en")
    assert other.value.code == "recovery.aadhaar_mismatch"
    ticket = await service.prove_by_aadhaar(change, "999999990019", lang="en")
    new = await service.confirm_mobile_holder(
        ticket.txn_id, await last_otp(health.sms, NEW), lang="en"
    )
    changed = await service.finish_mobile_change(
        new.txn_id, await last_otp(health.sms, NEW), channel="ussd"
    )
    assert (changed.old_mobile, changed.new_mobile) == (OLD, NEW)

    declared = await sunita(health)
    change = await service.open_mobile_change(declared.abha_number, NEW, PIN, channel="ussd")
    with pytest.raises(ArogyaError) as no_kyc:
        await service.prove_by_aadhaar(change, "999999990019", lang="en")
    assert no_kyc.value.code == "recovery.needs_kyc"
