"""A worker's no-phone (attested) enrolments count against her own daily quota: not against
her phone's ABHA cap (it may already hold six ABHAs, her family's) nor its hourly OTP limit
(a camp makes more than ten an hour), and the quota ends her day when it is used up."""

from __future__ import annotations

import random

import pytest

from core.clock import FrozenClock
from core.errors import Locked
from core.healthid.models import Person
from core.services import Services
from core.workers.assisted import AssistedEnrolments
from core.workers.models import ConsentKind
from testing.world import World
from tests.conftest import make_settings
from tests.core.workers.test_assisted import ASHA, attested_enrolment, verified

FAMILY = ["Sunita", "Ramesh", "Guddi", "Pappu", "Munni", "Chhotu"]


async def test_her_full_phone_and_a_busy_hour_do_not_stop_her(
    services: Services, clock: FrozenClock
) -> None:
    worker = await verified(services)
    world = World(services)
    for n, name in enumerate(FAMILY):  # her own phone holds the most ABHAs a phone may
        await world.person(ASHA, first_name=name, handle=f"{name.lower()}.fam{n}0", pin=None)
    assert await Person.filter(mobile=ASHA).count() == services.settings.max_abhas_per_mobile
    clock.advance(3600)  # the family's OTPs are out of the hour
    made = services.settings.otp_sends_per_mobile_per_hour + 2
    for n in range(made):  # more in one hour than her phone's OTP limit
        await attested_enrolment(services, worker, f"Camp{chr(65 + n)}")
        clock.advance(60)
    assert await Person.filter(mobile=None).count() == made
    assert await Person.filter(mobile=ASHA).count() == len(FAMILY)
    # none of them used her phone's hourly OTP limit: her own login still gets its OTP
    ticket = await services.healthid.start_login(ASHA, lang="hi", channel="ussd")
    assert ticket.mobile == ASHA


async def test_the_daily_quota_ends_her_day(
    services: Services, rng: random.Random, clock: FrozenClock
) -> None:
    worker = await verified(services)
    capped = make_settings(assisted_per_worker_per_day=2)
    assisted = AssistedEnrolments(
        capped, clock, rng, services.audit, services.sms, services.healthid
    )
    await assisted.begin(worker, ConsentKind.ATTESTED)
    await assisted.begin(worker, ConsentKind.MOBILE)
    with pytest.raises(Locked) as refused:
        await assisted.begin(worker, ConsentKind.ATTESTED)
    assert (refused.value.code, refused.value.params) == ("worker.daily_cap", {"limit": 2})
    clock.advance(24 * 3600)  # a new day in India
    assert (await assisted.begin(worker, ConsentKind.ATTESTED)).consent is ConsentKind.ATTESTED
