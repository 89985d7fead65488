"""A HIU asks: who may ask, for whom, for what; idempotent by requestId; the person is told."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest

from core.consent.models import ConsentStatus
from core.errors import ArogyaError, Conflict, Forbidden, InvalidInput, NotFound
from core.facilities.views import FacilityView
from core.notify.models import Notification
from core.services import Services
from core.sms.encoding import sms_size
from testing.world import PHONE, World, ask


async def test_a_request_is_stored_audited_and_its_person_told(
    services: Services, world: World
) -> None:
    person = await world.person()
    hiu = await world.facility("Sanjeevani Hospital")
    await world.doctor(works_at=[hiu])
    requested = await services.consent.request(hiu, ask(hiu, person.address))
    view = requested.request
    assert requested.created
    assert view.status is ConsentStatus.REQUESTED
    assert view.hi_types == ("OPConsultation", "Prescription", "DiagnosticReport")
    assert view.requester_council == "NMC"
    assert view.deadline == datetime(2026, 1, 22, 9, 30, tzinfo=UTC)  # 7 days after the clock
    assert len(view.code) == 4
    events = await services.audit.events(action="consent.requested")
    assert [(e.actor, e.detail["request"]) for e in events] == [(hiu.id, view.id)]

    await services.notifier.deliver_due()  # (the doctor's verification notice goes too)
    [sms] = [
        row
        for row in await services.sms.sent_to(PHONE)
        if row.message_key == "consent.notice.request"
    ]
    assert sms.text == (
        f"Dr. Meera Iyer at Sanjeevani Hospital asks to see your OPD notes, prescriptions, test "
        f"reports (01-01-2024 to 31-12-2025) for your care, until 30-06-2026. Reply YES "
        f"{view.code} or NO {view.code}. -Arogya"
    )
    assert sms_size(sms.text).segments <= 2
    notice = await Notification.get(message_key="consent.notice.request")
    assert notice.buttons == [
        [
            {"label": "consent.button.approve", "data": f"say:YES {view.code}"},
            {"label": "consent.button.deny", "data": f"say:NO {view.code}"},
        ]
    ]


async def test_a_repeat_with_the_same_request_id_changes_nothing(
    services: Services, world: World
) -> None:
    person = await world.person()
    hiu = await world.facility("Sanjeevani Hospital")
    await world.doctor(works_at=[hiu])
    first = await services.consent.request(hiu, ask(hiu, person.address))
    again = await services.consent.request(hiu, ask(hiu, person.address))
    assert not again.created
    assert again.request == first.request
    assert await Notification.filter(message_key="consent.notice.request").count() == 1
    with pytest.raises(Conflict) as refused:
        await services.consent.request(hiu, ask(hiu, person.address, purpose="BTG"))
    assert refused.value.code == "consent.request_id_reused"


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"purpose": "SHOPPING"}, "consent.purpose_unknown"),
        ({"hi_types": ("Prescription", "XRay")}, "consent.hi_type_unknown"),
        ({"hi_types": ()}, "consent.invalid"),
        (
            {
                "date_from": datetime(2026, 1, 1, tzinfo=UTC),
                "date_to": datetime(2025, 1, 1, tzinfo=UTC),
            },
            "consent.date_range_order",
        ),
        ({"erase_at": datetime(2026, 1, 15, 9, 0, tzinfo=UTC)}, "consent.erase_at_past"),
        ({"erase_at": datetime(2045, 1, 1, tzinfo=UTC)}, "consent.invalid"),
        ({"access_mode": "DELETE"}, "consent.invalid"),
        ({"frequency_unit": "SECOND"}, "consent.invalid"),
        ({"frequency_value": 0}, "consent.invalid"),
        ({"frequency_repeats": -1}, "consent.invalid"),
        ({"requester_type": "AADHAAR"}, "consent.invalid"),
        ({"requester_system": "https://example.org/council"}, "consent.invalid"),
        ({"requester_name": "   "}, "consent.invalid"),
        ({"request_ref": "has spaces"}, "consent.invalid"),
        ({"date_from": datetime(2024, 1, 1)}, "consent.invalid"),
    ],
)
async def test_malformed_requests_are_refused_with_their_field(
    services: Services, world: World, changes: dict[str, Any], code: str
) -> None:
    person = await world.person()
    hiu = await world.facility("Sanjeevani Hospital")
    with pytest.raises(InvalidInput) as refused:
        await services.consent.request(hiu, replace(ask(hiu, person.address), **changes))
    assert refused.value.code == code
    assert await Notification.all().count() == 0


async def test_who_may_ask_and_for_whom(services: Services, world: World) -> None:
    person = await world.person()
    hiu = await world.facility("Sanjeevani Hospital")
    other = await world.facility("City Clinic")

    async def refusal(caller: FacilityView, **changes: Any) -> str:
        with pytest.raises(ArogyaError) as caught:
            await services.consent.request(caller, replace(ask(hiu, person.address), **changes))
        return caught.value.code

    assert await refusal(other) == "consent.hiu_mismatch"  # acting as another HIU
    assert await refusal(hiu) == "consent.requester_not_verified"  # no such doctor
    await world.doctor(verified=False, works_at=[hiu])
    assert await refusal(hiu) == "consent.requester_not_verified"  # registered, not verified
    await world.doctor(number="MH2002", mobile="+919811113333", works_at=[hiu])
    assert await refusal(hiu, requester_number="MH2002", patient="nobody.here@sbx") == (
        "abha.not_found"
    )
    assert await refusal(hiu, requester_number="MH2002", patient="91-0000-0000-0001") == (
        "abha.invalid"
    )
    await services.healthid.deactivate(person.abha_number, channel="sms")
    assert await refusal(hiu, requester_number="MH2002") == "abha.inactive"
    await services.healthid.reactivate(person.abha_number, channel="sms")
    requested = await services.consent.request(
        hiu, replace(ask(hiu, person.address), requester_number="MH2002")
    )
    assert requested.request.requester_number == "MH2002"


async def test_a_request_is_its_own_hius_only(services: Services, world: World) -> None:
    person = await world.person()
    hiu = await world.facility("Sanjeevani Hospital")
    await world.doctor(works_at=[hiu])
    other = await world.facility("City Clinic")
    requested = await services.consent.request(hiu, ask(hiu, person.address))
    assert (await services.consent.request_for_hiu(hiu, requested.request.id)).id == (
        requested.request.id
    )
    for who, request_id in ((other, requested.request.id), (hiu, "not-an-id"), (hiu, "x" * 99)):
        with pytest.raises(NotFound) as refused:
            await services.consent.request_for_hiu(who, request_id)
        assert refused.value.code == "consent.request_not_found"


async def test_an_unverified_hiu_cannot_ask(services: Services, world: World) -> None:
    person = await world.person()
    hiu = await world.facility("Sanjeevani Hospital")
    await world.doctor(works_at=[hiu])
    await services.facilities.revoke_key(hiu.id, actor="admin:test")
    unverified = replace(hiu, id=hiu.id)
    from core.facilities.models import Facility, FacilityStatus

    await Facility.filter(id=hiu.id).update(status=FacilityStatus.REJECTED)
    with pytest.raises(Forbidden) as refused:
        await services.consent.request(unverified, ask(hiu, person.address))
    assert refused.value.code == "facility.not_verified"
