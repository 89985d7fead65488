"""Find my ABHA / log in by Aadhaar OTP (ABDM's VRFY_ABHA_4xx) in the embedded registry: the
Aadhaar is found by its keyed hash, never kept, and its OTP proves the holder."""

from __future__ import annotations

import pytest

from core.errors import ArogyaError
from core.healthid import numbers
from core.identity.models import AadhaarLink
from testing.healthid import (
    HealthIdWiring,
    enrol_with_aadhaar,
    enrol_with_mobile,
    last_otp,
    profile,
)

MOBILE = "+919812345678"
AADHAAR = "999999990019"


async def test_an_aadhaar_finds_its_abha_by_uidais_otp(health: HealthIdWiring) -> None:
    person = await enrol_with_aadhaar(health, AADHAAR, MOBILE)
    await enrol_with_mobile(health, MOBILE, profile())  # the same phone's other ABHA: not it

    ticket = await health.service.start_login("9999 9999 0019", lang="hi", channel="ussd")
    assert ticket.mobile == MOBILE
    stored = await AadhaarLink.get(txn_id=ticket.txn_id)
    assert (stored.purpose, stored.aadhaar_last4) == ("login", "0019")
    assert AADHAAR not in stored.aadhaar_hmac

    code = await last_otp(health.sms, MOBILE)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    with pytest.raises(ArogyaError) as refused:  # a wrong OTP keeps the login open
        await health.service.verify_login(ticket.txn_id, wrong, channel="ussd")
    assert refused.value.code == "aadhaar.otp_invalid"
    found = await health.service.verify_login(ticket.txn_id, code, channel="ussd")

    assert found == [person]
    assert await AadhaarLink.all().count() == 0
    [event] = await health.audit.events(action="abha.login")
    assert (event.subject, event.detail) == (
        numbers.compact(person.abha_number),
        {"via": "aadhaar"},
    )
    with pytest.raises(ArogyaError) as used:  # an answered OTP does not log in twice
        await health.service.verify_login(ticket.txn_id, code, channel="ussd")
    assert used.value.code in {"otp.unknown", "aadhaar.txn_expired"}


async def test_an_aadhaar_with_no_abha_or_not_an_aadhaar_is_refused(
    health: HealthIdWiring,
) -> None:
    await enrol_with_mobile(health, MOBILE, profile())
    login = health.service.start_login
    with pytest.raises(ArogyaError) as none:
        await login("999999990026", lang="en", channel="sms")
    assert none.value.code == "abha.not_found"
    with pytest.raises(ArogyaError) as invalid:  # 12 digits failing Verhoeff's check
        await login("999999990010", lang="en", channel="sms")
    assert invalid.value.code == "aadhaar.invalid"
    assert await AadhaarLink.all().count() == 0
