"""Living with an ABHA: login by number/address/mobile, profile, PIN lockout, status, tombstone."""

from __future__ import annotations

import random

import pytest

from core.clock import FrozenClock
from core.errors import ArogyaError
from core.healthid import numbers
from core.healthid.models import Person
from core.healthid.views import PersonView
from testing.healthid import (
    HealthIdWiring,
    enrol_with_aadhaar,
    enrol_with_mobile,
    last_otp,
    profile,
)

MOBILE = "+919812345678"


async def _login(health: HealthIdWiring, identifier: str) -> list[PersonView]:
    ticket = await health.service.start_login(identifier, lang="en", channel="ussd")
    code = await last_otp(health.sms, ticket.mobile)
    return await health.service.verify_login(ticket.txn_id, code, channel="ussd")


async def _refused(code: str, awaitable: object) -> ArogyaError:
    with pytest.raises(ArogyaError) as refused:
        await awaitable  # type: ignore[misc]
    assert refused.value.code == code
    return refused.value


async def test_login_by_number_address_and_a_shared_mobile(health: HealthIdWiring) -> None:
    ramesh = await enrol_with_aadhaar(health, "999999990019", MOBILE, handle="ramesh.k1990")
    sunita = await enrol_with_mobile(health, "98123 45678", profile(), handle="sunita.devi")

    assert await _login(health, ramesh.abha_number) == [ramesh]
    # a mobile alone gave Sunita an ABHA address: her internal key is no number to log in by
    login_by_key = health.service.start_login(sunita.abha_number, lang="en", channel="ussd")
    await _refused("abha.not_found", login_by_key)
    assert await _login(health, "Ramesh.K1990@SBX") == [ramesh]
    assert await _login(health, "sunita.devi") == [sunita]
    assert await _login(health, "098123-45678") == [ramesh, sunita]

    logins = await health.audit.events(action="abha.login")
    assert [(e.subject, e.detail["via"]) for e in logins][-2:] == [
        (numbers.parse(ramesh.abha_number), "mobile"),
        (numbers.parse(sunita.abha_number), "mobile"),
    ]
    assert {e.channel for e in logins} == {"ussd"}


async def test_login_refusals(health: HealthIdWiring) -> None:
    person = await enrol_with_mobile(health, MOBILE, profile(), handle="sunita.devi")
    login = health.service.start_login
    unknown = numbers.generate(random.Random(7))
    bad_check_digit = unknown[:-1] + str((int(unknown[-1]) + 1) % 10)
    await _refused("abha.not_found", login(numbers.format(unknown), lang="en", channel="sms"))
    await _refused("abha.invalid", login(bad_check_digit, lang="en", channel="sms"))
    await _refused("abha.not_found", login("nobody.here", lang="en", channel="sms"))
    await _refused("address.invalid", login("no", lang="en", channel="sms"))
    await _refused("abha.not_found", login("9123456780", lang="en", channel="sms"))
    await _refused("mobile.invalid", login("12345", lang="en", channel="sms"))

    enrol = await health.service.start_mobile("9123456780", lang="en", channel="sms")
    await _refused(
        "otp.unknown", health.service.verify_login(enrol.txn_id, "123456", channel="sms")
    )
    ticket = await login(person.address, lang="en", channel="sms")
    wrong = f"{(int(await last_otp(health.sms, MOBILE)) + 1) % 10**6:06d}"
    refused = await _refused(
        "otp.invalid", health.service.verify_login(ticket.txn_id, wrong, channel="sms")
    )
    assert refused.params == {"attempts_left": 4}


async def test_profile_view_and_update(health: HealthIdWiring) -> None:
    person = await enrol_with_mobile(health, MOBILE, profile(), handle="sunita.devi")
    assert await health.service.get(person.abha_number) == person
    assert await health.service.by_mobile("9812345678") == [person]

    updated = await health.service.update_profile(
        person.abha_number,
        email=" Sunita@Mail.IN ",
        address="12, Nehru Colony",
        language="hi",
        channel="telegram",
    )
    assert (updated.email, updated.address_line, updated.language) == (
        "sunita@mail.in",
        "12, Nehru Colony",
        "hi",
    )
    cleared = await health.service.update_profile(person.abha_number, email=None, channel="sms")
    assert (cleared.email, cleared.address_line) == (None, "12, Nehru Colony")
    await health.service.update_profile(person.abha_number, language="hi", channel="sms")
    await _refused(
        "profile.invalid",
        health.service.update_profile(person.abha_number, language="fr", channel="sms"),
    )
    await _refused(
        "profile.invalid",
        health.service.update_profile(person.abha_number, email="nope", channel="sms"),
    )

    changes = await health.audit.events(action="abha.profile_changed")
    assert [(e.channel, e.detail) for e in changes] == [
        ("telegram", {"fields": ["address_line", "email", "language"]}),
        ("sms", {"fields": ["email"]}),
    ]


async def test_pin_set_change_and_lockout(health: HealthIdWiring, clock: FrozenClock) -> None:
    person = await enrol_with_mobile(health, MOBILE, profile(year_of_birth=1990))
    number, service = person.abha_number, health.service
    await _refused("pin.not_set", service.verify_pin(number, "5683"))
    await _refused("pin.weak", service.set_pin(number, "1990", channel="sms"))
    await _refused("pin.format", service.verify_pin(number, "56a3"))
    await service.set_pin(number, "5683", channel="sms")
    await service.verify_pin(number, "5683")

    for attempts_left in (4, 3, 2, 1):
        refused = await _refused("pin.invalid", service.verify_pin(number, "5684"))
        assert refused.params == {"attempts_left": attempts_left}
    locked = await _refused("pin.locked", service.verify_pin(number, "5684"))
    assert (locked.params["minutes"], locked.params["seconds"]) == (30, 1800)
    clock.advance(minutes=29)
    await _refused("pin.locked", service.verify_pin(number, "5683"))  # even the right PIN
    clock.advance(minutes=1)
    await service.verify_pin(number, "5683")
    refused = await _refused("pin.invalid", service.verify_pin(number, "5684"))
    assert refused.params == {"attempts_left": 4}  # the count starts afresh

    await _refused("pin.invalid", service.change_pin(number, "5684", "7291", channel="sms"))
    await service.change_pin(number, "5683", "7291", channel="sms")
    await service.verify_pin(number, "7291")
    await _refused("pin.invalid", service.verify_pin(number, "5683"))
    actions = [e.action for e in await health.audit.events(subject=numbers.parse(number))]
    assert actions == ["abha.enrolled", "abha.pin_set", "abha.pin_changed"]
    assert (await service.get(number)).has_pin


async def test_deactivate_reactivate_and_delete_leave_a_tombstone(
    health: HealthIdWiring,
) -> None:
    person = await enrol_with_aadhaar(
        health, "999999990042", MOBILE, handle="ramesh.k1990", pin="5683"
    )
    number, service = person.abha_number, health.service

    paused = await service.deactivate(number, channel="sms")
    assert paused.status == "deactivated"
    await _refused("abha.inactive", service.update_profile(number, language="hi", channel="sms"))
    await _refused("abha.inactive", service.set_pin(number, "7291", channel="sms"))
    await _refused("abha.inactive", service.card_png(number, "en"))
    assert [p.status for p in await _login(health, number)] == ["deactivated"]
    assert (await service.reactivate(number, channel="sms")).status == "active"

    await service.delete(number, channel="sms")
    row = await Person.get(abha_number=numbers.parse(number))
    assert (row.status.value, row.address, row.first_name, row.mobile) == (
        "deleted",
        "ramesh.k1990@sbx",
        "",
        None,
    )
    assert (row.aadhaar_hmac, row.aadhaar_last4, row.pin_hash, row.year_of_birth) == (
        None,
        None,
        None,
        None,
    )
    assert row.deleted_at is not None
    await _refused("abha.deleted", service.get(number))
    await _refused("abha.deleted", service.start_login(number, lang="en", channel="sms"))
    await _refused("abha.deleted", service.start_login("ramesh.k1990", lang="en", channel="sms"))
    await _refused("abha.not_found", service.start_login(MOBILE, lang="en", channel="sms"))
    await _refused("abha.deleted", service.reactivate(number, channel="sms"))
    actions = [e.action for e in await health.audit.events(subject=numbers.parse(number))]
    assert actions[-4:] == ["abha.deactivated", "abha.login", "abha.reactivated", "abha.deleted"]

    again = await enrol_with_aadhaar(health, "999999990042", MOBILE, handle="ramesh.k1991")
    assert again.abha_number != number  # a new ABHA: the old number is never reissued
    draft = await service.start_aadhaar("999999990026", "9123456780", lang="en", channel="sms")
    enrolment = await service.verify_aadhaar(draft.txn_id, await last_otp(health.sms, draft.mobile))
    await _refused("address.taken", service.choose_address(enrolment.draft_id, "ramesh.k1990"))
