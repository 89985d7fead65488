"""How many notices one facility may make a person receive in a day; the rest are withheld.

Why: a facility can ask for link tokens (an SMS naming it) and push records (a "New record from
<facility>" by SMS and in every chat), and each reaches a person's phone. Without a bound a
facility, by fault or on purpose, could flood a phone. Every notice a facility causes draws on
one budget per facility, per person, per day (`AROGYA_NOTICES_PER_FACILITY_PER_DAY`), counted
atomically in the state store; past it the notice is not sent and `notice.withheld` is audited
(the facility, what kind, which record or request), so nothing is silently lost: the record is
stored and listed, the request stands, only the buzz on the phone is spared.
"""

from __future__ import annotations

import hashlib
import hmac

from core.audit.service import AuditLog
from core.clock import Clock
from core.state import StateStore

DAY_SECONDS = 24 * 60 * 60
WITHHELD = "notice.withheld"
#: One "New record from <facility>" SMS per facility and person in this quiet window: a
#: hospital pushing a visit's documents back to back (a prescription, then its lab report a
#: second later) would otherwise send the same SMS twice, two segments each in Hindi (review
#: D15). Every record is still listed; the one SMS already says where to read them all.
RECORD_SMS_QUIET_SECONDS = 10 * 60


class NoticeBudget:
    def __init__(
        self, secret_key: str, state: StateStore, audit: AuditLog, clock: Clock, *, per_day: int
    ) -> None:
        self._key = hmac.new(secret_key.encode(), b"arogya.notice-budget.v1", "sha256").digest()
        self._state = state
        self._audit = audit
        self._clock = clock
        self.per_day = per_day

    def _person(self, abha_number: str) -> str:
        abha_number = "".join(ch for ch in abha_number if ch.isdigit())  # as stored
        return hmac.new(self._key, abha_number.encode(), hashlib.sha256).hexdigest()

    async def first_record_sms(self, facility_id: str, abha_number: str) -> bool:
        """True for the first record SMS from this facility to this person in its quiet window
        (windows of `RECORD_SMS_QUIET_SECONDS` on the service's clock); False for the next ones,
        which would repeat it word for word. One atomic set-if-absent, so two pushes racing
        each other make one SMS too."""
        window = int(self._clock.now().timestamp() // RECORD_SMS_QUIET_SECONDS)
        key = f"notices:record-sms:{facility_id}:{self._person(abha_number)}:{window}"
        return await self._state.set_json_if_absent(key, 1, 2 * RECORD_SMS_QUIET_SECONDS)

    async def spend(self, facility_id: str, abha_number: str, *, kind: str, ref: str) -> bool:
        """True when the notice may go; False (and audited) when today's budget is spent.

        `kind` is "link" or "record"; `ref` the request or record it is about.
        """
        day = self._clock.now().date().isoformat()
        abha_number = "".join(ch for ch in abha_number if ch.isdigit())  # as stored
        counter = f"notices:{facility_id}:{self._person(abha_number)}:{day}"
        if await self._state.incr(counter, DAY_SECONDS) <= self.per_day:
            return True
        await self._audit.record(
            WITHHELD,
            actor=facility_id,
            subject=abha_number,
            channel="api",
            detail={"kind": kind, "ref": ref, "per_day": self.per_day},
        )
        return False
