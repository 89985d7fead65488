"""Bad input on the mobile change and forgot-PIN journeys, over the real USSD endpoint.

Each refusal is a clear translated reply, never a crash, and leaves the ABHA where it was: a
new mobile already holding 6 ABHAs, the lost-SIM path on a self-declared ABHA, a wrong OTP
to the new phone, and a wrong PIN (counted towards the lockout).
"""

from __future__ import annotations

from core.clock import FrozenClock
from core.healthid.views import PersonView
from core.services import Services
from testing.healthid import enrol_with_mobile, profile
from tests.running import Running
from tests.webhooks.api.conftest import health_id
from tests.webhooks.mobile_change.phones import NEW, OLD, TwoSimPhone, holder


async def at_change(running: Running, clock: FrozenClock, person: PersonView) -> TwoSimPhone:
    """Sunita on her old phone, logged in, at "Type the new 10-digit mobile number"."""
    phone = TwoSimPhone(running, clock, person, "old")
    await phone.start()
    await phone.dial()
    for step in ("2", "1", "{otp:old}", "7"):
        await phone.send(step)
    assert (await phone.send("1"))[0] == "CON Type the new 10-digit mobile number"
    return phone


async def fill(services: Services, mobile: str, count: int) -> None:
    for n in range(count):
        who = profile(first_name=f"Family{chr(ord('A') + n)}")
        await enrol_with_mobile(health_id(services), mobile, who, handle=f"family.{n}x")


async def test_a_new_mobile_at_its_cap_is_refused_and_another_is_asked(
    running: Running, clock: FrozenClock
) -> None:
    person = await holder(running.services, kyc=False)
    await fill(running.services, NEW, 6)
    phone = await at_change(running, clock, person)
    await phone.send("91234 56789")
    seen = await phone.send("4826")
    assert seen[0].startswith("CON This mobile number already has 6")
    assert seen[0].endswith("Type the new 10-digit mobile number")
    assert [p.abha_number for p in await running.services.healthid.by_mobile(OLD)] == [
        person.abha_number
    ]


async def test_the_lost_sim_path_on_a_self_declared_abha_is_refused_clearly(
    running: Running, clock: FrozenClock
) -> None:
    person = await holder(running.services, kyc=False)
    phone = await at_change(running, clock, person)
    await phone.send("0")  # back to "Do you have your old SIM?"
    seen = await phone.send("2")
    assert seen[0].startswith("CON Without the old SIM only an Aadhaar-verified ABHA")

    new_phone = TwoSimPhone(running, clock, person, "new")  # and from the new SIM, not logged in
    await new_phone.dial()
    for step in ("2", "3"):
        await new_phone.send(step)
    seen = await new_phone.send("{abha}")
    assert seen[0].startswith("CON Without the old SIM only an Aadhaar-verified ABHA")
    assert await running.services.healthid.by_mobile(NEW) == []


async def test_a_wrong_otp_to_the_new_phone_changes_nothing(
    running: Running, clock: FrozenClock
) -> None:
    person = await holder(running.services, kyc=False)
    phone = await at_change(running, clock, person)
    await phone.send("91234 56789")
    await phone.send("4826")
    await phone.send("{otp:old}")
    seen = await phone.send("000000")
    assert seen[0].startswith("CON That OTP is not correct. Tries left: 4.")
    assert await running.services.healthid.by_mobile(NEW) == []
    seen = await phone.send("{otp:new}")
    assert seen[0].startswith("CON Done: your ABHA now uses mobile ******6789.")


async def test_a_wrong_pin_is_counted_and_asked_again(running: Running, clock: FrozenClock) -> None:
    person = await holder(running.services, kyc=False)
    phone = await at_change(running, clock, person)
    await phone.send("91234 56789")
    seen = await phone.send("1397")
    assert seen == ["CON That PIN is not correct. Tries left: 4.\nType your 4-digit PIN"]
    assert await running.services.healthid.by_mobile(NEW) == []
