"""A council's decision on a registration, and telling the doctor about it.

Rules: only an officer of the registration's own council may decide (`hpr.other_council`
otherwise); a decision is made once, PENDING -> VERIFIED or REJECTED, by a conditional UPDATE so
two officers clicking at the same moment cannot both decide (`hpr.already_decided`); a
rejection needs a reason the doctor will read.

Why the notice is queued inside the decision's transaction: the notifier is an outbox (its
`notify` only writes a row; a worker delivers), so the status change, its audit event and the
notice to the doctor commit together or not at all. A decision can never be recorded with the
doctor left untold, and the `dedupe_key` makes a repeated call harmless.
"""

from __future__ import annotations

from typing import Any

from tortoise.transactions import in_transaction

from core.audit.service import AuditLog
from core.clock import Clock
from core.errors import Conflict, Forbidden, NotFound
from core.professionals.application import clean_reason
from core.professionals.councils import COUNCILS
from core.professionals.identifiers import address, format_hpr_id
from core.professionals.models import Professional, ProfessionalStatus
from core.professionals.officers import Decider
from core.professionals.ports import Notifier
from locales import translate

NOTICE_VERIFIED = "hpr.notice.verified"
NOTICE_REJECTED = "hpr.notice.rejected"


def notice(row: Professional) -> tuple[str, dict[str, Any]]:
    """The catalog key and parameters of the message that tells a doctor the decision.

    The council is named in the doctor's language here, because the notifier fills
    placeholders with the stored params as they are.
    """
    council = translate(COUNCILS[row.council].label_key, row.language)
    if row.status is ProfessionalStatus.VERIFIED:
        return NOTICE_VERIFIED, {
            "name": row.name,
            "hpr_id": format_hpr_id(row.hpr_id),
            "hpr_address": address(row.handle),
            "council": council,
        }
    return NOTICE_REJECTED, {
        "name": row.name,
        "council": council,
        "reason": row.rejection_reason or "",
    }


class CouncilDecisions:
    def __init__(self, clock: Clock, audit: AuditLog, notifier: Notifier) -> None:
        self._clock = clock
        self._audit = audit
        self._notifier = notifier

    async def decide(
        self,
        hpr_id: str,
        officer: Decider,
        reason: str | None,
        *,
        channel: str,
    ) -> Professional:
        """Verify (`reason` None) or reject (with a reason). Errors: `hpr.not_found`,
        `hpr.other_council`, `hpr.invalid` (field reason), `hpr.already_decided`."""
        row = await Professional.get_or_none(hpr_id=hpr_id)
        if row is None:
            raise NotFound("hpr.not_found")
        if row.council != officer.council:
            raise Forbidden("hpr.other_council")
        outcome = ProfessionalStatus.VERIFIED if reason is None else ProfessionalStatus.REJECTED
        cleaned = None if reason is None else clean_reason(reason)
        now = self._clock.now()
        async with in_transaction():
            won = await Professional.filter(id=row.id, status=ProfessionalStatus.PENDING).update(
                status=outcome,
                rejection_reason=cleaned,
                decided_by=officer.actor,
                decided_at=now,
                updated_at=now,
            )
            if won != 1:
                raise Conflict("hpr.already_decided")
            decided = await Professional.get(id=row.id)
            # The reason stays on the row: free text may hold numbers the audit log refuses.
            await self._audit.record(
                f"hpr.{outcome.value.lower()}",
                actor=officer.actor,
                subject=row.hpr_id,
                channel=channel,
                detail={"council": row.council},
            )
            key, params = notice(decided)
            await self._notifier.notify(
                decided.notify_channel,
                decided.notify_address,
                key,
                params,
                decided.language,
                dedupe_key=f"hpr.decision:{decided.hpr_id}",
            )
        return decided
