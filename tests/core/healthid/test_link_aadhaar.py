"""ABDM's rule in the embedded registry: a mobile alone gives an ABHA address, not a number;
linking an Aadhaar by OTP later gives the number and keeps the address (and everything tied
to the ABHA, since its key does not change)."""

from __future__ import annotations

import asyncio

import pytest

from core.errors import ArogyaError
from core.healthid import card, numbers
from core.healthid.models import Person
from core.healthid.views import PersonView
from core.identity.models import AadhaarLink
from testing.healthid import (
    HealthIdWiring,
    enrol_with_aadhaar,
    enrol_with_mobile,
    last_otp,
    profile,
)

MOBILE = "+919812345678"
OTHER_MOBILE = "+919812345679"
AADHAAR = "999999990019"


async def _self_declared(health: HealthIdWiring, mobile: str = MOBILE, **kw: object) -> PersonView:
    return await enrol_with_mobile(health, mobile, profile(**kw), pin="4826")


async def test_a_mobile_alone_gives_an_address_that_shows_no_number(
    health: HealthIdWiring,
) -> None:
    person = await _self_declared(health)
    verified = await enrol_with_aadhaar(health, "999999990026", OTHER_MOBILE)

    assert (person.kyc, person.has_number) == ("self_declared", False)
    assert (verified.kyc, verified.has_number) == ("verified", True)
    # the card prints the address alone: no number row, none in the QR
    data = card.card_data(await Person.get(abha_number=numbers.compact(person.abha_number)))
    assert (data.abha_number, data.address, data.qr["hidn"]) == (None, person.address, "")
    png = card.render_png(data, "hi")
    assert png.startswith(b"\x89PNG")
    # its internal key does not open a login: only an ABHA number does
    with pytest.raises(ArogyaError) as refused:
        await health.service.start_login(person.abha_number, lang="en", channel="sms")
    assert refused.value.code == "abha.not_found"
    await health.service.start_login(person.address, lang="en", channel="sms")


async def test_linking_an_aadhaar_gives_the_number_and_keeps_the_address(
    health: HealthIdWiring,
) -> None:
    person = await _self_declared(health)
    ticket = await health.service.start_link_aadhaar(
        person.abha_number, AADHAAR, lang="hi", channel="ussd"
    )
    assert ticket.mobile == MOBILE  # the ABHA's own mobile gets UIDAI's OTP
    code = await last_otp(health.sms, MOBILE)

    with pytest.raises(ArogyaError) as wrong:  # a wrong OTP keeps the link open
        await health.service.verify_link_aadhaar(
            person.abha_number,
            ticket.txn_id,
            "000000" if code != "000000" else "111111",
            channel="ussd",
        )
    assert wrong.value.code == "aadhaar.otp_invalid"
    linked = await health.service.verify_link_aadhaar(
        person.abha_number, ticket.txn_id, code, channel="ussd"
    )

    assert linked.abha_number == person.abha_number  # the key records stand on did not move
    assert linked.address == person.address
    assert (linked.kyc, linked.has_number, linked.has_pin) == ("verified", True, True)
    assert linked.aadhaar == "XXXX-XXXX-0019"
    assert linked.name != "Sunita Devi"  # the Aadhaar's (eKYC) demographics now
    stored = await Person.get(abha_number=numbers.compact(person.abha_number))
    assert stored.aadhaar_hmac is not None
    assert AADHAAR not in stored.aadhaar_hmac
    assert await AadhaarLink.all().count() == 0  # nothing of the Aadhaar waits any more
    events = await health.audit.events(action="abha.aadhaar_linked")
    assert [e.subject for e in events] == [numbers.compact(person.abha_number)]
    # the number now logs in; the same Aadhaar cannot make a second ABHA
    await health.service.start_login(linked.abha_number, lang="en", channel="sms")
    again = await enrol_with_aadhaar(health, AADHAAR, OTHER_MOBILE)
    assert again.abha_number == linked.abha_number


async def test_an_aadhaar_that_has_an_abha_is_refused_after_its_otp(
    health: HealthIdWiring,
) -> None:
    owner = await enrol_with_aadhaar(health, AADHAAR, OTHER_MOBILE)
    person = await _self_declared(health)
    ticket = await health.service.start_link_aadhaar(
        person.abha_number, AADHAAR, lang="en", channel="sms"
    )
    with pytest.raises(ArogyaError) as refused:
        await health.service.verify_link_aadhaar(
            person.abha_number, ticket.txn_id, await last_otp(health.sms, MOBILE), channel="sms"
        )

    assert refused.value.code == "aadhaar.has_abha"
    assert (await health.service.get(person.abha_number)).kyc == "self_declared"
    assert (await health.service.get(owner.abha_number)).address == owner.address


async def test_only_an_abha_without_a_number_and_only_its_own_link(
    health: HealthIdWiring,
) -> None:
    verified = await enrol_with_aadhaar(health, "999999990026", OTHER_MOBILE)
    with pytest.raises(ArogyaError) as has:
        await health.service.start_link_aadhaar(
            verified.abha_number, AADHAAR, lang="en", channel="sms"
        )
    assert has.value.code == "abha.has_number"

    person = await _self_declared(health)
    other = await _self_declared(health, first_name="Kamla")
    ticket = await health.service.start_link_aadhaar(
        person.abha_number, AADHAAR, lang="en", channel="sms"
    )
    with pytest.raises(ArogyaError) as foreign:  # another ABHA cannot use this OTP
        await health.service.verify_link_aadhaar(
            other.abha_number, ticket.txn_id, await last_otp(health.sms, MOBILE), channel="sms"
        )
    assert foreign.value.code == "aadhaar.txn_expired"
    assert (await health.service.get(other.abha_number)).kyc == "self_declared"


async def test_two_abhas_linking_one_aadhaar_at_once_one_wins(health: HealthIdWiring) -> None:
    first = await _self_declared(health)
    second = await _self_declared(health, OTHER_MOBILE, first_name="Kamla")
    tickets = [
        await health.service.start_link_aadhaar(p.abha_number, AADHAAR, lang="en", channel="sms")
        for p in (first, second)
    ]
    codes = [await last_otp(health.sms, mobile) for mobile in (MOBILE, OTHER_MOBILE)]

    results = await asyncio.gather(
        *(
            health.service.verify_link_aadhaar(p.abha_number, t.txn_id, c, channel="sms")
            for p, t, c in zip((first, second), tickets, codes, strict=True)
        ),
        return_exceptions=True,
    )

    won = [r for r in results if isinstance(r, PersonView)]
    lost = [r for r in results if isinstance(r, ArogyaError)]
    assert len(won) == 1
    assert [e.code for e in lost] == ["aadhaar.has_abha"]
    assert await Person.filter(kyc="verified").count() == 1
