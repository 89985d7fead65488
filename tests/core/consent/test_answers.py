"""A person answers: approve (as asked or narrowed), deny, revoke; each with the PIN; the HIU
fetches what an artefact covers and nothing else; every fetch is on the person's "who saw"."""

from __future__ import annotations

import asyncio
from datetime import date

import pytest

from core.clock import FrozenClock
from core.consent.models import ConsentArtefact, ConsentStatus
from core.consent.signing import verify
from core.consent.views import Narrowing
from core.errors import ArogyaError
from core.facilities.views import FacilityView
from core.healthid.views import PersonView
from core.records.hitypes import HiType
from core.records.views import RecordView
from core.services import Services
from testing.world import PIN, World, ask

LAB_DAY = date(2025, 6, 1)
VAX_DAY = date(2024, 8, 1)


async def scene(
    world: World,
) -> tuple[PersonView, FacilityView, FacilityView, FacilityView, dict[str, RecordView]]:
    """A person with records at two HIPs, inside and outside the asked range and types."""
    person = await world.person()
    hiu = await world.facility("Sanjeevani Hospital")
    await world.doctor(works_at=[hiu])
    apollo = await world.facility("Apollo Clinic")
    civic = await world.facility("Civic Hospital")
    records = {
        "apollo_rx": await world.record(apollo, person, HiType.PRESCRIPTION, date(2024, 3, 1)),
        "apollo_lab": await world.record(apollo, person, HiType.DIAGNOSTIC_REPORT, LAB_DAY),
        "apollo_old": await world.record(apollo, person, HiType.PRESCRIPTION, date(2023, 5, 1)),
        "apollo_vax": await world.record(apollo, person, HiType.IMMUNIZATION_RECORD, VAX_DAY),
        "civic_op": await world.record(civic, person, HiType.OP_CONSULTATION, date(2025, 1, 5)),
    }
    return person, hiu, apollo, civic, records


async def fetched_ids(services: Services, hiu: FacilityView, artefact_id: str) -> set[str]:
    page = await services.consent.fetch(hiu, artefact_id, page_size=20)
    return {opened.record.id for opened in page.records}


async def test_a_grant_makes_one_signed_artefact_per_hip_and_releases_only_its_scope(
    services: Services, world: World
) -> None:
    person, hiu, apollo, civic, records = await scene(world)
    consent = services.consent
    requested = (await consent.request(hiu, ask(hiu, person.address))).request
    granted = await consent.grant(person.abha_number, requested.code, PIN, channel="ussd")
    assert granted.status is ConsentStatus.GRANTED
    by_hip = {a.hip_id: a for a in granted.artefacts}
    assert set(by_hip) == {apollo.id, civic.id}
    assert await fetched_ids(services, hiu, by_hip[apollo.id].id) == {
        records["apollo_rx"].id,
        records["apollo_lab"].id,
    }
    assert await fetched_ids(services, hiu, by_hip[civic.id].id) == {records["civic_op"].id}

    claims = verify(by_hip[apollo.id].signed, consent.jwks())
    assert b'"consentId":"' + by_hip[apollo.id].id.encode() in claims
    assert b'"hip":{"id":"' + apollo.id.encode() in claims
    events = await services.audit.events(subject=person.abha_number.replace("-", ""))
    assert [e.action for e in events if e.action.startswith("consent.")] == [
        "consent.requested",
        "consent.granted",
        "consent.fetched",
        "consent.fetched",
    ]
    reads = [e for e in events if e.action == "record.read"]
    assert {e.actor for e in reads} == {hiu.id}
    assert len(reads) == 3


async def test_narrowing_grants_less_and_never_more(services: Services, world: World) -> None:
    person, hiu, apollo, civic, records = await scene(world)
    consent = services.consent
    code = (await consent.request(hiu, ask(hiu, person.address))).request.code
    scope = await consent.grant_scope(person.abha_number, code)
    assert {(hip.id, hip.hi_types) for hip in scope.hips} == {
        (apollo.id, ("Prescription", "DiagnosticReport")),
        (civic.id, ("OPConsultation",)),
    }

    for narrow, field in (
        (Narrowing(hi_types=frozenset({"ImmunizationRecord"})), "hi_types"),  # not asked
        (Narrowing(hi_types=frozenset()), "hi_types"),
        (Narrowing(hip_ids=frozenset({hiu.id})), "hip_ids"),  # holds nothing of it
        (Narrowing(date_from=date(2023, 1, 1)), "date_range"),  # wider than asked
        (Narrowing(date_from=date(2025, 1, 1), date_to=date(2024, 1, 1)), "date_range"),
    ):
        with pytest.raises(ArogyaError) as refused:
            await consent.grant(person.abha_number, code, PIN, channel="telegram", narrow=narrow)
        assert (refused.value.code, refused.value.params) == (
            "consent.narrow_invalid",
            {"field": field},
        )
    assert (await consent.find(person.abha_number, code)).status is ConsentStatus.REQUESTED

    narrow = Narrowing(
        hi_types=frozenset({"Prescription", "OPConsultation"}),
        hip_ids=frozenset({apollo.id}),
        date_from=date(2024, 2, 1),
    )
    granted = await consent.grant(person.abha_number, code, PIN, channel="telegram", narrow=narrow)
    [artefact] = granted.artefacts
    assert (artefact.hip_id, artefact.hi_types, artefact.date_from, artefact.date_to) == (
        apollo.id,
        ("OPConsultation", "Prescription"),
        date(2024, 2, 1),
        date(2025, 12, 31),
    )
    assert await fetched_ids(services, hiu, artefact.id) == {records["apollo_rx"].id}


async def test_nothing_to_share_leaves_the_request_open(services: Services, world: World) -> None:
    person, hiu, *_ = await scene(world)
    consent = services.consent
    code = (
        await consent.request(hiu, ask(hiu, person.address, hi_types=("WellnessRecord",)))
    ).request.code
    with pytest.raises(ArogyaError) as refused:
        await consent.grant(person.abha_number, code, PIN, channel="sms")
    assert refused.value.code == "consent.nothing_to_share"
    denied = await consent.deny(person.abha_number, code, PIN, channel="sms")
    assert denied.status is ConsentStatus.DENIED
    assert denied.artefacts == ()


async def test_a_wrong_pin_counts_and_locks_and_changes_nothing(
    services: Services, world: World
) -> None:
    person, hiu, *_ = await scene(world)
    consent = services.consent
    code = (await consent.request(hiu, ask(hiu, person.address))).request.code
    for left in (4, 3, 2, 1):
        with pytest.raises(ArogyaError) as refused:
            await consent.grant(person.abha_number, code, "9999", channel="ussd")
        assert (refused.value.code, refused.value.params["attempts_left"]) == ("pin.invalid", left)
    with pytest.raises(ArogyaError) as locked:
        await consent.grant(person.abha_number, code, "9999", channel="ussd")
    assert locked.value.code == "pin.locked"
    with pytest.raises(ArogyaError) as still:
        await consent.deny(person.abha_number, code, PIN, channel="ussd")
    assert still.value.code == "pin.locked"
    assert (await consent.find(person.abha_number, code)).status is ConsentStatus.REQUESTED
    assert await ConsentArtefact.all().count() == 0


async def test_answers_are_final_and_codes_are_per_person(services: Services, world: World) -> None:
    person, hiu, *_ = await scene(world)
    other = await world.person("+919876500000", handle="ravi.kumar", first_name="Ravi")
    consent = services.consent
    code = (await consent.request(hiu, ask(hiu, person.address))).request.code
    theirs = (await consent.request(hiu, ask(hiu, other.address, ref="req-2"))).request.code
    await consent.deny(person.abha_number, code, PIN, channel="sms")
    for answer in (consent.grant, consent.deny):
        with pytest.raises(ArogyaError) as refused:
            await answer(person.abha_number, code, PIN, channel="sms")
        assert refused.value.code == "consent.already_answered"
    if theirs != code:  # another person's code is simply not this person's
        with pytest.raises(ArogyaError) as refused:
            await consent.grant(person.abha_number, theirs, PIN, channel="sms")
        assert refused.value.code == "consent.not_found"
    for bad in ("", "zz", "4F7K0", "I0O1"):
        with pytest.raises(ArogyaError) as refused:
            await consent.find(person.abha_number, bad)
        assert refused.value.code == "consent.not_found"
    assert await consent.find_among([other.abha_number], theirs) is not None
    assert await consent.find_among([person.abha_number], "ZZZZ") is None


async def test_revoking_stops_the_next_fetch_and_another_hiu_sees_nothing(
    services: Services, world: World
) -> None:
    person, hiu, apollo, *_ = await scene(world)
    stranger = await world.facility("Elsewhere Diagnostics")
    consent = services.consent
    code = (await consent.request(hiu, ask(hiu, person.address))).request.code
    granted = await consent.grant(person.abha_number, code, PIN, channel="sms")
    artefact = next(a for a in granted.artefacts if a.hip_id == apollo.id)
    for bad_id in (artefact.id, "no-such-artefact", "x" * 80):
        with pytest.raises(ArogyaError) as refused:
            await consent.fetch(stranger, bad_id)
        assert refused.value.code == "consent.artefact_not_found"
    with pytest.raises(ArogyaError) as refused:
        await consent.revoke(person.abha_number, code, "1111", channel="sms")
    assert refused.value.code == "pin.invalid"
    revoked = await consent.revoke(person.abha_number, code, PIN, channel="sms")
    assert revoked.status is ConsentStatus.REVOKED
    assert {a.status for a in revoked.artefacts} == {ConsentStatus.REVOKED}
    with pytest.raises(ArogyaError) as refused:
        await consent.fetch(hiu, artefact.id)
    assert refused.value.code == "consent.revoked"
    with pytest.raises(ArogyaError) as again:
        await consent.revoke(person.abha_number, code, PIN, channel="sms")
    assert again.value.code == "consent.not_active"
    fetches = await services.audit.events(action="consent.fetched")
    assert fetches == []


async def test_time_runs_out_for_requests_and_grants(
    services: Services, world: World, clock: FrozenClock
) -> None:
    person, hiu, *_ = await scene(world)
    consent = services.consent
    late = (await consent.request(hiu, ask(hiu, person.address, ref="late"))).request.code
    march = clock.now().replace(month=3)
    asked = await consent.request(hiu, ask(hiu, person.address, ref="soon", erase_at=march))
    soon = asked.request
    granted = await consent.grant(person.abha_number, soon.code, PIN, channel="sms")
    artefact = granted.artefacts[0]
    clock.advance(days=8)  # past the 7-day deadline; the sweeper has not run
    with pytest.raises(ArogyaError) as refused:
        await consent.grant(person.abha_number, late, PIN, channel="sms")
    assert refused.value.code == "consent.request_expired"
    assert await consent.pending(person.abha_number) == []
    assert await consent.sweep() == 1
    assert (await consent.find(person.abha_number, late)).status is ConsentStatus.EXPIRED
    assert len(await fetched_ids(services, hiu, artefact.id)) >= 1
    clock.advance(days=60)  # past dataEraseAt, still unswept: refused all the same
    with pytest.raises(ArogyaError) as expired:
        await consent.fetch(hiu, artefact.id)
    assert expired.value.code == "consent.expired"
    assert await consent.sweep() == 1
    assert await consent.sweep() == 0
    ended = await consent.find(person.abha_number, soon.code)
    assert ended.status is ConsentStatus.EXPIRED
    assert {a.status for a in ended.artefacts} == {ConsentStatus.EXPIRED}
    assert [v.code for v in await consent.past(person.abha_number)] == [soon.code, late]


async def test_who_saw_my_records(services: Services, world: World, clock: FrozenClock) -> None:
    person, hiu, *_ = await scene(world)
    consent = services.consent
    code = (await consent.request(hiu, ask(hiu, person.address))).request.code
    granted = await consent.grant(person.abha_number, code, PIN, channel="sms")
    for artefact in granted.artefacts:
        await consent.fetch(hiu, artefact.id)
        clock.advance(60)
    seen = await consent.access_log(person.abha_number)
    assert [(s.hiu_name, s.requester_name, s.records) for s in seen] == [
        ("Sanjeevani Hospital", "Dr. Meera Iyer", 1),
        ("Sanjeevani Hospital", "Dr. Meera Iyer", 2),
    ]
    assert {s.hip_name for s in seen} == {"Apollo Clinic", "Civic Hospital"}
    assert seen[0].at > seen[1].at
    stranger = await world.person("+919876500001", handle="nobody.else", first_name="Nobody")
    assert await consent.access_log(stranger.abha_number) == []


async def test_two_answers_at_once_one_wins(services: Services, world: World) -> None:
    person, hiu, *_ = await scene(world)
    consent = services.consent
    code = (await consent.request(hiu, ask(hiu, person.address))).request.code
    outcomes = await asyncio.gather(
        consent.grant(person.abha_number, code, PIN, channel="ussd"),
        consent.deny(person.abha_number, code, PIN, channel="telegram"),
        return_exceptions=True,
    )
    refused = [o for o in outcomes if isinstance(o, ArogyaError)]
    assert [r.code for r in refused] == ["consent.already_answered"]
    final = await consent.find(person.abha_number, code)
    assert final.status in {ConsentStatus.GRANTED, ConsentStatus.DENIED}
    assert (final.status is ConsentStatus.GRANTED) == bool(final.artefacts)
    answers = await services.audit.events(action=f"consent.{final.status.value.lower()}")
    assert len(answers) == 1


async def test_the_same_request_sent_twice_at_once_is_stored_once(
    services: Services, world: World
) -> None:
    person, hiu, *_ = await scene(world)
    both = await asyncio.gather(
        *(services.consent.request(hiu, ask(hiu, person.address)) for _ in range(2))
    )
    assert {r.request.id for r in both} == {both[0].request.id}
    assert sorted(r.created for r in both) == [False, True]
