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

import asyncio
import logging
import random
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import aiohttp
from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q

from core import outbox
from core.clock import Clock
from core.consent.artefacts import stamp
from core.consent.callbacks import post_signed, public_session
from core.consent.models import CallbackStatus
from core.consent.signing import ConsentSigner
from core.facilities.models import Facility
from core.leaving.hipnotices.models import HipNotice
from core.netcheck import forbidden_address
from core.records.models import CareContext

log = logging.getLogger(__name__)

DELETED = "abha.deleted"


class HipNoticeOutbox:
    def __init__(
        self,
        clock: Clock,
        rng: random.Random,
        signer: ConsentSigner,
        *,
        timeout_seconds: float = 10.0,
        retry_base_seconds: float = 10.0,
        retry_max_seconds: float = 3600.0,
        max_attempts: int = 15,
        claim_lease_seconds: float = 120.0,
        session_factory: Callable[[], aiohttp.ClientSession] | None = None,
        allow_loopback: bool = False,
    ) -> None:
        self._clock = clock
        self._rng = rng
        self._signer = signer
        self._timeout = aiohttp.ClientTimeout(total=timeout_seconds)
        self._retry_base = retry_base_seconds
        self._retry_max = retry_max_seconds
        self._max_attempts = max_attempts
        self._lease = timedelta(seconds=claim_lease_seconds)
        self._session_factory = session_factory
        self._allow_loopback = allow_loopback  # development only (core.netcheck)
        self._session: aiohttp.ClientSession | None = None
        self._wake = asyncio.Event()

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
        gate = asyncio.Semaphore(8)

        async def one(seq: int, attempts: int) -> int:
            async with gate:
                row = await self._claim(seq, attempts)
                return 0 if row is None else await self._attempt(row)

        outcomes = await asyncio.gather(
            *(one(seq, attempts) for seq, attempts in due), return_exceptions=True
        )
        for outcome in outcomes:
            if isinstance(outcome, BaseException):
                log.error("HIP notice step failed", exc_info=outcome)
        return sum(outcome for outcome in outcomes if isinstance(outcome, int))

    async def _claim(self, seq: int, attempts: int) -> HipNotice | None:
        now = self._clock.now()
        claimable = Q(claimed_until__isnull=True) | Q(claimed_until__lte=now)
        claimed = await HipNotice.filter(
            claimable,
            seq=seq,
            attempts=attempts,
            status=CallbackStatus.PENDING,
            next_attempt_at__lte=now,
        ).update(attempts=attempts + 1, claimed_until=now + self._lease)
        if claimed != 1:
            return None
        return await HipNotice.get(seq=seq).select_related("hip")

    async def _attempt(self, row: HipNotice) -> int:
        url = row.hip.callback_url
        if not url:
            await self._finish(row, CallbackStatus.FAILED, "the HIP has no callback URL now")
            return 0
        host = urlsplit(url).hostname or ""
        if forbidden_address(host, allow_loopback=self._allow_loopback):
            await self._finish(row, CallbackStatus.FAILED, "callback address not allowed")
            log.error("HIP notice %s not sent: %s is not a public address", row.id, host)
            return 0
        delivery = await post_signed(self._client(), self._signer, url, row.id, row.payload)
        if delivery.outcome == "sent":
            await self._finish(row, CallbackStatus.SENT, None, sent_at=self._clock.now())
            return 1
        if delivery.outcome == "retry":
            await self._retry(row, delivery.reason or "")
        else:
            await self._finish(row, CallbackStatus.FAILED, delivery.reason)
            log.error("HIP notice %s refused by the HIP: %s", row.id, delivery.reason)
        return 0

    async def _retry(self, row: HipNotice, reason: str) -> None:
        if row.attempts >= self._max_attempts:
            await self._finish(row, CallbackStatus.FAILED, reason)
            log.error("HIP notice %s dead after %d attempts: %s", row.id, row.attempts, reason)
            return
        delay = outbox.backoff(self._rng, row.attempts, base=self._retry_base, cap=self._retry_max)
        await self._finish(
            row,
            CallbackStatus.PENDING,
            reason,
            next_attempt_at=self._clock.now() + timedelta(seconds=delay),
        )

    async def _finish(
        self, row: HipNotice, status: CallbackStatus, error: str | None, **changes: Any
    ) -> None:
        await HipNotice.filter(seq=row.seq, attempts=row.attempts).update(
            status=status,
            claimed_until=None,
            last_error=error[:200] if error else None,
            **changes,
        )

    def _client(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            factory = self._session_factory
            self._session = (
                factory() if factory else public_session(self._timeout, self._allow_loopback)
            )
        return self._session

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def run_worker(self, stop: asyncio.Event, interval: float = 2.0) -> None:
        """Deliver until `stop` is set, waking early when a deletion queues notices here."""
        await outbox.drain(
            self.deliver_due, stop, interval=interval, wake=self._wake, name="HIP notice"
        )
