"""A communication mobile that is not the Aadhaar-linked one is proved by ABDM's own OTP."""

from __future__ import annotations

import pytest

from core.clock import FrozenClock
from core.errors import InvalidInput, Pending
from core.services import Services
from tests.webhooks.abdm.conftest import AADHAAR, PHONE, Abdm, AbdmUssdPhone, Running, sunil
from tests.webhooks.abdm.test_faults import start
from tests.webhooks.phones import HINDI_CIRCLE

LINKED = "9123456789"  # the mobile UIDAI has for this Aadhaar; the person uses PHONE


async def test_the_other_mobile_gets_abdms_otp_and_ends_on_the_abha(
    registry: Services, abdm: Abdm
) -> None:
    abdm.fake.people.residents[AADHAAR] = sunil(LINKED)
    txn = await start(registry)
    with pytest.raises(Pending) as sent:
        await registry.healthid.verify_aadhaar(txn, abdm.fake.people.last_otp(LINKED))
    assert (sent.value.code, sent.value.params) == (
        "abdm.mobile_otp_sent",
        {"mobile": "******3210"},
    )
    made = abdm.fake.people.abha_of(AADHAAR)
    assert made is not None
    assert made.mobile is None  # not linked until proved
    with pytest.raises(InvalidInput) as wrong:
        await registry.healthid.verify_aadhaar(txn, "000000")
    assert wrong.value.code == "abdm.otp_invalid"
    resent = await registry.healthid.resend_otp(txn, lang="en")  # "send again": ABDM's OTP anew
    assert resent.masked_mobile == "******3210"
    enrolment = await registry.healthid.verify_aadhaar(txn, abdm.fake.people.last_otp(PHONE))
    assert made.mobile == "9876543210"
    handles = await registry.healthid.suggest_addresses(enrolment.draft_id)
    await registry.healthid.choose_address(enrolment.draft_id, handles[0])
    person = await registry.healthid.finish(enrolment.draft_id, channel="ussd")
    assert person.abha_number == made.number


async def test_on_ussd_in_hindi_the_second_otp_is_asked_on_the_same_step(
    running: Running, abdm: Abdm, clock: FrozenClock
) -> None:
    abdm.fake.people.residents[AADHAAR] = sunil(LINKED)
    phone = AbdmUssdPhone(running, abdm, clock, network=HINDI_CIRCLE)
    await phone.dial()
    for text in ("1", "1", "1", "999999990026"):  # create, with Aadhaar, consent, the Aadhaar
        await phone.send(text)
    second = await phone.send(abdm.fake.people.last_otp(LINKED))
    assert second.startswith("CON आधार सत्यापित। यह मोबाइल आधार से जुड़ा नहीं है")
    pages = [await phone.send(text) for text in ("{otp}", "1", "4826", "4826", "1")]
    made = abdm.fake.people.abha_of(AADHAAR)
    assert made is not None
    assert made.mobile == "9876543210"
    assert pages[-1].startswith(f"END आभा तैयार! आभा नंबर {made.number}")
