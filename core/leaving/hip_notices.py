"""Telling HIPs that an ABHA was deleted: each facility that linked visits to it gets one
signed `abha.deleted` POST at its callback URL, from an outbox.

Why the consent callbacks' machinery (`core.consent.callbacks`): the same facility server
receives both, so it verifies both the same way (`X-Arogya-Event-Id`, a detached JWS in
`X-Arogya-Signature` checked with `/api/v1/consent/certs`), and an outage is met the same way
(claim by conditional UPDATE, doubling jittered backoff, 4xx other than 408/425/429 is final,
the callback URL rules of `core.netcheck` at send time). Why no demographics: the HIP knows the
person by its own visit references; that is all it needs to find and unlink them.

The wire: `POST <callback_url>` with

    {"requestId": "<event id>", "timestamp": "...", "event": "abha.deleted",
     "notification": {"hipId": "...", "careContexts": [{"referenceNumber": "..."}],
                      "deletedAt": "...", "purgeAfter": "..."}}
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime

from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q

from core.consent.artefacts import stamp
from core.consent.callbacks import SignedOutbox
from core.consent.models import CallbackStatus
from core.facilities.models import Facility
from core.leaving.hipnotices.models import HipNotice
from core.records.models import CareContext

log = logging.getLogger(__name__)

DELETED = "abha.deleted"


class HipNoticeOutbox(SignedOutbox):
    """`abha.deleted` notices to each HIP that linked visits to a deleted ABHA."""

    model = HipNotice
    party = "hip"
    label = "HIP notice"

    async def queue_deleted(
        self, person_id: int, *, deleted_at: datetime, purge_after: datetime
    ) -> int:
        """Queue one `abha.deleted` notice per HIP that linked visits to the person (call inside
        the deletion's transaction, before the purge). A HIP without a callback URL, or one
        already told, is skipped. Returns how many were queued."""
        rows = (
            await CareContext.filter(person_id=person_id)
            .order_by("id")
            .values_list("facility_id", "reference")
        )
        by_hip: dict[str, list[str]] = {}
        for hip_id, reference in rows:
            by_hip.setdefault(str(hip_id), []).append(str(reference))
        queued = 0
        for hip_id, references in sorted(by_hip.items()):
            hip = await Facility.get(id=hip_id)
            if not hip.callback_url:
                continue
            dedupe = f"{person_id}:{hip_id}:{DELETED}"
            if await HipNotice.exists(dedupe_key=dedupe):
                continue
            event_id = str(uuid.UUID(int=self._rng.getrandbits(128), version=4))
            now = self._clock.now()
            payload = {
                "requestId": event_id,
                "timestamp": stamp(now),
                "event": DELETED,
                "notification": {
                    "hipId": hip_id,
                    "careContexts": [{"referenceNumber": ref} for ref in references],
                    "deletedAt": stamp(deleted_at),
                    "purgeAfter": stamp(purge_after),
                },
            }
            try:
                await HipNotice.create(
                    id=event_id,
                    hip_id=hip_id,
                    person_id=person_id,
                    event=DELETED,
                    payload=payload,
                    dedupe_key=dedupe,
                    next_attempt_at=now,
                    created_at=now,
                )
            except IntegrityError:  # a concurrent deletion queued it first
                continue
            queued += 1
        if queued:
            self._wake.set()
        return queued

    async def purge_person(self, person_id: int) -> int:
        """Forget the person's notices (their payloads name the person's visits)."""
        return await HipNotice.filter(person_id=person_id).delete()

    # the worker -------------------------------------------------------------------------

    async def deliver_due(self, limit: int = 100) -> int:
        """Claim and POST the notices whose time has come; returns how many HIPs accepted."""
        now = self._clock.now()
        due = (
            await HipNotice.filter(
                Q(claimed_until__isnull=True) | Q(claimed_until__lte=now),
                status=CallbackStatus.PENDING,
                next_attempt_at__lte=now,
            )
            .order_by("seq")
            .limit(limit)
            .values_list("seq", "attempts")
        )
        return await self._deliver(list(due))
