""" "This wasn't me" for several young ABHAs on one mobile, or from a chat: the OTP proves the
mobile first (`start_for_mobile`, `prove`), then one chosen ABHA is deleted (`erase_proved`).
A proof is good only for ABHAs young and on that mobile; a repeat has one effect."""

from __future__ import annotations

from core.clock import FrozenClock
from core.healthid.models import Person, PersonStatus
from core.services import Services
from testing.world import PHONE, World, last_sms_code
from tests.core.leaving.test_disown import OTHER, refused


async def test_the_proof_lists_the_young_abhas_and_deletes_only_the_chosen_one(
    services: Services, world: World, clock: FrozenClock
) -> None:
    older = await world.person(first_name="Kamla")
    clock.advance(days=1)
    newer = await world.person(first_name="Ravi", handle="ravi.kumar88")
    elsewhere = await world.person(OTHER, first_name="Sita", handle="sita.devi70")
    disown = services.leaving.disown
    ticket = await disown.start_for_mobile(PHONE, lang="hi", channel="telegram")
    assert await refused(disown.prove(ticket.txn_id, "000000")) == "otp.invalid"
    proof = await disown.prove(ticket.txn_id, await last_sms_code(services, PHONE))
    compact = [p.abha_number.replace("-", "") for p in (newer, older)]
    assert (proof.mobile, proof.lang, list(proof.numbers)) == (PHONE, "hi", compact)
    assert await refused(disown.prove(ticket.txn_id, "123456")) in {"otp.used", "otp.unknown"}

    # another mobile's ABHA is not this proof's to delete, and reads as none at all
    other = elsewhere.abha_number
    assert await refused(disown.erase_proved(other, PHONE, lang="hi", channel="x")) == (
        "abha.not_found"
    )
    assert (
        await disown.erase_proved(compact[1], PHONE, lang="hi", channel="telegram") == (compact[1])
    )
    again = disown.erase_proved(compact[1], PHONE, lang="hi", channel="telegram")
    assert await refused(again) == "abha.not_found"  # the tombstone holds no mobile
    assert (await Person.get(abha_number=compact[1])).status is PersonStatus.DELETED
    assert (await Person.get(abha_number=compact[0])).status is PersonStatus.ACTIVE
    assert len(await services.audit.events(action="abha.disowned")) == 1
    assert (await services.sms.sent_to(PHONE))[-1].lang == "hi"


async def test_a_mobile_with_no_young_abha_gets_no_otp(
    services: Services, world: World, clock: FrozenClock
) -> None:
    await world.person(first_name="Kamla")
    clock.advance(days=31)
    disown = services.leaving.disown
    assert await refused(disown.start_for_mobile(PHONE, lang="en", channel="ussd")) == (
        "disown.none"
    )
    assert await refused(disown.start_for_mobile(OTHER, lang="en", channel="ussd")) == (
        "disown.none"
    )
