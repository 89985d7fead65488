"""Find my ABHA / log in by Aadhaar OTP through ABDM (VRFY_ABHA_4xx): UIDAI's OTP, the one ABHA
of that Aadhaar mirrored here, the Aadhaar sent only encrypted and never kept."""

from __future__ import annotations

import json

import pytest

from core.clock import FrozenClock
from core.errors import InvalidInput, NotFound
from core.healthid.models import Person
from core.identity.models import AadhaarLink
from core.services import Services
from core.state import StateStore
from tests.webhooks.abdm.conftest import PHONE, Abdm, AbdmUssdPhone, Running
from tests.webhooks.abdm.test_login import ELSEWHERE, made_elsewhere

AADHAAR = "999999990019"


async def test_an_aadhaar_finds_the_abha_made_elsewhere(registry: Services, abdm: Abdm) -> None:
    made_elsewhere(abdm)
    ticket = await registry.healthid.start_login("9999 9999 0019", lang="hi", channel="sms")
    assert ticket.masked_mobile == "******3210"  # as ABDM names it; the number comes later
    with pytest.raises(InvalidInput) as wrong:  # a wrong OTP: the same transaction goes on
        await registry.healthid.verify_login(ticket.txn_id, "000000", channel="sms")
    assert wrong.value.code == "abdm.otp_invalid"

    people = await registry.healthid.verify_login(
        ticket.txn_id, abdm.fake.people.last_otp("9876543210"), channel="sms"
    )

    assert [p.abha_number.replace("-", "") for p in people] == [ELSEWHERE.replace("-", "")]
    kamla = await Person.get(abha_number=ELSEWHERE.replace("-", ""))
    assert (kamla.first_name, kamla.address, kamla.mobile) == (
        "Kamla",
        "kamla.joshi58@sbx",
        "+919876543210",
    )
    assert await AadhaarLink.all().count() == 0  # nothing of the Aadhaar kept here


async def test_an_aadhaar_with_no_abha_is_abha_not_found(registry: Services, abdm: Abdm) -> None:
    made_elsewhere(abdm)
    del abdm.fake.people.abhas[ELSEWHERE]
    with pytest.raises(NotFound) as none:
        await registry.healthid.start_login(AADHAAR, lang="en", channel="ussd")
    assert none.value.code == "abha.not_found"


async def test_my_health_id_by_aadhaar_on_ussd(
    running: Running, abdm: Abdm, clock: FrozenClock, state: StateStore
) -> None:
    made_elsewhere(abdm)
    phone = AbdmUssdPhone(running, abdm, clock)
    pages = [await phone.dial()]
    for text in ("2", "2", AADHAAR):
        pages.append(await phone.send(text))
    assert "Aadhaar" in pages[2]  # "Type your ABHA number, ABHA address, mobile or Aadhaar"
    assert pages[3] == "CON Type the OTP sent to ******3210\n1. Send OTP again"
    kept = json.dumps(await state.get_json(f"conv:ussd:{PHONE}"))
    assert "0019" not in kept  # the Aadhaar is not in the conversation, not even to resend
    otp = abdm.fake.people.last_otp("9876543210")
    home = await phone.send(otp)
    assert home.startswith("CON Hello Kamla\n1. My details")
