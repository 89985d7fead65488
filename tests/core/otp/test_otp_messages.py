"""Every OTP refusal can be told to a person, in both languages, from the params it carries."""

from __future__ import annotations

from collections.abc import Awaitable

import pytest

from core.clock import FrozenClock
from core.errors import ArogyaError
from core.otp.service import OtpService
from core.sms.gateways import LogGateway
from locales import LANGUAGES, load_catalog, placeholders, translate
from tests.core.fakes import last_code

OTP_CODES = (
    "otp.unknown",
    "otp.expired",
    "otp.invalid",
    "otp.locked",
    "otp.rate_limited",
    "otp.resend_too_soon",
    "otp.resend_limit",
    "otp.used",
)
MOBILE = "+919812345678"


@pytest.mark.parametrize("code", OTP_CODES)
def test_each_code_has_a_message_in_both_languages_with_the_same_fields(code: str) -> None:
    english, hindi = (load_catalog(lang)[f"error.{code}"] for lang in ("en", "hi"))
    assert placeholders(english) == placeholders(hindi)


async def collect_refusals(
    otp: OtpService, gateway: LogGateway, clock: FrozenClock
) -> list[ArogyaError]:
    """Walk a transaction into every refusal OtpService knows and keep what it raised."""
    refusals: list[ArogyaError] = []

    async def refused(call: Awaitable[object]) -> None:
        try:
            await call
        except ArogyaError as error:
            refusals.append(error)
        else:
            pytest.fail("expected a refusal")

    await refused(otp.verify("missing", "000000"))
    used = await otp.start(MOBILE, "login", "en")
    await otp.verify(used.txn_id, last_code(gateway, MOBILE))
    await refused(otp.verify(used.txn_id, "000000"))
    ticket = await otp.start(MOBILE, "login", "en")
    await refused(otp.resend(ticket.txn_id, "en"))
    for _ in range(2):
        clock.advance(60)
        await otp.resend(ticket.txn_id, "en")
    clock.advance(60)
    await refused(otp.resend(ticket.txn_id, "en"))
    clock.advance(minutes=10)
    await refused(otp.verify(ticket.txn_id, "000000"))
    ticket = await otp.start(MOBILE, "login", "en")
    code = last_code(gateway, MOBILE)
    for _ in range(5):
        await refused(otp.verify(ticket.txn_id, "000000" if code != "000000" else "111111"))
    clock.advance(minutes=30)
    for _ in range(20):
        try:
            await otp.start(MOBILE, "login", "en")
        except ArogyaError as error:
            refusals.append(error)
            break
    return refusals


async def test_every_refusal_renders_in_both_languages(
    otp: OtpService, log_gateway: LogGateway, clock: FrozenClock
) -> None:
    refusals = await collect_refusals(otp, log_gateway, clock)

    assert {error.code for error in refusals} == set(OTP_CODES)
    for error in refusals:
        for lang in LANGUAGES:
            text = translate(f"error.{error.code}", lang, **error.params)
            assert "{" not in text
