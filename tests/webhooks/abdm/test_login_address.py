"""Log in by ABHA address through ABDM's ABHA-address login (VRFY_ABHA_202): an address typed
at "My Health ID" logs in on every channel, whether or not Arogya has seen its ABHA before."""

from __future__ import annotations

from datetime import date

import pytest
from aiogram import Bot

from core.abdm.address_login import PHR_OTP_PATH, PHR_PROFILE_PATH, PHR_VERIFY_PATH
from core.audit.models import AuditEvent
from core.clock import FrozenClock
from core.errors import Conflict, InvalidInput, NotFound
from core.healthid.models import Person
from core.services import Services
from core.state import StateStore
from testing.fakes.abdm_people import Resident
from testing.fakes.telegram_api import TelegramApiFake
from tests.webhooks.abdm.conftest import (
    PHONE,
    SMS_TOKEN,
    Abdm,
    AbdmUssdPhone,
    Running,
    abdm_settings,
)
from tests.webhooks.abdm.test_login import ELSEWHERE, made_elsewhere
from tests.webhooks.journey_phones import Inbox
from tests.webhooks.phones import RecordingSms, SmsPhone
from tests.webhooks.telegram.conftest import running_telegram
from tests.webhooks.telegram.phone import TelegramPhone

KAMLA = ELSEWHERE.replace("-", "")
USER = {"id": 700015, "is_bot": False, "first_name": "Kamla", "language_code": "en"}


def phr_paths(abdm: Abdm) -> list[str]:
    wanted = {"/abha/api" + path for path in (PHR_OTP_PATH, PHR_VERIFY_PATH, PHR_PROFILE_PATH)}
    return [path for path in abdm.fake.calls if path in wanted]


async def test_an_address_abdm_knows_logs_in_on_ussd_and_is_mirrored(
    running: Running, abdm: Abdm, clock: FrozenClock
) -> None:
    made_elsewhere(abdm)  # an ABHA made in the ABHA app: Arogya has never seen it
    phone = AbdmUssdPhone(running, abdm, clock)
    await phone.dial()
    await phone.send("2")  # My Health ID
    await phone.send("2")  # another ABHA number or address
    asked = await phone.send("kamla.joshi58@sbx")
    assert asked == "CON Type the OTP sent to ******3210\n1. Send OTP again"
    home = await phone.send("{otp}")
    assert home.startswith("CON Hello Kamla\n1. My details")
    assert len(phr_paths(abdm)) == 3
    kamla = await Person.get(abha_number=KAMLA)
    assert (kamla.address, kamla.mobile, kamla.first_name) == ("kamla.joshi58@sbx", PHONE, "Kamla")
    login = await AuditEvent.get(action="abha.login", subject=KAMLA)
    assert login.channel == "ussd"
    assert login.detail["via"] == "address"


async def test_the_same_address_logs_in_by_sms(
    running: Running, abdm: Abdm, clock: FrozenClock
) -> None:
    made_elsewhere(abdm)
    sms = SmsPhone(running.client, RecordingSms(), clock, PHONE, route="json",
                   twilio_token=None, api_token=SMS_TOKEN)  # fmt: skip
    inbox = Inbox(running.services, PHONE)
    for text in ("hello", "2", "2", "Kamla.Joshi58@SBX"):
        await sms.send(text)
        await inbox.new(replies=True)
    await sms.send(abdm.fake.people.last_otp(PHONE))
    home = await inbox.new(replies=True)
    assert any("Hello Kamla" in reply for reply in home), home
    assert len(phr_paths(abdm)) == 3


async def test_the_same_address_logs_in_on_telegram(
    db: str,
    state: StateStore,
    clock: FrozenClock,
    abdm: Abdm,
    telegram_api: TelegramApiFake,
    telegram_bot: Bot,
) -> None:
    made_elsewhere(abdm)
    async with running_telegram(
        telegram_api, telegram_bot, state, clock, **abdm_settings(abdm)
    ) as tg:
        phone = TelegramPhone(tg, USER, PHONE)
        await phone.dial()
        await phone.send("2")  # My Health ID
        asked = await phone.send("kamla.joshi58@sbx")
        assert any("******3210" in line for line in asked), asked
        home = await phone.send(abdm.fake.people.last_otp(PHONE))
    assert any("Kamla" in line for line in home), home
    assert len(phr_paths(abdm)) == 3
    assert await Person.exists(abha_number=KAMLA, address="kamla.joshi58@sbx")


async def test_an_unknown_address_is_abha_not_found(registry: Services, abdm: Abdm) -> None:
    with pytest.raises(NotFound) as none:
        await registry.healthid.start_login("nobody.here@sbx", lang="en", channel="sms")
    assert none.value.code == "abha.not_found"
    with pytest.raises(InvalidInput) as other:  # another consent manager's address
        await registry.healthid.start_login("kamla.joshi58@abdm", lang="en", channel="sms")
    assert other.value.code == "address.invalid"


async def test_a_wrong_otp_is_the_usual_wrong_otp_and_the_right_one_then_works(
    registry: Services, abdm: Abdm
) -> None:
    made_elsewhere(abdm)
    ticket = await registry.healthid.start_login("kamla.joshi58@sbx", lang="hi", channel="ussd")
    assert (ticket.mobile, ticket.masked_mobile) == ("", "******3210")
    with pytest.raises(InvalidInput) as wrong:
        await registry.healthid.verify_login(ticket.txn_id, "000000", channel="ussd")
    assert wrong.value.code == "abdm.otp_invalid"
    assert not await Person.exists(abha_number=KAMLA)
    otp = abdm.fake.people.last_otp(PHONE)
    [kamla] = await registry.healthid.verify_login(ticket.txn_id, otp, channel="ussd")
    assert kamla.abha_number == ELSEWHERE


async def test_an_address_with_no_abha_number_is_refused_not_mirrored(
    registry: Services, abdm: Abdm
) -> None:
    abdm.fake.phr.phr_only["ravi.phr@sbx"] = Resident(
        "Ravi", "Kumar", date(1990, 3, 4), "M", "9876543210"
    )
    ticket = await registry.healthid.start_login("ravi.phr@sbx", lang="en", channel="sms")
    otp = abdm.fake.people.last_otp(PHONE)
    with pytest.raises(Conflict) as refused:
        await registry.healthid.verify_login(ticket.txn_id, otp, channel="sms")
    assert refused.value.code == "abdm.address_without_number"
    assert not await Person.exists(address="ravi.phr@sbx")
