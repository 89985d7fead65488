"""Enrolment through Aadhaar, end to end at the core API, against the UIDAI sandbox."""

from __future__ import annotations

import logging

import pytest
from tortoise import Tortoise

from core.clock import FrozenClock
from core.errors import ArogyaError
from core.healthid import aadhaar, numbers
from core.healthid.aadhaar_gateway import MOBILE_NOT_LINKED, synthetic_ekyc
from core.healthid.models import Person
from core.healthid.sandbox_data import PLACES
from core.state import StateStore
from testing.healthid import HealthIdWiring, enrol_with_aadhaar, last_otp
from testing.otp_transactions import kept, note_started

UIDAI_TEST_UIDS = ("999999990019", "999999990026", "999999990042", "999999990057")
MOBILE = "+919876543210"


async def test_aadhaar_path_creates_a_verified_abha(health: HealthIdWiring) -> None:
    service = health.service
    ticket = await service.start_aadhaar("9999 9999 0019", "98765 43210", lang="hi", channel="ussd")
    assert ticket.mobile == MOBILE

    enrolment = await service.verify_aadhaar(ticket.txn_id, await last_otp(health.sms, MOBILE))
    ekyc = synthetic_ekyc("999999990019", MOBILE)
    assert enrolment.existing is None
    assert (enrolment.kyc, enrolment.name, enrolment.mobile) == (
        "verified",
        ekyc.name,
        "******3210",
    )
    assert enrolment.birth_date == ekyc.birth_date
    assert not enrolment.needs_profile

    suggestions = await service.suggest_addresses(enrolment.draft_id)
    assert len(set(suggestions)) >= 3
    assert suggestions[0].startswith(ekyc.name.split()[0].lower())
    chosen = await service.choose_address(enrolment.draft_id, suggestions[1].upper())
    assert chosen.address == f"{suggestions[1]}@sbx"
    assert (await service.set_draft_pin(enrolment.draft_id, "5683")).has_pin

    person = await service.finish(enrolment.draft_id, channel="ussd")
    assert numbers.is_valid(person.abha_number)
    assert person.abha_number == numbers.format(person.abha_number)
    assert (person.kyc, person.status, person.language) == ("verified", "active", "hi")
    assert (person.aadhaar, person.mobile, person.has_pin) == ("XXXX-XXXX-0019", "******3210", True)
    assert (person.state_lgd, person.district_lgd) in {
        (p.state_lgd, p.district_lgd) for p in PLACES
    }
    assert person.address_line == ekyc.address

    row = await Person.get(abha_number=numbers.parse(person.abha_number))
    assert row.aadhaar_hmac == aadhaar.keyed_hash("999999990019", "test-aadhaar-hmac-key")
    assert row.aadhaar_last4 == "0019"
    assert await health.drafts.get(enrolment.draft_id) is None  # spent

    events = await health.audit.events(subject=row.abha_number)
    assert [(e.action, e.actor, e.channel) for e in events] == [
        ("abha.enrolled", row.abha_number, "ussd"),
        ("abha.pin_set", row.abha_number, "ussd"),
    ]
    assert events[0].detail == {"kyc": "verified"}


async def test_the_aadhaar_number_never_reaches_the_database_or_a_log(
    health: HealthIdWiring,
    state: StateStore,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    started = note_started(monkeypatch)
    caplog.set_level(logging.DEBUG)
    await enrol_with_aadhaar(health, "9999 9999 0026", "9876543210", pin="5683")

    dumps = []
    for app in Tortoise.apps.values():
        for model in app.values():
            dumps.append(str(await model.all().values()))
    transactions = await kept(state, started)  # the OTP transactions, in the state store
    everything = "\n".join([*dumps, str(transactions), caplog.text])
    assert "INSERT" in caplog.text  # the SQL log is captured, parameters and all
    assert "0026" in everything  # the last four are kept, so the search itself works
    for spelling in ("999999990026", "9999 9999 0026", "9999-9999-0026"):
        assert spelling not in everything
    payloads = [txn["payload"] for txn in transactions]
    assert payloads
    assert all("999999990026" not in str(payload) for payload in payloads)


async def test_the_same_aadhaar_again_returns_the_existing_abha(health: HealthIdWiring) -> None:
    first = await enrol_with_aadhaar(health, "999999990042", "9876543210")
    ticket = await health.service.start_aadhaar(
        "9999-9999-0042", "9123456780", lang="en", channel="telegram"
    )
    code = await last_otp(health.sms, ticket.mobile)
    again = await health.service.verify_aadhaar(ticket.txn_id, code)

    assert again.existing == first
    assert not again.ready
    assert not again.needs_profile
    assert await Person.all().count() == 1
    assert await health.drafts.by_txn(ticket.txn_id) is None
    with pytest.raises(ArogyaError) as refused:
        await health.service.draft(again.draft_id)
    assert refused.value.code == "draft.expired"


async def test_every_uidai_test_uid_enrols(health: HealthIdWiring) -> None:
    mobiles = ("9876500001", "9876500002", "9876500003", "9876500004")
    made = [
        await enrol_with_aadhaar(health, uid, m)
        for uid, m in zip(UIDAI_TEST_UIDS, mobiles, strict=True)
    ]
    assert [person.aadhaar for person in made] == [
        "XXXX-XXXX-" + uid[-4:] for uid in UIDAI_TEST_UIDS
    ]
    assert len({person.abha_number for person in made}) == 4


def test_sandbox_demographics_are_deterministic_synthetic_people() -> None:
    one = synthetic_ekyc("999999990019", MOBILE)
    assert one == synthetic_ekyc("999999990019", MOBILE)
    assert one != synthetic_ekyc("999999990026", MOBILE)
    assert one.masked_mobile == "******3210"
    assert one.gender in {"M", "F", "O"}
    assert 1950 <= one.birth_date.year <= 2005
    assert any(p.district in one.address and p.pin_code == one.pin_code for p in PLACES)


async def test_an_aadhaar_without_a_mobile_is_refused_before_any_sms(
    health: HealthIdWiring,
) -> None:
    assert aadhaar.is_valid(MOBILE_NOT_LINKED)
    with pytest.raises(ArogyaError) as refused:
        await health.service.start_aadhaar(MOBILE_NOT_LINKED, MOBILE, lang="en", channel="sms")
    assert refused.value.code == "aadhaar.mobile_not_linked"
    assert await health.sms.sent_to(MOBILE) == []


@pytest.mark.parametrize(
    ("aadhaar_text", "mobile_text", "code"),
    [
        ("999999990018", MOBILE, "aadhaar.invalid"),  # Verhoeff check digit wrong
        ("123456789012", MOBILE, "aadhaar.invalid"),  # starts with 1
        ("99999999001", MOBILE, "aadhaar.invalid"),  # 11 digits
        ("999999990019", "12345", "mobile.invalid"),
        ("999999990019", "+1 650 253 0000", "mobile.invalid"),
    ],
)
async def test_bad_input_is_refused_before_any_sms(
    health: HealthIdWiring, aadhaar_text: str, mobile_text: str, code: str
) -> None:
    with pytest.raises(ArogyaError) as refused:
        await health.service.start_aadhaar(aadhaar_text, mobile_text, lang="en", channel="sms")
    assert refused.value.code == code
    assert await health.sms.sent_to(MOBILE) == []


async def test_wrong_otps_speak_uidai_errors_then_lock(health: HealthIdWiring) -> None:
    ticket = await health.service.start_aadhaar("999999990019", MOBILE, lang="en", channel="sms")
    good = await last_otp(health.sms, MOBILE)
    wrong = f"{(int(good) + 1) % 10**6:06d}"
    for attempts_left in (4, 3, 2, 1):
        with pytest.raises(ArogyaError) as refused:
            await health.service.verify_aadhaar(ticket.txn_id, wrong)
        assert (refused.value.code, refused.value.params) == (
            "aadhaar.otp_invalid",
            {"attempts_left": attempts_left},
        )
    with pytest.raises(ArogyaError) as locked:
        await health.service.verify_aadhaar(ticket.txn_id, wrong)
    assert locked.value.code == "aadhaar.too_many_attempts"
    assert locked.value.params["minutes"] == 30
    with pytest.raises(ArogyaError) as still:
        await health.service.start_aadhaar("999999990019", MOBILE, lang="en", channel="sms")
    assert still.value.code == "aadhaar.too_many_attempts"


async def test_an_expired_transaction_is_txn_expired(
    health: HealthIdWiring, clock: FrozenClock
) -> None:
    ticket = await health.service.start_aadhaar("999999990019", MOBILE, lang="en", channel="sms")
    code = await last_otp(health.sms, MOBILE)
    clock.advance(minutes=11)
    with pytest.raises(ArogyaError) as refused:
        await health.service.verify_aadhaar(ticket.txn_id, code)
    assert refused.value.code == "aadhaar.txn_expired"
    with pytest.raises(ArogyaError) as unknown:
        await health.service.verify_aadhaar("no-such-transaction", code)
    assert unknown.value.code == "aadhaar.txn_expired"


async def test_a_resent_aadhaar_otp_replaces_the_first(
    health: HealthIdWiring, clock: FrozenClock
) -> None:
    ticket = await health.service.start_aadhaar("999999990019", MOBILE, lang="en", channel="sms")
    first = await last_otp(health.sms, MOBILE)
    clock.advance(seconds=61)
    resent = await health.service.resend_otp(ticket.txn_id, lang="en")
    assert (resent.txn_id, resent.sends) == (ticket.txn_id, 2)
    second = await last_otp(health.sms, MOBILE)
    if first != second:
        with pytest.raises(ArogyaError) as refused:
            await health.service.verify_aadhaar(ticket.txn_id, first)
        assert refused.value.code == "aadhaar.otp_invalid"
    enrolment = await health.service.verify_aadhaar(ticket.txn_id, second)
    assert enrolment.kyc == "verified"
