"""Golden transcripts of deactivating and deleting an ABDM ABHA (`abdm` mode), over the real
USSD and SMS endpoints, in English and Hindi: every page, every SMS Arogya sent, and each OTP
the loopback ABDM "sent" (as `ABDM OTP: ...`), each USSD page within its budget, the state
under 1 KB. The holder (PIN 4826) is an ABHA ABDM issued and Arogya mirrored; the script's
network sets their language. Re-record with `pytest tests/webhooks/abdm --update-golden`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from core.clock import FrozenClock
from core.healthid.models import Person, PersonStatus
from core.state import StateStore
from testing.golden import (
    Weighed,
    assert_recorded,
    each_script,
    load,
    replay,
    scripts,
    wants_update,
)
from tests.webhooks.abdm.conftest import PHONE, SMS_TOKEN, Abdm, Running
from tests.webhooks.abdm.test_faults import finish, start
from tests.webhooks.journey_phones import Inbox
from tests.webhooks.phones import ENGLISH_CIRCLE, HINDI_CIRCLE, RecordingSms, SmsPhone, UssdPhone

SCRIPTS = scripts("abdm_leave")
PIN = "4826"


class AbdmJourneyPhone:
    """USSD or SMS on PHONE; what it sees includes the OTPs ABDM sent it since the last hop."""

    def __init__(self, running: Running, abdm: Abdm, clock: FrozenClock, script: dict) -> None:  # type: ignore[type-arg]
        self.abdm = abdm
        self.inbox = Inbox(running.services, PHONE)
        self.seen_otps = len(abdm.fake.people.sent)
        self.sms = script["channel"] == "sms"
        network = script.get("network", ENGLISH_CIRCLE)
        self.ussd = UssdPhone(running.client, clock, PHONE, network=network)
        self.texts = SmsPhone(running.client, RecordingSms(), clock, PHONE, route="json",
                              twilio_token=None, api_token=SMS_TOKEN)  # fmt: skip

    def _abdm_otps(self) -> list[str]:
        sent = self.abdm.fake.people.sent[self.seen_otps :]
        self.seen_otps = len(self.abdm.fake.people.sent)
        return [f"ABDM OTP: {otp.otp}" for otp in sent if otp.mobile == PHONE[3:]]

    async def dial(self) -> list[str]:
        pages = await self.ussd.dial()
        return [*pages, *(await self.inbox.new(replies=False)), *self._abdm_otps()]

    async def send(self, text: str) -> list[str]:
        if text == "{otp}":
            text = self.abdm.fake.people.last_otp(PHONE)
        if self.sms:
            await self.texts.send(text)
            return [*(await self.inbox.new(replies=True)), *self._abdm_otps()]
        pages = await self.ussd.send(text)
        return [*pages, *(await self.inbox.new(replies=False)), *self._abdm_otps()]

    def advance(self, seconds: float) -> None:
        self.ussd.advance(seconds)
        self.texts.advance(seconds)


@each_script(SCRIPTS)
async def test_journey(
    path: Path,
    running: Running,
    abdm: Abdm,
    clock: FrozenClock,
    state: StateStore,
    request: pytest.FixtureRequest,
) -> None:
    script = load(path)
    number = await finish(running.services, abdm, await start(running.services))
    await running.services.healthid.set_pin(number, PIN, channel="cli")
    lang = "hi" if script.get("network") == HINDI_CIRCLE else "en"
    await Person.filter(abha_number=number).update(language=lang)
    phone = AbdmJourneyPhone(running, abdm, clock, script)
    channel = script["channel"]
    weighed = Weighed(phone, state, f"conv:{channel}:{PHONE}")
    await replay(path, weighed, update=wants_update(request.config))
    assert weighed.heaviest > 0
    wanted = {"deactivate": PersonStatus.DEACTIVATED, "delete": PersonStatus.DELETED}
    action = path.stem.split("_")[1]
    assert (await Person.get(abha_number=number)).status == wanted[action]


def test_every_journey_has_been_recorded() -> None:
    assert SCRIPTS, "no journeys"
    for path in SCRIPTS:
        assert_recorded(path)
