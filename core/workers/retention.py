"""How long a health worker's enrolment log keeps what it holds about the people she enrolled.

Why: an `AssistedEnrolment` row holds the beneficiary's mobile (to send the OTP, to come back
to an enrolment waiting for one, to send the welcome SMS). Once the enrolment is over, nothing
needs the number whole: her "day" list shows it masked anyway. So, each housekeeping pass:

1. an enrolment that stalled (started or waiting for an OTP, untouched for `STALL`: its OTP and
   draft are long gone) ends as failed `expired`;
2. an ended enrolment's mobile is masked to `******3210` (what her day list shows);
3. the row of an ABHA since deleted loses even that (the person asked to be forgotten);
4. a row older than `assisted_retention_days` is dropped. `registered_by` outlives it in the
   audit log (`worker.enrolled`), which has its own rules.

    dropped = await tidy(services.clock, services.settings)
"""

from __future__ import annotations

from datetime import timedelta

from core.clock import Clock
from core.healthid import mobile as mobiles
from core.healthid.models import Person, PersonStatus
from core.settings import Settings
from core.workers.models import AssistedEnrolment, AssistedState

#: An enrolment untouched this long is over: OTPs live minutes, drafts hours.
STALL = timedelta(days=1)
ENDED = (AssistedState.FINISHED, AssistedState.FOUND, AssistedState.FAILED)
OPEN = (AssistedState.STARTED, AssistedState.WAITING_OTP)


async def tidy(clock: Clock, settings: Settings) -> int:
    """One pass; returns how many rows were changed or dropped."""
    now = clock.now()
    touched = await AssistedEnrolment.filter(state__in=OPEN, updated_at__lte=now - STALL).update(
        state=AssistedState.FAILED, reason="expired", txn_id=None, updated_at=now
    )
    touched += await _mask_ended()
    touched += await _forget_deleted()
    cutoff = now - timedelta(days=settings.assisted_retention_days)
    touched += await AssistedEnrolment.filter(started_at__lte=cutoff).delete()
    return touched


async def _mask_ended() -> int:
    """Whole numbers start with `+` (E.164); masked ones with `*`."""
    rows = await AssistedEnrolment.filter(state__in=ENDED, beneficiary_mobile__startswith="+")
    for row in rows:
        assert row.beneficiary_mobile is not None
        masked = mobiles.mask(row.beneficiary_mobile)
        await AssistedEnrolment.filter(id=row.id).update(beneficiary_mobile=masked)
    return len(rows)


async def _forget_deleted() -> int:
    held = await AssistedEnrolment.filter(
        beneficiary_mobile__isnull=False, abha_number__isnull=False
    ).values_list("abha_number", flat=True)
    if not held:
        return 0
    gone = await Person.filter(
        abha_number__in=list(set(held)), status=PersonStatus.DELETED
    ).values_list("abha_number", flat=True)
    if not gone:
        return 0
    return await AssistedEnrolment.filter(abha_number__in=list(gone)).update(
        beneficiary_mobile=None
    )
