"""The enrolment log's retention: a beneficiary's mobile is masked once the enrolment ends, a
stalled one ends as `expired`, and a row is dropped `assisted_retention_days` after it began."""

from __future__ import annotations

from core.clock import FrozenClock
from core.housekeeping import tidy
from core.services import Services
from core.workers.models import AssistedEnrolment, AssistedState, ConsentKind
from tests.core.workers.test_assisted import verified

PERSON = "+919812345678"


async def test_an_ended_enrolment_keeps_the_mobile_only_masked(
    services: Services, clock: FrozenClock
) -> None:
    worker = await verified(services)
    assisted = services.workers.assisted
    done = await assisted.begin(worker, ConsentKind.MOBILE)
    await assisted.waiting(done.id, txn_id="t-1", mobile=PERSON)
    await assisted.failed(done.id, "otp.locked")
    clock.advance(60)
    open_ = await assisted.begin(worker, ConsentKind.MOBILE)
    await assisted.waiting(open_.id, txn_id="t-2", mobile=PERSON)

    await tidy(services)
    assert (await AssistedEnrolment.get(id=done.id)).beneficiary_mobile == "******5678"
    # still waiting for the person's OTP: she may come back to it, with the whole number
    waiting = await AssistedEnrolment.get(id=open_.id)
    assert waiting.beneficiary_mobile == PERSON
    assert waiting.state is AssistedState.WAITING_OTP
    # her day list still names the phone, the way it always showed it
    assert [v.beneficiary_mobile for v in await assisted.day(worker)] == ["******5678", PERSON]


async def test_a_stalled_enrolment_ends_and_old_rows_go(
    services: Services, clock: FrozenClock
) -> None:
    worker = await verified(services)
    assisted = services.workers.assisted
    row = await assisted.begin(worker, ConsentKind.MOBILE)
    await assisted.waiting(row.id, txn_id="t-1", mobile=PERSON)
    clock.advance(days=1, seconds=1)
    await tidy(services)
    stalled = await AssistedEnrolment.get(id=row.id)
    assert (stalled.state, stalled.reason, stalled.txn_id) == (
        AssistedState.FAILED,
        "expired",
        None,
    )
    assert stalled.beneficiary_mobile == "******5678"

    clock.advance(days=services.settings.assisted_retention_days - 2)
    await tidy(services)
    assert await AssistedEnrolment.exists(id=row.id)
    clock.advance(days=1)
    await tidy(services)
    assert not await AssistedEnrolment.exists(id=row.id)
