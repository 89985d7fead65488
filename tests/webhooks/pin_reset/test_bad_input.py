"""Bad input on "Forgot PIN", over the real USSD endpoint: wrong OTPs are said with the tries
left until the OTP's own limit ends the reset, and the old PIN stays the PIN."""

from __future__ import annotations

from core.clock import FrozenClock
from tests.running import Running
from tests.webhooks.mobile_change.phones import TwoSimPhone, holder


async def test_forgot_pin_with_wrong_otps_ends_at_the_otp_limit_and_keeps_the_old_pin(
    running: Running, clock: FrozenClock
) -> None:
    person = await holder(running.services, kyc=False)
    phone = TwoSimPhone(running, clock, person, "old")
    await phone.start()
    await phone.dial()
    await phone.send("3")
    await phone.send("9")
    for left in (4, 3, 2):
        seen = await phone.send("000000")
        assert f"Tries left: {left}." in seen[0]
    assert "Having trouble?" in seen[0]  # the engine's offer of help after three mistakes
    await phone.send("1")
    assert "Tries left: 1." in (await phone.send("000000"))[0]
    seen = await phone.send("000000")
    assert seen[0].startswith("CON Too many wrong OTPs")
    await running.services.healthid.verify_pin(person.abha_number, "4826")  # unchanged
