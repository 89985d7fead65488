"""Enrolling on behalf of others: `registered_by` kept and audited, the worker's phone never
the ABHA's mobile (so the per-mobile cap never fills with the people she enrolled)."""

from __future__ import annotations

import random

import pytest

from core.audit.models import AuditEvent
from core.clock import FrozenClock
from core.errors import Forbidden, InvalidInput
from core.healthid.models import Person
from core.healthid.profile import SelfDeclaredProfile
from core.services import Services
from core.workers.assisted import AssistedEnrolments
from core.workers.models import AssistedEnrolment, AssistedState, ConsentKind
from core.workers.views import WorkerView
from tests.conftest import make_settings
from tests.webhooks.journey_phones import Inbox
from tests.webhooks.workers.helpers import worker_in_state

ASHA = "+919876543210"
NAMES = ["Kamla", "Ramvati", "Shanti", "Phoolmati", "Bhagwati", "Sarla", "Lakshmi"]


async def verified(services: Services) -> WorkerView:
    await worker_in_state(services, "verified", ASHA)
    worker = await services.workers.verified_by_mobile(ASHA)
    assert worker is not None
    return worker


async def attested_enrolment(services: Services, worker: WorkerView, name: str) -> str:
    """One no-phone enrolment the way the conversation makes it; returns the ABHA number."""
    assisted = services.workers.assisted
    started = await assisted.begin(worker, ConsentKind.ATTESTED)
    await assisted.attested(started.id)
    ticket = await services.healthid.start_attested(worker.mobile, lang="hi", channel="ussd")
    await assisted.waiting(started.id, txn_id=ticket.txn_id, mobile=None)
    code = await Inbox(services, worker.mobile).last_otp()
    draft = (await services.healthid.verify_mobile(ticket.txn_id, code)).draft_id
    profile = SelfDeclaredProfile(
        first_name=name,
        last_name="Devi",
        year_of_birth=1970,
        gender="F",
        state_lgd=9,
        district_lgd=162,
        pin_code="226001",
    )
    await services.healthid.set_profile(draft, profile)
    handle = (await services.healthid.suggest_addresses(draft))[0]
    await services.healthid.choose_address(draft, handle)
    person = await assisted.finish(started.id, worker, draft, channel="ussd", lang="hi")
    return person.abha_number


async def test_more_people_than_the_cap_without_a_phone_leave_her_phone_empty(
    services: Services, clock: FrozenClock
) -> None:
    worker = await verified(services)
    made = []
    for name in NAMES:  # seven: one more than a phone may hold
        made.append(await attested_enrolment(services, worker, name))
        clock.advance(10 * 60)  # a camp's pace, inside the OTP send limit
    assert len(set(made)) == len(NAMES) > services.settings.max_abhas_per_mobile
    assert await Person.filter(mobile=ASHA).count() == 0
    assert await Person.filter(mobile=None).count() == len(NAMES)
    rows = await AssistedEnrolment.filter(state=AssistedState.FINISHED)
    assert len(rows) == len(NAMES)
    assert all(row.attested_at is not None for row in rows)
    for number in made:
        assert await services.workers.assisted.registered_by(number) == worker.worker_id
        event = await AuditEvent.get(action="worker.enrolled", subject=number.replace("-", ""))
        assert event.actor == worker.actor
        assert event.detail["consent"] == "attested"


async def test_her_own_number_is_not_the_persons(services: Services) -> None:
    worker = await verified(services)
    with pytest.raises(InvalidInput) as refused:
        services.workers.assisted.check_beneficiary_mobile(worker, ASHA)
    assert refused.value.code == "worker.own_mobile"


async def test_a_spoken_consent_is_not_offered_through_abdm(
    services: Services, rng: random.Random, clock: FrozenClock
) -> None:
    worker = await verified(services)
    abdm = make_settings(
        registry="abdm",
        abdm_gateway_url="http://127.0.0.1:9/gw",
        abdm_abha_url="http://127.0.0.1:9/abha",
        abdm_client_id="client",
        abdm_client_secret="secret",
    )
    assisted = AssistedEnrolments(abdm, clock, rng, services.audit, services.sms, services.healthid)
    with pytest.raises(Forbidden) as refused:
        await assisted.begin(worker, ConsentKind.ATTESTED)
    assert refused.value.code == "worker.attested_not_offered"
    assert (await assisted.begin(worker, ConsentKind.AADHAAR)).consent is ConsentKind.AADHAAR


async def test_her_day_is_hers_and_todays(services: Services, clock: FrozenClock) -> None:
    worker = await verified(services)
    assisted = services.workers.assisted
    yesterday = await assisted.begin(worker, ConsentKind.MOBILE)
    await assisted.failed(yesterday.id, "otp.locked")
    clock.advance(24 * 3600)
    today = await assisted.begin(worker, ConsentKind.MOBILE)
    day = await assisted.day(worker)
    assert [view.id for view in day] == [today.id]
