""" "This wasn't me": the mobile's OTP (no PIN) deletes an ABHA made on it within the window,
audited as `abha.disowned`; a wrong OTP, an ABHA past the window, or an ABHA on another mobile
changes nothing."""

from __future__ import annotations

from typing import Any

import pytest

from core.clock import FrozenClock
from core.errors import ArogyaError
from core.healthid.models import Person, PersonStatus
from core.leaving.models import Erasure
from core.services import Services
from testing.world import PHONE, World, last_sms_code

OTHER = "+919812345678"


async def refused(call: Any) -> str:
    with pytest.raises(ArogyaError) as caught:
        await call
    return caught.value.code


async def test_the_mobiles_otp_deletes_a_young_abha_without_its_pin(
    services: Services, world: World, clock: FrozenClock
) -> None:
    person = await world.person(first_name="Kamla", lang="en")
    clock.advance(days=29)
    disown = services.leaving.disown
    number = person.abha_number.replace("-", "")
    assert await disown.candidates(PHONE) == [number]
    ticket = await disown.start(person.abha_number, PHONE, lang="hi", channel="sms")
    assert ticket.mobile == PHONE
    code = await last_sms_code(services, PHONE)
    assert await disown.confirm(ticket.txn_id, code, channel="sms") == number
    tombstone = await Person.get(abha_number=number)
    assert tombstone.status is PersonStatus.DELETED
    assert tombstone.first_name == ""
    assert (await Erasure.get(person_id=tombstone.id)).reason == "not_me"
    actions = [e.action for e in await services.audit.events(subject=number)]
    assert actions.index("abha.disowned") < actions.index("abha.erasure_started")
    last = (await services.sms.sent_to(PHONE))[-1]
    assert last.message_key == "sms.leave.delete"
    assert "हटा दिया गया" in last.text  # in the language the mobile asked in
    assert await disown.candidates(PHONE) == []
    used = disown.confirm(ticket.txn_id, code, channel="sms")
    assert await refused(used) in {"otp.used", "otp.unknown"}  # once only


async def test_a_wrong_otp_deletes_nothing(services: Services, world: World) -> None:
    person = await world.person()
    disown = services.leaving.disown
    ticket = await disown.start(person.abha_number, PHONE, lang="en", channel="sms")
    code = await last_sms_code(services, PHONE)
    wrong = "000000" if code != "000000" else "111111"
    assert await refused(disown.confirm(ticket.txn_id, wrong, channel="sms")) == "otp.invalid"
    assert (await services.healthid.get(person.abha_number)).status == "active"
    assert await services.audit.events(action="abha.disowned") == []


async def test_past_the_window_only_the_pin_path_deletes(
    services: Services, world: World, clock: FrozenClock
) -> None:
    person = await world.person()
    clock.advance(days=30, seconds=1)
    disown = services.leaving.disown
    assert await disown.candidates(PHONE) == []
    before = len(await services.sms.sent_to(PHONE))
    late = disown.start(person.abha_number, PHONE, lang="en", channel="sms")
    assert await refused(late) == "disown.too_late"
    assert len(await services.sms.sent_to(PHONE)) == before  # no OTP


async def test_the_window_closing_while_the_otp_is_out_refuses(
    services: Services, world: World, clock: FrozenClock
) -> None:
    person = await world.person()
    clock.advance(days=30, seconds=-120)
    disown = services.leaving.disown
    ticket = await disown.start(person.abha_number, PHONE, lang="en", channel="sms")
    code = await last_sms_code(services, PHONE)
    clock.advance(seconds=240)
    assert await refused(disown.confirm(ticket.txn_id, code, channel="sms")) == "disown.too_late"
    assert (await services.healthid.get(person.abha_number)).status == "active"


async def test_an_abha_on_another_mobile_is_not_found_and_gets_no_otp(
    services: Services, world: World
) -> None:
    person = await world.person()
    disown = services.leaving.disown
    assert await disown.candidates(OTHER) == []
    before = len(await services.sms.sent_to(PHONE))
    other = disown.start(person.abha_number, OTHER, lang="en", channel="sms")
    assert await refused(other) == "abha.not_found"
    assert await services.sms.sent_to(OTHER) == []
    assert len(await services.sms.sent_to(PHONE)) == before
    assert (await services.healthid.get(person.abha_number)).status == "active"
