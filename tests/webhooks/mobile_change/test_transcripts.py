"""Golden transcripts of "Change mobile number" over the real USSD and SMS endpoints, in both
languages.

Each file in tests/golden/mobile_change/ is one journey of Sunita (PIN 4826) moving her ABHA
from 98765 43210 to 91234 56789: `setup.at` is the phone she dials from (`old`: My Health ID,
logged in, an OTP to each phone; `new`: the old SIM is lost, so the login question's "New SIM",
her ABHA number, and an Aadhaar OTP), `setup.kyc` whether her ABHA is Aadhaar-verified,
`setup.lang` her own language (the SMS to the old SIM's). After the journey the ABHA is on
the new mobile, the old number was told by SMS, and the change is audited. Re-record with
`pytest tests/webhooks/mobile_change --update-golden`. An `sms_` script texts from that phone
instead (`sms_phone.TwoSimSmsPhone`).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from core.clock import FrozenClock
from core.sms.templates import REPLY_TEMPLATE_KEY
from testing.golden import (
    Weighed,
    assert_recorded,
    each_script,
    load,
    replay,
    scripts,
    wants_update,
)
from tests.running import Running
from tests.webhooks.mobile_change.phones import NEW, OLD, TwoSimPhone, holder
from tests.webhooks.mobile_change.sms_phone import TwoSimSmsPhone

SCRIPTS = scripts("mobile_change", "ussd", "sms")


@each_script(SCRIPTS)
async def test_journey(
    path: Path, running: Running, clock: FrozenClock, request: pytest.FixtureRequest
) -> None:
    script = load(path)
    setup = script["setup"]
    person = await holder(running.services, kyc=setup["kyc"])
    if "lang" in setup:  # the holder's own language: the old SIM is told in it
        await running.services.healthid.update_profile(
            person.abha_number, language=setup["lang"], channel="cli"
        )
    phone: TwoSimPhone | TwoSimSmsPhone
    if script["channel"] == "sms":
        phone = TwoSimSmsPhone(running, clock, person, setup["at"])
        key = f"conv:sms:{phone.number}"
    else:
        phone = TwoSimPhone(running, clock, person, setup["at"])
        key = f"conv:ussd:{phone.ussd.phone}"
    await phone.start()
    weighed = Weighed(phone, running.services.state, key)  # the state stays under 1 KB
    await replay(path, weighed, update=wants_update(request.config))
    assert weighed.heaviest > 0
    healthid = running.services.healthid
    assert [p.abha_number for p in await healthid.by_mobile(NEW)] == [person.abha_number]
    assert await healthid.by_mobile(OLD) == []
    sent = await running.services.sms.sent_to(OLD)
    # by SMS from the old phone, the conversation's own replies also go to it
    told = [row.message_key for row in sent if row.message_key != REPLY_TEMPLATE_KEY]
    assert told[-1] == "sms.mobile_changed"
    events = await running.services.audit.events(subject=phone.abha, action="abha.mobile_changed")
    assert [event.detail["via"] for event in events] == [setup["via"]]


def test_every_journey_has_been_recorded() -> None:
    names = {path.stem for path in SCRIPTS}
    for channel in ("ussd", "sms"):
        journeys = ("old_sim_en", "old_sim_hi", "lost_sim_en", "lost_sim_hi")
        assert names >= {f"{channel}_{journey}" for journey in journeys}
    for path in SCRIPTS:
        assert load(path)["channel"] == path.stem.split("_")[0], path.name
        assert_recorded(path)
