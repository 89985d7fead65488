"""Log in / find my ABHA through ABDM: a shared mobile lists every ABHA, each mirrored here."""

from __future__ import annotations

from datetime import date

import pytest

from core.clock import FrozenClock
from core.errors import InvalidInput, NotFound
from core.healthid.models import Person
from core.services import Services
from testing.fakes.abdm_people import Abha, Resident
from tests.webhooks.abdm.conftest import PHONE, Abdm, AbdmUssdPhone, Running
from tests.webhooks.abdm.test_faults import finish, start

ELSEWHERE = "91-2000-0000-0006"  # made by the ABHA app, never seen by Arogya


def made_elsewhere(abdm: Abdm) -> None:
    abdm.fake.people.residents["999999990019"] = Resident(
        "Kamla", "Joshi", date(1958, 1, 2), "F", "9876543210"
    )
    abdm.fake.people.abhas[ELSEWHERE] = Abha(
        ELSEWHERE, "999999990019", "9876543210", ["kamla.joshi58@sbx"]
    )


async def test_a_shared_mobile_finds_every_abha_and_mirrors_the_unknown_one(
    registry: Services, abdm: Abdm
) -> None:
    mine = await finish(registry, abdm, await start(registry))
    made_elsewhere(abdm)
    ticket = await registry.healthid.start_login(PHONE, lang="hi", channel="ussd")
    assert ticket.masked_mobile == "******3210"
    people = await registry.healthid.verify_login(
        ticket.txn_id, abdm.fake.people.last_otp(PHONE), channel="ussd"
    )
    found = sorted(p.abha_number.replace("-", "") for p in people)
    assert found == sorted([mine, ELSEWHERE.replace("-", "")])
    kamla = await Person.get(abha_number=ELSEWHERE.replace("-", ""))
    assert (kamla.first_name, kamla.address, kamla.mobile) == ("Kamla", "kamla.joshi58@sbx", PHONE)


async def test_log_in_by_abha_number_gives_that_one(registry: Services, abdm: Abdm) -> None:
    mine = await finish(registry, abdm, await start(registry))
    made_elsewhere(abdm)
    ticket = await registry.healthid.start_login(mine, lang="en", channel="sms")
    people = await registry.healthid.verify_login(
        ticket.txn_id, abdm.fake.people.last_otp(PHONE), channel="sms"
    )
    assert [p.abha_number.replace("-", "") for p in people] == [mine]


async def test_a_wrong_login_otp_is_the_usual_wrong_otp(registry: Services, abdm: Abdm) -> None:
    await finish(registry, abdm, await start(registry))
    ticket = await registry.healthid.start_login(PHONE, lang="en", channel="ussd")
    with pytest.raises(InvalidInput) as wrong:
        await registry.healthid.verify_login(ticket.txn_id, "000000", channel="ussd")
    assert wrong.value.code == "abdm.otp_invalid"


async def test_a_mobile_with_no_abha_is_abha_not_found(registry: Services) -> None:
    with pytest.raises(NotFound) as none:
        await registry.healthid.start_login("+919123456789", lang="en", channel="ussd")
    assert none.value.code == "abha.not_found"


async def test_my_health_id_on_ussd_logs_in_through_abdm(
    running: Running, abdm: Abdm, clock: FrozenClock
) -> None:
    made_elsewhere(abdm)
    phone = AbdmUssdPhone(running, abdm, clock)
    pages = [await phone.dial()]
    for text in ("2", "1", "{otp}"):
        pages.append(await phone.send(text))
    assert pages[2] == "CON Type the OTP sent to ******3210\n1. Send OTP again"
    assert pages[-1].startswith("CON Hello Kamla\n1. My details")
    assert await Person.exists(abha_number=ELSEWHERE.replace("-", ""))


async def test_send_again_on_login_asks_abdm_for_a_new_otp(
    running: Running, abdm: Abdm, clock: FrozenClock
) -> None:
    """VRFY_ABHA_305: ABDM has no resend for a login OTP, so "send again" is a new request
    for the same identifier; the first code is then over, the new one logs in."""
    made_elsewhere(abdm)
    phone = AbdmUssdPhone(running, abdm, clock)
    await phone.dial()
    await phone.send("2")
    await phone.send("1")
    first = abdm.fake.people.last_otp(PHONE)
    again = await phone.send("1")  # 1. Send OTP again
    assert "******3210" in again
    second = abdm.fake.people.last_otp(PHONE)
    assert abdm.fake.calls.count("/abha/api/v3/profile/login/request/otp") == 2
    assert first != second
    assert (await phone.send(second)).startswith("CON Hello Kamla")
