"""ABDM's refusals and failures, said as the embedded registry's typed errors; nothing doubled.

Each case drives the `abdm` adapter against the loopback ABDM: wrong and locked OTPs, a full
mobile, a taken address, HIS- bodies, a slow ABDM (timeout, then a retry that must not make a
second ABHA), a token revoked early (renewed once), malformed answers, refused credentials.
"""

from __future__ import annotations

import logging

import pytest

from core.clock import FrozenClock
from core.errors import ArogyaError, Conflict, InvalidInput, Locked, Unavailable
from core.healthid.models import Person
from core.services import Services
from testing.fakes.abdm import TOKEN_LIFE
from testing.fakes.abdm_people import Abha
from tests.webhooks.abdm.conftest import AADHAAR, PHONE, Abdm

BY_AADHAAR = "/abha/api/v3/enrollment/enrol/byAadhaar"
ADDRESS = "/abha/api/v3/enrollment/enrol/abha-address"
REQUEST_OTP = "/abha/api/v3/enrollment/request/otp"


async def start(services: Services) -> str:
    ticket = await services.healthid.start_aadhaar(AADHAAR, PHONE, lang="hi", channel="ussd")
    return ticket.txn_id


async def finish(services: Services, abdm: Abdm, txn: str) -> str:
    """Verify, choose ABDM's first suggestion, finish: the ABHA number (compact)."""
    enrolment = await services.healthid.verify_aadhaar(txn, abdm.fake.people.last_otp(PHONE))
    handles = await services.healthid.suggest_addresses(enrolment.draft_id)
    await services.healthid.choose_address(enrolment.draft_id, handles[0])
    person = await services.healthid.finish(enrolment.draft_id, channel="ussd")
    return person.abha_number.replace("-", "")


async def test_a_wrong_otp_creates_nothing_and_the_right_one_then_works(
    registry: Services, abdm: Abdm
) -> None:
    txn = await start(registry)
    with pytest.raises(InvalidInput) as wrong:
        await registry.healthid.verify_aadhaar(txn, "000000")
    assert wrong.value.code == "abdm.otp_invalid"
    assert abdm.fake.people.abhas == {}
    number = await finish(registry, abdm, txn)
    issued = abdm.fake.people.abha_of(AADHAAR)
    assert issued is not None
    assert issued.number.replace("-", "") == number


async def test_too_many_wrong_otps_lock_the_transaction(registry: Services, abdm: Abdm) -> None:
    txn = await start(registry)
    for _ in range(5):
        with pytest.raises(InvalidInput):
            await registry.healthid.verify_aadhaar(txn, "000000")
    with pytest.raises(Locked) as locked:
        await registry.healthid.verify_aadhaar(txn, abdm.fake.people.last_otp(PHONE))
    assert locked.value.code == "abdm.otp_locked"


async def test_a_mobile_holding_six_abhas_is_refused_as_the_embedded_cap(
    registry: Services, abdm: Abdm
) -> None:
    for n in range(6):
        number = f"91-0000-0000-000{n}"
        abdm.fake.people.abhas[number] = Abha(number, f"99999999{n:04d}", "9876543210")
    txn = await start(registry)
    with pytest.raises(Conflict) as full:
        await registry.healthid.verify_aadhaar(txn, abdm.fake.people.last_otp(PHONE))
    assert (full.value.code, full.value.params) == ("mobile.cap_reached", {"limit": 6})


@pytest.mark.parametrize(
    ("status", "body", "kind", "code"),
    [
        (422, {"code": "HIS-422", "message": "Unable to process the current request",
               "details": [{"message": "Ensure correct Aadhaar Information is entered.",
                            "code": "HIS-2018", "attribute": None}]},
         InvalidInput, "aadhaar.invalid"),
        (400, {"code": "ABDM-1017", "message": "Invalid Transaction Id"}, Conflict,
         "aadhaar.txn_expired"),
        (400, {"error": {"code": "ABDM-1114", "message": "ABHA not found"}}, ArogyaError,
         "abha.not_found"),
        (429, {"error": {"code": "ABDM-1022", "message": "Too many requests"}}, Unavailable,
         "abdm.busy"),
        (503, {"error": {"code": "ABDM-1206", "message": "Aadhaar Gateway is unavailable"}},
         Unavailable, "abdm.unavailable"),
        (500, b"<html>Bad Gateway</html>", Unavailable, "abdm.unavailable"),
        (400, {"otpValue": "Invalid OTP Value", "timestamp": "07-12-2026 21:00:00"},
         InvalidInput, "abdm.otp_invalid"),
        (400, {"error": {"code": "ABDM-1999", "message": "something new"}}, Conflict,
         "abdm.refused"),
    ],
)  # fmt: skip
async def test_abdm_error_bodies_become_typed_errors(
    registry: Services,
    abdm: Abdm,
    status: int,
    body: object,
    kind: type[ArogyaError],
    code: str,
) -> None:
    txn = await start(registry)
    abdm.fake.fail_next[BY_AADHAAR] = (status, body)
    with pytest.raises(kind) as refused:
        await registry.healthid.verify_aadhaar(txn, abdm.fake.people.last_otp(PHONE))
    assert refused.value.code == code


async def test_a_taken_address_is_the_embedded_registrys_address_taken(
    registry: Services, abdm: Abdm
) -> None:
    txn = await start(registry)
    enrolment = await registry.healthid.verify_aadhaar(txn, abdm.fake.people.last_otp(PHONE))
    await registry.healthid.choose_address(enrolment.draft_id, "someone.else1")
    other = Abha("91-1111-1111-1111", "999999990019", None, ["someone.else1@sbx"])
    abdm.fake.people.abhas[other.number] = other
    with pytest.raises(Conflict) as taken:
        await registry.healthid.finish(enrolment.draft_id, channel="ussd")
    assert taken.value.code == "address.taken"
    await registry.healthid.choose_address(enrolment.draft_id, "sunil.joshi54")
    await registry.healthid.finish(enrolment.draft_id, channel="ussd")


async def test_a_timeout_keeps_progress_and_the_retry_makes_no_second_abha(
    registry: Services, abdm: Abdm
) -> None:
    """ABDM made the ABHA but its answer came too late: the person starts again (the used
    transaction is refused) and goes on with that same ABHA, not a second one."""
    txn = await start(registry)
    abdm.fake.delay[BY_AADHAAR] = 3.5
    with pytest.raises(Unavailable) as slow:
        await registry.healthid.verify_aadhaar(txn, abdm.fake.people.last_otp(PHONE))
    assert slow.value.code == "abdm.unavailable"
    made = abdm.fake.people.abha_of(AADHAAR)
    assert made is not None  # ABDM did make it
    del abdm.fake.delay[BY_AADHAAR]
    # progress kept: the draft is still there, so a resend asks for the Aadhaar again
    with pytest.raises(Conflict) as again:
        await registry.healthid.resend_otp(txn, lang="en")
    assert again.value.code == "aadhaar.txn_expired"
    with pytest.raises(Conflict) as used:  # the same code again: ABDM refuses a used txn
        await registry.healthid.verify_aadhaar(txn, abdm.fake.people.last_otp(PHONE))
    assert used.value.code == "aadhaar.txn_expired"  # the flow asks for the Aadhaar again
    number = await finish(registry, abdm, await start(registry))
    assert len(abdm.fake.people.abhas) == 1
    assert number == made.number.replace("-", "")
    assert await Person.filter(abha_number=number).count() == 1


async def test_a_timeout_on_the_address_is_retried_without_a_second_address(
    registry: Services, abdm: Abdm
) -> None:
    txn = await start(registry)
    enrolment = await registry.healthid.verify_aadhaar(txn, abdm.fake.people.last_otp(PHONE))
    await registry.healthid.choose_address(enrolment.draft_id, "sunil.joshi54")
    abdm.fake.delay[ADDRESS] = 3.5
    with pytest.raises(Unavailable):
        await registry.healthid.finish(enrolment.draft_id, channel="ussd")
    del abdm.fake.delay[ADDRESS]
    person = await registry.healthid.finish(enrolment.draft_id, channel="ussd")
    assert person.address == "sunil.joshi54@sbx"
    made = abdm.fake.people.abha_of(AADHAAR)
    assert made is not None
    assert made.addresses == ["sunil.joshi54@sbx"]


async def test_a_token_revoked_early_is_renewed_once_and_the_call_retried(
    registry: Services, abdm: Abdm
) -> None:
    await start(registry)
    assert abdm.fake.sessions == 1
    abdm.fake.revoke_tokens()
    await start(registry)  # 401 -> a new session -> the same call again, answered
    assert abdm.fake.sessions == 2
    assert abdm.fake.calls.count(REQUEST_OTP) == 3


async def test_the_token_is_refreshed_before_it_expires(
    registry: Services, abdm: Abdm, clock: FrozenClock
) -> None:
    await start(registry)
    clock.advance(TOKEN_LIFE - 30)  # inside the client's one-minute margin
    await start(registry)
    assert abdm.fake.sessions == 2
    assert "/abha/api/v3/enrollment/request/otp" in abdm.fake.calls
    assert abdm.fake.calls.count(REQUEST_OTP) == 2  # no 401 was needed


async def test_refused_credentials_are_unavailable_not_a_crash(
    registry: Services, abdm: Abdm, caplog: pytest.LogCaptureFixture
) -> None:
    abdm.fake.fail_next["/api/hiecm/gateway/v3/sessions"] = (
        401, {"error": {"code": "ABDM-9999: ", "message": "Invalid user credentials"}})  # fmt: skip
    with caplog.at_level(logging.ERROR), pytest.raises(Unavailable):
        await start(registry)
    assert "credentials refused (ABDM-9999)" in caplog.text


@pytest.mark.parametrize("answer", [b"<html>maintenance</html>", b"[]", b'{"message": "no txnId"}'])
async def test_malformed_answers_are_a_clear_error_logged_without_personal_data(
    registry: Services, abdm: Abdm, caplog: pytest.LogCaptureFixture, answer: bytes
) -> None:
    abdm.fake.fail_next[REQUEST_OTP] = (200, answer)
    with caplog.at_level(logging.INFO), pytest.raises(Unavailable) as bad:
        await start(registry)
    assert bad.value.code == "abdm.bad_answer"
    assert "malformed" in caplog.text or "not JSON" in caplog.text
    assert AADHAAR not in caplog.text
    assert "9876543210" not in caplog.text


async def test_the_aadhaar_number_and_otp_never_travel_in_clear(
    registry: Services, abdm: Abdm
) -> None:
    txn = await start(registry)
    otp = abdm.fake.people.last_otp(PHONE)
    await registry.healthid.verify_aadhaar(txn, otp)
    wire = b"".join(abdm.fake.bodies)
    assert AADHAAR.encode() not in wire
    assert otp.encode() not in wire


@pytest.mark.parametrize(
    "profile",
    [
        {"ABHANumber": "91-5441-0199-5287", "firstName": "Sunil", "gender": "M",
         "dob": "31-02-1954"},  # no such day
        {"ABHANumber": "91-5441-0199-5287", "firstName": "", "gender": "M", "dob": "09-05-1954"},
        {"ABHANumber": "91-5441-0199-5288", "firstName": "Sunil", "gender": "M",
         "dob": "09-05-1954"},  # a bad check digit
        {"firstName": "Sunil", "gender": "M", "dob": "09-05-1954"},
    ],
)  # fmt: skip
async def test_a_malformed_profile_is_refused_before_anything_is_kept(
    registry: Services, abdm: Abdm, profile: dict[str, str]
) -> None:
    txn = await start(registry)
    abdm.fake.fail_next[BY_AADHAAR] = (200, {"txnId": txn, "ABHAProfile": profile, "isNew": True})
    with pytest.raises(Unavailable) as bad:
        await registry.healthid.verify_aadhaar(txn, abdm.fake.people.last_otp(PHONE))
    assert bad.value.code == "abdm.bad_answer"
    assert not await Person.exists()
