"""OTP rules with a frozen clock: expiry, resend, limits, lockout, single use, racing verifies."""

from __future__ import annotations

import asyncio
import random
from datetime import timedelta

import pytest

from core.clock import FrozenClock
from core.errors import ArogyaError, Conflict, InvalidInput, Locked, NotFound
from core.otp.models import OtpStatus, OtpTransaction
from core.otp.service import OtpService
from core.settings import Settings
from core.sms.encoding import Encoding
from core.sms.gateways import LogGateway
from core.sms.outbox import SmsService
from tests.conftest import make_settings
from tests.core.fakes import last_code

MOBILE = "+919812345678"


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


async def test_start_sends_a_six_digit_code_that_verifies_once(
    otp: OtpService, log_gateway: LogGateway, clock: FrozenClock
) -> None:
    ticket = await otp.start(MOBILE, "enrol", "en", payload={"purpose": "mobile"})

    code = last_code(log_gateway, MOBILE)
    assert len(code) == 6
    assert ticket.masked_mobile == "+91******5678"
    assert ticket.expires_at == clock.now() + timedelta(minutes=10)
    assert ticket.resend_at == clock.now() + timedelta(seconds=60)
    assert ticket.sends == 1
    assert await otp.payload(ticket.txn_id) == {"purpose": "mobile"}
    verified = await otp.verify(ticket.txn_id, f" {code} ")
    assert verified.txn_id == ticket.txn_id
    with pytest.raises(Conflict) as again:
        await otp.verify(ticket.txn_id, code)
    assert again.value.code == "otp.used"


async def test_a_code_expires_after_ten_minutes(
    otp: OtpService, log_gateway: LogGateway, clock: FrozenClock
) -> None:
    ticket = await otp.start(MOBILE, "login", "en")
    code = last_code(log_gateway, MOBILE)
    clock.advance(minutes=10)
    with pytest.raises(Conflict) as expired:
        await otp.verify(ticket.txn_id, code)
    assert expired.value.code == "otp.expired"


async def test_a_code_still_works_just_before_expiry(
    otp: OtpService, log_gateway: LogGateway, clock: FrozenClock
) -> None:
    ticket = await otp.start(MOBILE, "login", "en")
    clock.advance(minutes=10, seconds=-1)
    await otp.verify(ticket.txn_id, last_code(log_gateway, MOBILE))


async def test_resend_waits_sixty_seconds_and_replaces_the_code(
    otp: OtpService, log_gateway: LogGateway, clock: FrozenClock
) -> None:
    ticket = await otp.start(MOBILE, "login", "hi")
    first = last_code(log_gateway, MOBILE)
    clock.advance(40)
    with pytest.raises(Locked) as too_soon:
        await otp.resend(ticket.txn_id, "hi")
    assert too_soon.value.code == "otp.resend_too_soon"
    assert too_soon.value.params["seconds"] == 20

    clock.advance(20)
    resent = await otp.resend(ticket.txn_id, "hi")
    second = last_code(log_gateway, MOBILE)
    assert resent.sends == 2
    assert resent.expires_at == clock.now() + timedelta(minutes=10)
    assert resent.resend_at == clock.now() + timedelta(seconds=60)
    assert first != second  # a fresh code: the old one no longer opens the transaction
    with pytest.raises(InvalidInput):
        await otp.verify(ticket.txn_id, first)
    await otp.verify(ticket.txn_id, second)


async def test_at_most_three_sends_per_transaction(otp: OtpService, clock: FrozenClock) -> None:
    ticket = await otp.start(MOBILE, "login", "en")
    for sends in (2, 3):
        clock.advance(60)
        assert (await otp.resend(ticket.txn_id, "en")).sends == sends
    clock.advance(60)
    with pytest.raises(Conflict) as limit:
        await otp.resend(ticket.txn_id, "en")
    assert limit.value.code == "otp.resend_limit"


async def test_five_wrong_codes_end_the_transaction_and_lock_the_mobile(
    otp: OtpService, log_gateway: LogGateway, clock: FrozenClock
) -> None:
    ticket = await otp.start(MOBILE, "login", "en")
    code = last_code(log_gateway, MOBILE)
    for left in (4, 3, 2, 1):
        with pytest.raises(InvalidInput) as invalid:
            await otp.verify(ticket.txn_id, wrong(code))
        assert (invalid.value.code, invalid.value.params["attempts_left"]) == ("otp.invalid", left)
    with pytest.raises(Locked) as locked:
        await otp.verify(ticket.txn_id, wrong(code))
    until = clock.now() + timedelta(minutes=30)
    assert locked.value.code == "otp.locked"
    assert locked.value.params["until"] == until.isoformat()
    assert locked.value.params["minutes"] == 30

    with pytest.raises(Locked):  # even the right code, now
        await otp.verify(ticket.txn_id, code)
    with pytest.raises(Locked):  # and a fresh transaction
        await otp.start(MOBILE, "login", "en")
    clock.advance(minutes=29)
    with pytest.raises(Locked) as still:
        await otp.start(MOBILE, "login", "en")
    assert still.value.params["minutes"] == 1

    clock.advance(minutes=1)
    fresh = await otp.start(MOBILE, "login", "en")
    await otp.verify(fresh.txn_id, last_code(log_gateway, MOBILE))
    with pytest.raises(Conflict) as dead:
        await otp.verify(ticket.txn_id, code)
    assert dead.value.code == "otp.expired"


async def test_sends_per_mobile_per_hour_are_limited(
    db: str, clock: FrozenClock, rng: random.Random, log_gateway: LogGateway
) -> None:
    settings = make_settings(otp_sends_per_mobile_per_hour=3)
    otp = OtpService(settings, clock, rng, SmsService(settings, clock, log_gateway, rng))
    await otp.start(MOBILE, "login", "en")
    clock.advance(minutes=10)
    await otp.start(MOBILE, "login", "en")
    clock.advance(minutes=1)
    await otp.start(MOBILE, "login", "en")
    with pytest.raises(Locked) as limited:
        await otp.start(MOBILE, "login", "en")
    assert limited.value.code == "otp.rate_limited"
    # The window frees up when the first send (49 minutes from now) is an hour old.
    assert limited.value.params["until"] == (clock.now() + timedelta(minutes=49)).isoformat()
    await otp.start("+919812345679", "login", "en")  # another mobile is not affected
    clock.advance(minutes=49)
    await otp.start(MOBILE, "login", "en")


async def test_resends_count_towards_the_hourly_limit(
    db: str, clock: FrozenClock, rng: random.Random, log_gateway: LogGateway
) -> None:
    settings = make_settings(otp_sends_per_mobile_per_hour=2)
    otp = OtpService(settings, clock, rng, SmsService(settings, clock, log_gateway, rng))
    ticket = await otp.start(MOBILE, "login", "en")
    clock.advance(60)
    await otp.resend(ticket.txn_id, "en")
    clock.advance(60)
    with pytest.raises(Locked) as limited:
        await otp.resend(ticket.txn_id, "en")
    assert limited.value.code == "otp.rate_limited"
    txn = await otp.find(ticket.txn_id)
    assert txn is not None
    assert txn.sends == 2


async def test_racing_verifies_of_the_right_code_succeed_once(
    otp: OtpService, log_gateway: LogGateway
) -> None:
    ticket = await otp.start(MOBILE, "login", "en")
    code = last_code(log_gateway, MOBILE)

    results = await asyncio.gather(
        *(otp.verify(ticket.txn_id, code) for _ in range(10)), return_exceptions=True
    )

    wins = [r for r in results if not isinstance(r, BaseException)]
    losses = [r for r in results if isinstance(r, ArogyaError)]
    assert len(wins) == 1
    assert [e.code for e in losses] == ["otp.used"] * 9


async def test_racing_wrong_codes_are_all_counted(otp: OtpService, log_gateway: LogGateway) -> None:
    ticket = await otp.start(MOBILE, "login", "en")
    code = last_code(log_gateway, MOBILE)

    results = await asyncio.gather(
        *(otp.verify(ticket.txn_id, wrong(code)) for _ in range(8)), return_exceptions=True
    )

    codes = sorted(e.code for e in results if isinstance(e, ArogyaError))
    assert codes == ["otp.invalid"] * 4 + ["otp.locked"] * 4
    txn = await otp.find(ticket.txn_id)
    assert txn is not None
    assert (txn.status, txn.attempts) == (OtpStatus.FAILED, 5)


async def test_an_unknown_transaction(otp: OtpService) -> None:
    for call in (otp.verify("nope", "123456"), otp.resend("nope", "en"), otp.payload("nope")):
        with pytest.raises(NotFound) as unknown:
            await call
        assert unknown.value.code == "otp.unknown"


async def test_the_hindi_otp_sms_fits_one_segment(otp: OtpService, sms: SmsService) -> None:
    await otp.start(MOBILE, "enrol", "hi")
    [row] = await sms.sent_to(MOBILE)
    assert (row.encoding, row.segments, row.lang) == (Encoding.UCS2, 1, "hi")
    assert "10 मिनट" in row.text


async def test_a_caller_may_choose_the_message(
    otp: OtpService, sms: SmsService, settings: Settings
) -> None:
    await otp.start(MOBILE, "enrol", "en", message_key="sms.otp")
    [row] = await sms.sent_to(MOBILE)
    assert row.message_key == "sms.otp"
    assert row.params == {"otp": "***", "minutes": settings.otp_ttl_seconds // 60}


async def test_a_number_not_in_e164_is_a_caller_bug(otp: OtpService, sms: SmsService) -> None:
    with pytest.raises(ValueError, match=r"E\.164"):
        await otp.start("9812345678", "login", "en")
    assert await sms.sent_to("9812345678") == []


async def test_purge_forgets_what_no_rule_needs_and_keeps_what_one_does(
    otp: OtpService, log_gateway: LogGateway, clock: FrozenClock
) -> None:
    old = await otp.start(MOBILE, "login", "en")
    for _ in range(5):  # ends the transaction and locks the mobile for 30 minutes
        with pytest.raises(ArogyaError):
            await otp.verify(old.txn_id, wrong(last_code(log_gateway, MOBILE)))
    assert await otp.purge() == 0  # nothing is old yet: the lockout and the counter still count
    with pytest.raises(Locked):
        await otp.start(MOBILE, "login", "en")

    # A transaction an older version left in the table (the store's expire by themselves).
    await OtpTransaction.create(
        id="0" * 36,
        purpose="login",
        mobile=MOBILE,
        message_key="sms.otp",
        code_salt="00",
        code_hash="00",
        created_at=clock.now(),
        expires_at=clock.now() + timedelta(minutes=10),
        last_sent_at=clock.now(),
    )
    clock.advance(days=1, minutes=11)  # the transactions expired a day ago
    other = "+919800000001"
    recent = await otp.start(other, "login", "en")
    assert await otp.purge() == 1  # the old row (counts, locks, transactions in the store: TTL)
    assert await OtpTransaction.all().count() == 0
    await otp.verify(recent.txn_id, last_code(log_gateway, other))  # a live one still works
    await otp.start(MOBILE, "login", "en")  # and the mobile is free again
