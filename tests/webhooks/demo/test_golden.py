"""Golden transcripts of the demo flows over the real USSD and SMS endpoints, both languages.

Each file in tests/golden/demo/ is a whole conversation; every hop is compared as it happens,
every USSD page is checked against its budget, and after every hop the conversation's whole
state (with the USSD channel's record) is checked to be under 1 KB. Re-record with
`pytest --update-golden`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from core.clock import FrozenClock
from core.state import StateStore
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
from tests.webhooks.conftest import API_TOKEN, TWILIO_TOKEN, Serve
from tests.webhooks.phones import RecordingSms, SmsPhone, UssdPhone

SCRIPTS = scripts("demo", "ussd", "sms")


@each_script(SCRIPTS)
async def test_transcript(
    path: Path,
    serve: Serve,
    outbox: RecordingSms,
    clock: FrozenClock,
    state: StateStore,
    request: pytest.FixtureRequest,
) -> None:
    script = load(path)
    client = await serve(twilio_auth_token=TWILIO_TOKEN, sms_api_token=API_TOKEN)
    phone: Phone
    if script["channel"] == "ussd":
        phone = UssdPhone(client, clock)
    else:
        phone = SmsPhone(
            client,
            outbox,
            clock,
            route=script.get("route", "twilio"),
            twilio_token=TWILIO_TOKEN,
            api_token=API_TOKEN,
        )
    weighed = Weighed(phone, state, f"conv:{script['channel']}:+919876543210")
    await replay(path, weighed, update=wants_update(request.config))
    assert weighed.heaviest > 0


def test_every_script_has_been_recorded() -> None:
    for path in SCRIPTS:
        assert_recorded(path)
