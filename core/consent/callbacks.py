"""Telling HIUs: each consent status change is POSTed to the HIU's callback URL, from an outbox.

Why an outbox: `queue` is called inside the transaction that changes the status, so a change is
never committed without its announcement, and a HIU that is down is told later. A worker claims
due rows with a conditional UPDATE (as the notifier does), POSTs them, and retries failures
with doubling, jittered backoff; a 4xx other than 408/425/429 is the HIU refusing for good.

Why announce in order, per request: a HIU that saw REVOKED before GRANTED would believe the
grant. A request's later event waits while an earlier one is still pending.

The wire: `POST <callback_url>` with a JSON body (ABDM's `consents/hiu/notify` shape)

    {"requestId": "<event id>", "timestamp": "...", "notification": {
        "consentRequestId": "...", "hiuRequestId": "<the HIU's requestId>",
        "status": "GRANTED", "consentArtefacts": [{"id": "...", "hipId": "...",
        "status": "GRANTED", "signedArtefact": "<JWS>"}]}}

and headers `X-Arogya-Event-Id` (the same on every retry: a HIU applies an event once) and
`X-Arogya-Signature` (a detached JWS of the body, verifiable with `/api/v1/consent/certs`).
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
import uuid
from abc import ABC, abstractmethod
from collections.abc import Callable
from datetime import timedelta
from typing import Any, Literal, NamedTuple
from urllib.parse import urlsplit

import aiohttp
from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q
from tortoise.models import Model

from core import outbox
from core.clock import Clock
from core.consent.artefacts import stamp
from core.consent.models import CallbackStatus, ConsentCallback, ConsentRequest, ConsentStatus
from core.consent.signing import ConsentSigner
from core.facilities.models import Facility
from core.netcheck import PublicResolver, forbidden_address

log = logging.getLogger(__name__)

EVENT_HEADER = "X-Arogya-Event-Id"
SIGNATURE_HEADER = "X-Arogya-Signature"
#: Statuses a HIU should retry on: it is busy or timed out, not refusing.
RETRY_STATUSES = frozenset({408, 425, 429})


class Delivery(NamedTuple):
    """What one signed POST came to: sent, worth another try later, or refused for good."""

    outcome: Literal["sent", "retry", "refused"]
    reason: str | None


async def post_signed(
    session: aiohttp.ClientSession,
    signer: ConsentSigner,
    url: str,
    event_id: str,
    payload: Any,
) -> Delivery:
    """POST `payload` as compact JSON with its event id and a detached JWS of the body, and say
    what came of it. One place for every outbox that calls a facility back (consent callbacks
    to HIUs, deletion notices to HIPs), so they sign, time out and classify answers alike."""
    body = json.dumps(payload, separators=(",", ":")).encode()
    headers = {
        "Content-Type": "application/json",
        EVENT_HEADER: event_id,
        SIGNATURE_HEADER: signer.sign_detached(body),
    }
    try:
        async with session.post(url, data=body, headers=headers, allow_redirects=False) as answer:
            status = answer.status
    except (aiohttp.ClientError, TimeoutError, OSError) as exc:
        return Delivery("retry", f"{type(exc).__name__}: {exc}")
    if 200 <= status < 300:
        return Delivery("sent", None)
    if status >= 500 or status in RETRY_STATUSES:
        return Delivery("retry", f"HTTP {status}")
    return Delivery("refused", f"HTTP {status}")


class SignedOutbox(ABC):
    """The worker half every outbox that calls a facility back shares: claim a due row by a
    conditional UPDATE (`attempts` is the claim's version), POST it with `post_signed`, then
    mark it sent, due again after a doubling jittered backoff, or failed for good.

    Why one class: the consent callbacks to HIUs and the deletion notices to HIPs differ only in
    their table, the facility they go to and what is due first; a fix to the claim, the retry
    or the address rule must reach both. A subclass names its `model`, its facility relation
    (`party`, e.g. "hiu") and a `label` for the log, and picks what `deliver_due` sends.
    """

    model: type[Model]
    party: str
    label: str

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
        self._allow_loopback = allow_loopback  # development only (core.netcheck)
        self._clock = clock
        self._rng = rng
        self._signer = signer
        self._timeout = aiohttp.ClientTimeout(total=timeout_seconds)
        self._retry_base = retry_base_seconds
        self._retry_max = retry_max_seconds
        self._max_attempts = max_attempts
        self._lease = timedelta(seconds=claim_lease_seconds)
        self._session_factory = session_factory
        self._session: aiohttp.ClientSession | None = None
        self._wake = asyncio.Event()

    async def _deliver(self, due: list[tuple[int, int]]) -> int:
        """Claim and POST each (seq, attempts), 8 at a time; how many the facilities accepted."""
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
                log.error("%s step failed", self.label, exc_info=outcome)
        return sum(outcome for outcome in outcomes if isinstance(outcome, int))

    async def _claim(self, seq: int, attempts: int) -> Any | None:
        now = self._clock.now()
        claimable = Q(claimed_until__isnull=True) | Q(claimed_until__lte=now)
        claimed = await self.model.filter(
            claimable,
            seq=seq,
            attempts=attempts,
            status=CallbackStatus.PENDING,
            next_attempt_at__lte=now,
        ).update(attempts=attempts + 1, claimed_until=now + self._lease)
        if claimed != 1:
            return None
        return await self.model.get(seq=seq).select_related(self.party)

    async def _attempt(self, row: Any) -> int:
        who = self.party.upper()
        url = getattr(row, self.party).callback_url
        if not url:
            await self._finish(row, CallbackStatus.FAILED, f"the {who} has no callback URL now")
            return 0
        host = urlsplit(url).hostname or ""
        # registered before the rule, or changed in the database, or registered in development
        if forbidden_address(host, allow_loopback=self._allow_loopback):
            await self._finish(row, CallbackStatus.FAILED, "callback address not allowed")
            log.error("%s %s not sent: %s is not a public address", self.label, row.id, host)
            return 0
        delivery = await post_signed(self._client(), self._signer, url, row.id, row.payload)
        if delivery.outcome == "sent":
            await self._finish(row, CallbackStatus.SENT, None, sent_at=self._clock.now())
            return 1
        if delivery.outcome == "retry":
            await self._retry(row, delivery.reason or "")
        else:
            await self._finish(row, CallbackStatus.FAILED, delivery.reason)
            log.error("%s %s refused by the %s: %s", self.label, row.id, who, delivery.reason)
        return 0

    async def _retry(self, row: Any, reason: str) -> None:
        if row.attempts >= self._max_attempts:
            await self._finish(row, CallbackStatus.FAILED, reason)
            log.error("%s %s dead after %d attempts: %s", self.label, row.id, row.attempts, reason)
            return
        delay = self.backoff(row.attempts)
        await self._finish(
            row,
            CallbackStatus.PENDING,
            reason,
            next_attempt_at=self._clock.now() + timedelta(seconds=delay),
        )

    async def _finish(
        self, row: Any, status: CallbackStatus, error: str | None, **changes: Any
    ) -> None:
        await self.model.filter(seq=row.seq, attempts=row.attempts).update(
            status=status,
            claimed_until=None,
            last_error=error[:200] if error else None,
            **changes,
        )

    def backoff(self, attempts: int) -> float:
        return outbox.backoff(self._rng, attempts, base=self._retry_base, cap=self._retry_max)

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
        """Deliver until `stop` is set, waking early when a row is queued here."""
        await outbox.drain(
            self.deliver_due, stop, interval=interval, wake=self._wake, name=self.label
        )

    @abstractmethod
    async def deliver_due(self, limit: int = 100) -> int:
        """Claim and POST what is due (`_deliver`, in the subclass's order); how many the
        facilities accepted."""


class CallbackOutbox(SignedOutbox):
    """Consent status changes to each HIU, in order per request."""

    model = ConsentCallback
    party = "hiu"
    label = "consent callback"

    async def queue(
        self, request: ConsentRequest, event: ConsentStatus, body: dict[str, Any]
    ) -> None:
        """Queue `event` for the request's HIU (call inside the status change's transaction).

        A second call for the same request and status queues nothing; a HIU without a callback
        URL is not queued for (it reads the status with GET instead)."""
        hiu = await Facility.get(id=request.hiu_id)  # type: ignore[attr-defined]
        if not hiu.callback_url:
            return
        event_id = str(uuid.UUID(int=self._rng.getrandbits(128), version=4))
        now = self._clock.now()
        payload = {"requestId": event_id, "timestamp": stamp(now), "notification": body}
        dedupe = f"{request.id}:{event.value}"
        if await ConsentCallback.exists(dedupe_key=dedupe):
            return
        try:
            await ConsentCallback.create(
                id=event_id,
                request_id=request.seq,
                hiu_id=hiu.id,
                event=event,
                payload=payload,
                dedupe_key=dedupe,
                next_attempt_at=now,
                created_at=now,
            )
        except IntegrityError:  # a concurrent change queued it first
            return
        self._wake.set()

    # the worker -------------------------------------------------------------------------

    async def deliver_due(self, limit: int = 100) -> int:
        """Claim and POST the callbacks whose time has come, first-pending-per-request only;
        returns how many the HIUs accepted."""
        now = self._clock.now()
        pending = (
            await ConsentCallback.filter(status=CallbackStatus.PENDING)
            .order_by("seq")
            .limit(limit * 4)
            .values_list("seq", "request_id", "attempts", "next_attempt_at", "claimed_until")
        )
        heads: dict[int, tuple[int, int]] = {}
        blocked: set[int] = set()
        for seq, request_id, attempts, due_at, claimed_until in pending:
            if request_id in heads or request_id in blocked:
                continue
            if due_at <= now and (claimed_until is None or claimed_until <= now):
                heads[request_id] = (seq, attempts)
            else:
                blocked.add(request_id)  # its oldest event is waiting: later ones wait too
        return await self._deliver(list(heads.values())[:limit])


def public_session(
    timeout: aiohttp.ClientTimeout, allow_loopback: bool = False
) -> aiohttp.ClientSession:
    """A session whose names resolve only to addresses a callback may reach (core.netcheck)."""
    connector = aiohttp.TCPConnector(resolver=PublicResolver(allow_loopback=allow_loopback))
    return aiohttp.ClientSession(timeout=timeout, connector=connector)
