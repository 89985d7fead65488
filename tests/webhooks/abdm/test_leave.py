"""Deactivating and deleting an ABHA in `abdm` mode: ABDM acts first, the mirror follows.

Driven through `LeaveService` (what the leave flow calls) against the loopback ABDM: the PIN
is Arogya's, then ABDM's login OTP (for the X-token) and ABDM's profile-update OTP (scope
`de-activate` / `delete`), each to the ABHA's mobile. Nothing local changes until ABDM said
yes; ABDM down or slow is said as usual and leaves nothing half-done; a retry after a timeout,
or a second delivery of the same code, has one effect. Reactivation is refused before any PIN.
"""

from __future__ import annotations

import asyncio

import pytest

from core.abdm.cards.models import AbdmCard, AbdmUserToken
from core.errors import ArogyaError, Conflict, InvalidInput, Pending, RemoteUnavailable
from core.healthid.models import Person, PersonStatus
from core.leaving.models import Erasure
from core.services import Services
from tests.webhooks.abdm.conftest import PHONE, Abdm
from tests.webhooks.abdm.test_faults import finish, start

PIN = "4826"
VERIFY = "/abha/api/v3/profile/account/verify"
ASK = "/abha/api/v3/profile/account/request/otp"


async def mirrored(registry: Services, abdm: Abdm) -> str:
    number = await finish(registry, abdm, await start(registry))
    await registry.healthid.set_pin(number, PIN, channel="cli")
    return number


def at_abdm(abdm: Abdm, number: str) -> str:
    """ABDM's status of the ABHA, or DELETED once it is gone from ABDM."""
    formatted = f"{number[:2]}-{number[2:6]}-{number[6:10]}-{number[10:]}"
    if formatted in abdm.fake.deleted_abhas:
        return "DELETED"
    return abdm.fake.people.abhas[formatted].status


async def local(number: str) -> PersonStatus:
    return (await Person.get(abha_number=number)).status


async def second_otp(registry: Services, abdm: Abdm, number: str, action: str) -> str:
    """PIN, then ABDM's first OTP: the txnId the second OTP is typed against."""
    ticket = await registry.leaving.start(number, action, PIN, lang="en", channel="ussd")  # type: ignore[arg-type]
    assert ticket.masked_mobile == "******3210"
    with pytest.raises(Pending) as more:
        await registry.leaving.confirm(
            ticket.txn_id, abdm.fake.people.last_otp(PHONE), channel="ussd"
        )
    assert (more.value.code, more.value.params) == (
        "abdm.leave_second_otp",
        {"mobile": "******3210"},
    )
    return ticket.txn_id


async def test_deactivation_happens_at_abdm_then_in_the_mirror(
    registry: Services, abdm: Abdm
) -> None:
    number = await mirrored(registry, abdm)
    leaving = registry.leaving
    ticket = await leaving.start(number, "deactivate", PIN, lang="en", channel="ussd")
    with pytest.raises(InvalidInput) as wrong:
        await leaving.confirm(ticket.txn_id, "000000", channel="ussd")
    assert wrong.value.code == "abdm.otp_invalid"
    with pytest.raises(Pending):
        await leaving.confirm(ticket.txn_id, abdm.fake.people.last_otp(PHONE), channel="ussd")
    # one OTP proved the mobile; nothing has changed anywhere yet
    assert (at_abdm(abdm, number), await local(number)) == ("ACTIVE", PersonStatus.ACTIVE)
    with pytest.raises(InvalidInput):
        await leaving.confirm(ticket.txn_id, "000000", channel="ussd")
    assert at_abdm(abdm, number) == "ACTIVE"

    code = abdm.fake.people.last_otp(PHONE)
    assert await leaving.confirm(ticket.txn_id, code, channel="ussd") == "deactivate"
    assert (at_abdm(abdm, number), await local(number)) == (
        "DEACTIVATED",
        PersonStatus.DEACTIVATED,
    )
    # the same code delivered again: the same answer, no second SMS, no second call
    calls = len(abdm.fake.calls)
    assert await leaving.confirm(ticket.txn_id, code, channel="ussd") == "deactivate"
    assert len(abdm.fake.calls) == calls
    keys = [row.message_key for row in await registry.sms.sent_to(PHONE)]
    assert keys.count("sms.leave.deactivate_abdm") == 1
    # the X-token went to ABDM sealed in state only, never in clear in a body
    assert not any(b"Bearer" in body for body in abdm.fake.bodies)


async def test_deletion_happens_at_abdm_then_the_mirror_is_wiped(
    registry: Services, abdm: Abdm
) -> None:
    number = await mirrored(registry, abdm)
    txn = await second_otp(registry, abdm, number, "delete")
    assert await AbdmUserToken.filter(abha_number=number).count() == 1  # the login's, kept
    done = await registry.leaving.confirm(txn, abdm.fake.people.last_otp(PHONE), channel="ussd")
    assert done == "delete"
    assert (at_abdm(abdm, number), await local(number)) == ("DELETED", PersonStatus.DELETED)
    person = await Person.get(abha_number=number)
    assert await Erasure.filter(person_id=person.id).count() == 1
    # nothing of ABDM's card or the holder's token outlives the ABHA
    assert await AbdmUserToken.filter(abha_number=number).count() == 0
    assert await AbdmCard.filter(abha_number=number).count() == 0


async def test_abdm_down_changes_nothing_and_the_person_can_go_on(
    registry: Services, abdm: Abdm
) -> None:
    number = await mirrored(registry, abdm)
    txn = await second_otp(registry, abdm, number, "deactivate")
    code = abdm.fake.people.last_otp(PHONE)
    abdm.fake.fail_next[VERIFY] = (503, {"error": {"code": "ABDM-1200", "message": "down"}})
    with pytest.raises(RemoteUnavailable) as down:
        await registry.leaving.confirm(txn, code, channel="ussd")
    assert down.value.code == "abdm.unavailable"
    assert (at_abdm(abdm, number), await local(number)) == ("ACTIVE", PersonStatus.ACTIVE)
    assert await registry.leaving.confirm(txn, code, channel="ussd") == "deactivate"
    assert (at_abdm(abdm, number), await local(number)) == (
        "DEACTIVATED",
        PersonStatus.DEACTIVATED,
    )


async def test_a_retry_after_a_timeout_has_one_effect(registry: Services, abdm: Abdm) -> None:
    number = await mirrored(registry, abdm)
    txn = await second_otp(registry, abdm, number, "delete")
    code = abdm.fake.people.last_otp(PHONE)
    abdm.fake.delay[VERIFY] = 3.5  # ABDM deletes, and answers after the client gave up
    with pytest.raises(RemoteUnavailable):
        await registry.leaving.confirm(txn, code, channel="ussd")
    del abdm.fake.delay[VERIFY]
    # ABDM acted; the mirror has not moved ahead of an answer it never got
    assert (at_abdm(abdm, number), await local(number)) == ("DELETED", PersonStatus.ACTIVE)
    assert await registry.leaving.confirm(txn, code, channel="ussd") == "delete"
    assert await local(number) == PersonStatus.DELETED
    keys = [row.message_key for row in await registry.sms.sent_to(PHONE)]
    assert keys.count("sms.leave.delete") == 1
    assert abdm.fake.calls.count(VERIFY) == 2  # the lost answer, then the used transaction


async def test_a_wrong_pin_sends_no_abdm_otp(registry: Services, abdm: Abdm) -> None:
    number = await mirrored(registry, abdm)
    asked = len(abdm.fake.people.sent)
    with pytest.raises(ArogyaError) as wrong:
        await registry.leaving.start(number, "delete", "0000", lang="en", channel="ussd")
    assert wrong.value.code.startswith("pin.")
    assert len(abdm.fake.people.sent) == asked


async def test_reactivation_is_refused_before_any_pin(registry: Services, abdm: Abdm) -> None:
    number = await mirrored(registry, abdm)
    txn = await second_otp(registry, abdm, number, "deactivate")
    await registry.leaving.confirm(txn, abdm.fake.people.last_otp(PHONE), channel="ussd")
    with pytest.raises(Conflict) as refused:
        await registry.leaving.start(number, "reactivate", "0000", lang="hi", channel="ussd")
    assert refused.value.code == "abdm.reactivate_not_offered"
    await registry.healthid.verify_pin(number, PIN, deactivated_too=True)  # nothing counted
    assert ASK in abdm.fake.calls


async def test_two_deliveries_of_the_second_code_at_once_have_one_effect(
    registry: Services, abdm: Abdm
) -> None:
    number = await mirrored(registry, abdm)
    txn = await second_otp(registry, abdm, number, "deactivate")
    code = abdm.fake.people.last_otp(PHONE)
    both = await asyncio.gather(
        registry.leaving.confirm(txn, code, channel="ussd"),
        registry.leaving.confirm(txn, code, channel="sms"),
    )
    assert list(both) == ["deactivate", "deactivate"]
    assert abdm.fake.calls.count(VERIFY) == 1
    keys = [row.message_key for row in await registry.sms.sent_to(PHONE)]
    assert keys.count("sms.leave.deactivate_abdm") == 1
    assert await local(number) == PersonStatus.DEACTIVATED


async def test_send_again_starts_over_at_the_pin(registry: Services, abdm: Abdm) -> None:
    """ABDM has no resend call: the flow's "send again" ends this ABDM transaction and asks
    for the PIN, which starts a new one."""
    number = await mirrored(registry, abdm)
    ticket = await registry.leaving.start(number, "delete", PIN, lang="en", channel="ussd")
    with pytest.raises(Conflict) as over:
        await registry.leaving.resend(ticket.txn_id, lang="en")
    assert over.value.code == "aadhaar.txn_expired"
    assert await local(number) == PersonStatus.ACTIVE
