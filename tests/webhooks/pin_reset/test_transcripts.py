"""Golden transcripts of "Forgot PIN" over the real USSD and SMS endpoints, in both languages.

Each file in tests/golden/pin_reset/ is one journey: Sunita (PIN 4826, no records yet) at the
records PIN prompt presses "9. Forgot PIN", gets an OTP on her ABHA's mobile, sets a new PIN
twice and opens her records with it (by SMS the records ask for the OTP login first, and
the Hindi script starts from My Health ID's "6. Forgot PIN"). `setup.locked` first locks her
PIN with five wrong tries, to show the lock holding until the reset, and lifted by it.
Re-record an intended change with `pytest tests/webhooks/pin_reset --update-golden`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from core.clock import FrozenClock
from core.errors import ArogyaError
from testing.golden import assert_recorded, each_script, load, replay, scripts, wants_update
from tests.running import Running
from tests.webhooks.records.helpers import enrol_holder, phone_on

SCRIPTS = scripts("pin_reset", "ussd", "sms")


@each_script(SCRIPTS)
async def test_journey(
    path: Path, running: Running, clock: FrozenClock, request: pytest.FixtureRequest
) -> None:
    script = load(path)
    person = await enrol_holder(running.services)
    healthid = running.services.healthid
    if script.get("setup", {}).get("locked"):
        for wrong in ("1357", "2468", "1470", "2580", "3690"):
            with pytest.raises(ArogyaError):
                await healthid.verify_pin(person.abha_number, wrong)
    phone = await phone_on(script["channel"], running, clock)
    await replay(path, phone, update=wants_update(request.config))
    new_pin = script["new_pin"]
    await healthid.verify_pin(person.abha_number, new_pin)  # the reset's PIN is the PIN now
    events = await running.services.audit.events(subject=person.abha_number.replace("-", ""))
    assert "abha.pin_reset" in [event.action for event in events]


def test_every_journey_has_been_recorded() -> None:
    names = {path.stem for path in SCRIPTS}
    assert names >= {"ussd_forgot_en", "ussd_forgot_hi", "sms_forgot_en", "sms_forgot_hi"}
    for path in SCRIPTS:
        assert load(path)["channel"] == path.stem.split("_")[0], path.name
        assert_recorded(path)
