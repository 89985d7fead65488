"""The worker registry's rules: the OTP proof, the place an officer serves, one decision wins,
a withdrawn worker is no worker."""

from __future__ import annotations

import asyncio

import pytest

from core.audit.models import AuditEvent
from core.clock import FrozenClock
from core.errors import Conflict, Forbidden, InvalidInput, NotFound
from core.services import Services
from core.workers.models import WorkerStatus
from testing.facilities import verified_facility
from testing.professionals import PASSWORD
from tests.webhooks.journey_phones import Inbox
from tests.webhooks.workers.helpers import DISTRICT, district_officer, registered_worker

ASHA = "+919876543210"


async def test_a_registration_needs_a_verified_otp_of_the_registry(services: Services) -> None:
    workers = services.workers
    ticket = await workers.start_mobile_verification(ASHA, "en")
    with pytest.raises(Forbidden) as refused:
        await workers.register(
            name="Sunita Devi",
            role="ASHA",
            mobile_txn_id=ticket.txn_id,
            facility_id=None,
            district_lgd=DISTRICT,
            channel="ussd",
            lang="en",
        )
    assert refused.value.code == "worker.mobile_unverified"
    enrol = await services.healthid.start_mobile("+919812345678", lang="en", channel="ussd")
    code = await Inbox(services, "+919812345678").last_otp()
    await services.healthid.verify_mobile(enrol.txn_id, code)
    with pytest.raises(Forbidden):  # an enrolment's OTP proves nothing to this registry
        await workers.register(
            name="Sunita Devi",
            role="ASHA",
            mobile_txn_id=enrol.txn_id,
            facility_id=None,
            district_lgd=DISTRICT,
            channel="ussd",
            lang="en",
        )


async def test_a_proof_older_than_half_an_hour_registers_no_one(
    services: Services, clock: FrozenClock
) -> None:
    ticket = await services.workers.start_mobile_verification(ASHA, "en")
    await services.workers.verify_mobile(ticket.txn_id, await Inbox(services, ASHA).last_otp())
    clock.advance(31 * 60)
    with pytest.raises(Forbidden):
        await services.workers.register(
            name="Sunita Devi",
            role="ANM",
            mobile_txn_id=ticket.txn_id,
            facility_id=None,
            district_lgd=DISTRICT,
            channel="sms",
            lang="en",
        )


async def test_one_registration_per_mobile(services: Services) -> None:
    await registered_worker(services)
    with pytest.raises(Conflict) as refused:
        await services.workers.start_mobile_verification(ASHA, "en")
    assert refused.value.code == "worker.exists"


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("name", "4", "worker.name_invalid"),
        ("role", "DOCTOR", "worker.role_invalid"),
        ("district_lgd", 99999, "worker.district_unknown"),
    ],
)
async def test_bad_details_are_refused_by_code(
    services: Services, field: str, value: object, code: str
) -> None:
    details: dict[str, object] = {
        "name": "Sunita Devi",
        "role": "ASHA",
        "facility_id": None,
        "district_lgd": DISTRICT,
    }
    details[field] = value
    with pytest.raises(InvalidInput) as refused:
        await services.workers.register(
            **details,  # type: ignore[arg-type]
            mobile_txn_id="no-such-txn",
            channel="ussd",
            lang="en",
        )
    assert refused.value.code == code


async def test_only_an_officer_of_her_place_decides(services: Services) -> None:
    worker = await registered_worker(services)
    elsewhere = await services.workers.officers.create("moic.sitapur", PASSWORD, district_lgd=183)
    with pytest.raises(NotFound):
        await services.workers.verify(worker.worker_id, elsewhere, channel="web")
    facility_officer = await services.workers.officers.create(
        "incharge.phc", PASSWORD, facility_id="IN0910000001"
    )
    with pytest.raises(NotFound):
        await services.workers.verify(worker.worker_id, facility_officer, channel="web")
    assert await services.workers.verified_by_mobile(ASHA) is None


async def test_two_officers_deciding_at_once_have_one_effect(services: Services) -> None:
    worker = await registered_worker(services)
    first = await district_officer(services)
    second = await district_officer(services, "bpm.lucknow")
    outcomes = await asyncio.gather(
        services.workers.verify(worker.worker_id, first, channel="web"),
        services.workers.reject(worker.worker_id, second, "not on the list", channel="web"),
        return_exceptions=True,
    )
    refused = [o for o in outcomes if isinstance(o, Conflict)]
    assert len(refused) == 1, outcomes
    decided = await services.workers.get(worker.worker_id)
    assert decided.status in (WorkerStatus.VERIFIED, WorkerStatus.REJECTED)
    events = await AuditEvent.filter(subject=worker.actor, action__startswith="worker.").count()
    assert events == 2  # registered, and the one decision


async def test_a_withdrawn_worker_is_no_worker(services: Services) -> None:
    worker = await registered_worker(services)
    officer = await district_officer(services)
    with pytest.raises(InvalidInput):  # a rejection or a withdrawal needs its reason
        await services.workers.reject(worker.worker_id, officer, "  ", channel="web")
    await services.workers.verify(worker.worker_id, officer, channel="web")
    assert await services.workers.verified_by_mobile(ASHA) is not None
    await services.workers.withdraw(worker.worker_id, officer, "left", channel="web")
    assert await services.workers.verified_by_mobile(ASHA) is None
    with pytest.raises(Conflict):  # and she cannot be verified again by the same path
        await services.workers.verify(worker.worker_id, officer, channel="web")
    told = [(row.message_key, row.text) for row in await services.sms.sent_to(ASHA)]
    assert told[-2:] == [
        (
            "workers.notice.verified",
            f"Arogya: Sunita Devi, you are verified as a health worker ({worker.worker_id})."
            " Dial again to see Enrol someone.",
        ),
        (
            "workers.notice.withdrawn",
            "Arogya: Sunita Devi, your health worker verification was withdrawn: left",
        ),
    ]


async def test_a_worker_of_a_facility_serves_its_district(services: Services) -> None:
    facility, _ = await verified_facility(services.facilities)
    ticket = await services.workers.start_mobile_verification(ASHA, "en")
    await services.workers.verify_mobile(ticket.txn_id, await Inbox(services, ASHA).last_otp())
    details: dict[str, object] = {
        "name": "Sunita Devi",
        "role": "CHO",
        "mobile_txn_id": ticket.txn_id,
        "district_lgd": None,
        "channel": "telegram",
        "lang": "hi",
    }
    with pytest.raises(NotFound):
        await services.workers.register(facility_id="IN0999999999", **details)  # type: ignore[arg-type]
    worker = await services.workers.register(facility_id=facility.id, **details)  # type: ignore[arg-type]
    assert worker.district_lgd == facility.district_code
    district = await district_officer(services)
    facility_officer = await services.workers.officers.create(
        "incharge.phc", PASSWORD, facility_id=facility.id
    )
    assert district.serves(worker.facility_id, worker.district_lgd) is (
        facility.district_code == DISTRICT
    )
    await services.workers.verify(worker.worker_id, facility_officer, channel="web")
    assert await services.workers.verified_by_mobile(ASHA) is not None
