"""Deactivate, reactivate, delete: the PIN and an OTP for each, an SMS in the holder's language
after each; a deleted ABHA's consents end (each HIU told), its records and artefacts stay
sealed and unreadable for ABDM's 7 days, then housekeeping purges them, and a walk of every
table of every app finds nothing of the person but the tombstone that keeps the number.
"""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Any

import pytest
from tortoise import Tortoise

from core.clock import FrozenClock
from core.consent.models import ConsentArtefact, ConsentCallback, ConsentRequest, ConsentStatus
from core.errors import ArogyaError
from core.healthid.models import Person, PersonStatus
from core.housekeeping import tidy
from core.leaving.models import Erasure
from core.leaving.service import LeaveService
from core.records.hitypes import HiType
from core.records.models import CareContext, HealthRecord
from core.services import Services
from testing.linking import held_token
from testing.world import PHONE, PIN, World, ask, bundle, last_sms_code

NAME = "Kamla"


async def leave(services: Services, abha: str, action: str, *, lang: str = "en") -> str:
    """Start with the PIN, confirm with the OTP the mobile got; returns the action done."""
    ticket = await services.leaving.start(abha, action, PIN, lang=lang, channel="ussd")  # type: ignore[arg-type]
    return await services.leaving.confirm(
        ticket.txn_id, await last_sms_code(services, PHONE), channel="ussd"
    )


async def refused(call: Any) -> str:
    with pytest.raises(ArogyaError) as caught:
        await call
    return caught.value.code


async def test_deactivate_then_reactivate_each_with_pin_otp_and_sms(
    services: Services, world: World
) -> None:
    person = await world.person(first_name=NAME, lang="hi")
    hip = await world.facility("Civic Hospital")
    token = await held_token(services.links, services.sms, hip, person)  # authorised before
    assert await leave(services, person.abha_number, "deactivate", lang="hi") == "deactivate"
    assert (await services.healthid.get(person.abha_number)).status == "deactivated"
    sent = await services.sms.sent_to(PHONE)
    assert sent[-1].message_key == "sms.leave.deactivate"
    assert "बंद कर दिया गया" in sent[-1].text  # the holder's language, not the caller's
    # Deactivated: no push, and a second deactivation is refused before any OTP.
    link = services.records.link_care_context(
        hip,
        link_token=token,
        reference="V1",
        display="Visit",
        hi_type=HiType.PRESCRIPTION,
        date=date(2026, 1, 10),
        abha_number=person.abha_number,
    )
    # the link token is checked first: a deactivated ABHA's token is not live
    assert await refused(link) in {"abha.inactive", "link.token_invalid"}
    again = services.leaving.start(person.abha_number, "deactivate", PIN, lang="en", channel="sms")
    assert await refused(again) == "leave.already_inactive"
    assert await leave(services, person.abha_number, "reactivate") == "reactivate"
    assert (await services.healthid.get(person.abha_number)).status == "active"
    assert (await services.sms.sent_to(PHONE))[-1].message_key == "sms.leave.reactivate"
    actions = [
        e.action for e in await services.audit.events(subject=person.abha_number.replace("-", ""))
    ]
    assert actions[-2:] == ["abha.deactivated", "abha.reactivated"]


async def test_a_wrong_pin_sends_no_otp_and_counts_toward_the_lockout(
    services: Services, world: World
) -> None:
    person = await world.person()
    before = len(await services.sms.sent_to(PHONE))
    wrong = services.leaving.start(person.abha_number, "delete", "9999", lang="en", channel="ussd")
    assert await refused(wrong) == "pin.invalid"
    assert len(await services.sms.sent_to(PHONE)) == before
    assert (await Person.get(abha_number=person.abha_number.replace("-", ""))).pin_failures == 1


async def test_a_wrong_otp_changes_nothing(services: Services, world: World) -> None:
    person = await world.person()
    ticket = await services.leaving.start(
        person.abha_number, "delete", PIN, lang="en", channel="ussd"
    )
    code = await last_sms_code(services, PHONE)
    wrong = "000000" if code != "000000" else "111111"
    assert (
        await refused(services.leaving.confirm(ticket.txn_id, wrong, channel="ussd"))
        == "otp.invalid"
    )
    assert (await services.healthid.get(person.abha_number)).status == "active"


async def scene(services: Services, world: World) -> tuple[Any, Any, Any, Any, str]:
    """Kamla with records at a HIP, a consent granted to a HIU and one still waiting."""
    person = await world.person(first_name=NAME, handle="kamla.bai77")
    hiu = await world.facility("Sanjeevani Hospital", callback_url="https://hiu.example/cb")
    await world.doctor(works_at=[hiu])  # a HIU asks only in the name of its own doctor
    hip = await world.facility("Apollo Clinic")
    await world.record(hip, person, HiType.PRESCRIPTION, date(2024, 3, 1))
    await world.record(hip, person, HiType.INVOICE, date(2024, 3, 1))
    consent = services.consent
    granted = (await consent.request(hiu, ask(hiu, person.address, ref="r1"))).request
    await consent.grant(person.abha_number, granted.code, PIN, channel="ussd")
    waiting = (await consent.request(hiu, ask(hiu, person.address, ref="r2"))).request
    artefact = (await consent.find(person.abha_number, granted.code)).artefacts[0].id
    return person, hiu, hip, waiting, artefact


def rows_mentioning(rows: list[dict[str, Any]], needles: tuple[str, ...]) -> list[dict[str, Any]]:
    return [row for row in rows if any(n.casefold() in repr(row).casefold() for n in needles)]


async def walk_database() -> dict[str, list[dict[str, Any]]]:
    """Every row of every table of every app, as dicts."""
    found: dict[str, list[dict[str, Any]]] = {}
    for app, models in Tortoise.apps.items():
        for name, model in models.items():
            found[f"{app}.{name}"] = list(await model.all().values())
    return found


async def test_delete_forgets_the_person_after_the_grace_period(
    services: Services, world: World, clock: FrozenClock
) -> None:
    person, hiu, _hip, waiting, artefact = await scene(services, world)
    number = person.abha_number.replace("-", "")
    person_id = (await Person.get(abha_number=number)).id
    assert await leave(services, person.abha_number, "delete") == "delete"

    # At once: wiped, every consent ended and each HIU told, nothing readable by any route.
    tombstone = await Person.get(id=person_id)
    assert tombstone.status is PersonStatus.DELETED
    assert tombstone.mobile is None
    assert tombstone.first_name == ""
    assert tombstone.abha_number == number
    statuses = {r.id: r.status for r in await ConsentRequest.filter(person_id=person_id)}
    assert set(statuses.values()) == {ConsentStatus.REVOKED, ConsentStatus.DENIED}
    assert statuses[waiting.id] is ConsentStatus.DENIED
    told = [c.event for c in await ConsentCallback.all().order_by("seq")]
    assert told[-2:] == [ConsentStatus.REVOKED, ConsentStatus.DENIED]
    assert await refused(services.consent.fetch(hiu, artefact, page_size=5)) in {
        "consent.not_active",
        "consent.not_found",
        "consent.revoked",
    }
    assert await refused(services.records.list_records(person.abha_number)) == "abha.deleted"
    assert (
        await refused(services.healthid.start_login(person.abha_number, lang="en", channel="ussd"))
        == "abha.deleted"
    )
    assert (await services.sms.sent_to(PHONE))[-1].message_key == "sms.leave.delete"
    # Sealed, not yet purged: within the grace period housekeeping keeps them.
    clock.advance(days=6)
    await tidy(services)
    assert await HealthRecord.filter(person_id=person_id).count() == 2

    clock.advance(days=1, seconds=1)
    await tidy(services)
    for model in (HealthRecord, CareContext, ConsentArtefact, ConsentRequest):
        assert await model.filter(person_id=person_id).count() == 0, model
    erasure = await Erasure.get(person_id=person_id)
    assert erasure.purged_at is not None
    assert erasure.mobile is None
    # The walk: nothing of her in any table but the tombstone's number and ABHA address (kept
    # so neither is ever issued again) and the audit log's subject, the number itself.
    needles = (NAME, PHONE, PHONE.removeprefix("+91"), "226001")
    walked = await walk_database()
    walked["healthid.Person"] = [
        {**row, "address": "(kept)"} if row["id"] == person_id else row
        for row in walked["healthid.Person"]
    ]
    leftovers = {table: rows_mentioning(rows, needles) for table, rows in walked.items()}
    found = {table: rows for table, rows in leftovers.items() if rows}
    assert found == {}, "\n".join(f"{t}: {r}" for t, r in found.items())
    by_person = ("person_id", "person")
    for table, rows in walked.items():
        if table.startswith(("records.", "consent.")):
            assert not [r for r in rows if any(r.get(k) == person_id for k in by_person)], table
    # The number is never reissued: the tombstone keeps it, unique.
    assert await Person.filter(abha_number=number).count() == 1


async def test_a_delete_racing_a_grant_leaves_no_grant_standing(
    services: Services, world: World
) -> None:
    person, _hiu, _hip, waiting, _ = await scene(services, world)
    ticket = await services.leaving.start(
        person.abha_number, "delete", PIN, lang="en", channel="ussd"
    )
    code = await last_sms_code(services, PHONE)
    results = await asyncio.gather(
        services.leaving.confirm(ticket.txn_id, code, channel="ussd"),
        services.consent.grant(person.abha_number, waiting.code, PIN, channel="sms"),
        return_exceptions=True,
    )
    assert results[0] == "delete"
    live = await ConsentRequest.filter(
        id=waiting.id, status__in=(ConsentStatus.GRANTED, ConsentStatus.REQUESTED)
    ).count()
    assert live == 0
    assert (
        await ConsentArtefact.filter(request__id=waiting.id, status=ConsentStatus.GRANTED).count()
        == 0
    )


async def test_a_delete_racing_a_record_push_refuses_or_purges_the_push(
    services: Services, world: World, clock: FrozenClock
) -> None:
    person, _hiu, hip, _waiting, _ = await scene(services, world)
    await services.records.link_care_context(
        hip,
        link_token=await held_token(services.links, services.sms, hip, person),
        reference="RACE",
        display="Visit",
        hi_type=HiType.PRESCRIPTION,
        date=date(2026, 1, 10),
        abha_address=person.address,
    )
    ticket = await services.leaving.start(
        person.abha_number, "delete", PIN, lang="en", channel="ussd"
    )
    code = await last_sms_code(services, PHONE)
    results = await asyncio.gather(
        services.leaving.confirm(ticket.txn_id, code, channel="ussd"),
        services.records.store_document(
            hip, "RACE", bundle(HiType.PRESCRIPTION, date(2026, 1, 10))
        ),
        return_exceptions=True,
    )
    assert results[0] == "delete"
    push = results[1]
    if isinstance(push, ArogyaError):
        assert push.code in {"abha.deleted", "abha.inactive"}
    # After the push, refused for good:
    late = services.records.store_document(
        hip, "RACE", bundle(HiType.PRESCRIPTION, date(2026, 1, 11)), "late"
    )
    assert await refused(late) in {"abha.deleted", "abha.inactive"}
    clock.advance(days=8)
    await tidy(services)
    person_id = (await Person.get(abha_number=person.abha_number.replace("-", ""))).id
    assert await HealthRecord.filter(person_id=person_id).count() == 0


async def test_the_abdm_adapter_refuses_reactivation_before_any_pin(
    services: Services, world: World
) -> None:
    person = await world.person()
    national = LeaveService(
        services.clock,
        services.otp,
        services.sms,
        services.audit,
        services.healthid,
        services.consent,
        services.leaving.hip_notices,
        national=True,
    )
    before = len(await services.sms.sent_to(PHONE))
    asked = national.start(person.abha_number, "reactivate", "0000", lang="hi", channel="ussd")
    assert await refused(asked) == "abdm.reactivate_not_offered"
    assert len(await services.sms.sent_to(PHONE)) == before  # no OTP
    row = await Person.get(abha_number=person.abha_number.replace("-", ""))
    assert row.pin_failures == 0  # refused before the PIN was read
