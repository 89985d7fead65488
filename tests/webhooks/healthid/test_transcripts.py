"""Golden transcripts of the Health ID flows over the real USSD and SMS endpoints.

Each ussd_ and sms_ file in tests/golden/healthid/ is a whole journey in one language: every
page the person sees and every SMS they receive, hop by hop, with every USSD page checked
against its budget and the conversation's stored state held under 1 KB. `{otp}` in a script is
the OTP the phone last received. Re-record an intended change with
`pytest tests/webhooks/healthid --update-golden`.

Every one of them, and the Telegram ones (recorded by tests/webhooks/telegram/test_transcripts.py),
is replayed once more with `AROGYA_REGISTRY=abdm` against the loopback ABDM and must read the
same, issued identifiers aside (registries.py says exactly what may differ, and which journeys
ABDM has no operation for).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from aiogram import Bot

from core.clock import FrozenClock
from core.state import StateStore
from testing.fakes.telegram_api import TelegramApiFake
from testing.golden import (
    Phone,
    Weighed,
    assert_recorded,
    each_script,
    load,
    replay,
    scripts,
    wants_update,
)
from tests.running import Running
from tests.webhooks.abdm.conftest import Abdm, abdm_settings
from tests.webhooks.healthid.registries import EMBEDDED_ONLY, AbdmOtpPhone, Sides, on_both
from tests.webhooks.journey_phones import PHONE, JourneySmsPhone, JourneyUssdPhone
from tests.webhooks.phones import ENGLISH_CIRCLE
from tests.webhooks.telegram.conftest import running_telegram
from tests.webhooks.telegram.phone import TelegramPhone

SCRIPTS = scripts("healthid", "ussd", "sms")
TELEGRAM = scripts("healthid", "telegram")


def phone_for(script: dict[str, Any], running: Running, clock: FrozenClock) -> Phone:
    if script["channel"] == "ussd":
        network = script.get("network", ENGLISH_CIRCLE)
        return JourneyUssdPhone(running.client, running.services, clock, network)
    return JourneySmsPhone(running.client, running.services, clock)


@each_script(SCRIPTS)
async def test_journey(
    path: Path,
    running: Running,
    clock: FrozenClock,
    state: StateStore,
    request: pytest.FixtureRequest,
) -> None:
    script = load(path)
    weighed = Weighed(phone_for(script, running, clock), state, f"conv:{script['channel']}:{PHONE}")
    await replay(path, weighed, update=wants_update(request.config))
    assert weighed.heaviest > 0


@pytest.mark.parametrize("path", on_both(SCRIPTS))
async def test_journey_on_abdm(
    path: Path,
    abdm_running: Running,
    loopback_abdm: Abdm,
    clock: FrozenClock,
    state: StateStore,
) -> None:
    """The same journey with the identity from ABDM: the same pages and SMS, only the ABHA
    numbers and addresses ABDM issued (and who sent the OTP) differ."""
    script = load(path)
    phone = AbdmOtpPhone(
        phone_for(script, abdm_running, clock),
        loopback_abdm.fake.people,
        PHONE,
        sms_first=script["channel"] == "sms",
    )
    weighed = Weighed(phone, state, f"conv:{script['channel']}:{PHONE}")
    sides = Sides()
    await replay(path, weighed, update=False, normaliser=sides.new)
    assert sides.numbers_seen() == set(loopback_abdm.fake.people.abhas), "ABDM's numbers shown"


@pytest.mark.parametrize("path", on_both(TELEGRAM))
async def test_telegram_on_abdm(
    path: Path,
    loopback_abdm: Abdm,
    db: str,
    state: StateStore,
    clock: FrozenClock,
    telegram_api: TelegramApiFake,
    telegram_bot: Bot,
) -> None:
    script = load(path)
    mobile = script.get("mobile", PHONE)
    assert mobile == PHONE, "the loopback UIDAI links the test UIDs to PHONE"
    async with running_telegram(
        telegram_api, telegram_bot, state, clock, **abdm_settings(loopback_abdm)
    ) as telegram:
        inner = TelegramPhone(telegram, script["user"], mobile=mobile)
        phone = AbdmOtpPhone(inner, loopback_abdm.fake.people, mobile, sms_first=False)
        weighed = Weighed(phone, state, f"conv:telegram:{script['user']['id']}")
        sides = Sides()
        await replay(path, weighed, update=False, normaliser=sides.new)
        assert set(inner.statuses) == {200}
    assert sides.numbers_seen() == set(loopback_abdm.fake.people.abhas), "ABDM's numbers shown"


def test_only_named_journeys_are_embedded_only() -> None:
    """The skip list names real scripts, and every one it leaves runs on both registries."""
    stems = {path.stem for path in [*SCRIPTS, *TELEGRAM]}
    assert set(EMBEDDED_ONLY) <= stems
    assert stems - set(EMBEDDED_ONLY) >= {
        "ussd_aadhaar_en", "ussd_aadhaar_hi", "ussd_aadhaar_resume_en", "sms_aadhaar_hi",
        "telegram_aadhaar_en", "telegram_aadhaar_hi",
    }  # fmt: skip


def test_every_journey_has_been_recorded() -> None:
    assert SCRIPTS, "no journeys"
    for path in SCRIPTS:
        assert_recorded(path)
