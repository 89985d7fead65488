"""eKYC kept with an OTP transaction is sealed at rest, like an SMS body.

An Aadhaar enrolment over the real USSD endpoint keeps UIDAI's eKYC (name, birth date, address)
with the OTP transaction until the code is typed; a database dump must show none of it.
"""

from __future__ import annotations

import json

import pytest

from core.clock import FrozenClock
from core.healthid.models import Person
from core.state import StateStore
from testing.golden import Weighed, replay, scripts
from testing.otp_transactions import kept, note_started
from tests.running import Running
from tests.webhooks.journey_phones import PHONE, JourneyUssdPhone


async def test_ekyc_with_an_otp_transaction_is_not_in_clear(
    running: Running, clock: FrozenClock, state: StateStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    started = note_started(monkeypatch)
    [path] = [p for p in scripts("healthid", "ussd") if p.name == "ussd_aadhaar_en.json"]
    phone = JourneyUssdPhone(running.client, running.services, clock)
    await replay(path, Weighed(phone, state, f"conv:ussd:{PHONE}"), update=False)
    person = await Person.get(mobile=PHONE)
    rows = await kept(state, started)
    assert rows, "the enrolment kept its OTP transaction"
    stored = " ".join(json.dumps(row["payload"], ensure_ascii=False) for row in rows)
    assert person.first_name
    assert person.first_name not in stored
    assert "ekyc" not in stored
    assert person.year_of_birth is None or str(person.year_of_birth) not in stored
