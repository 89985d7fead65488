"""`SmsService`: render, try the gateway, write to the outbox once with what happened, retry
with backoff.

Why the row is written once, after the inline attempt (issue 18: one statement, not an INSERT
and an UPDATE, on every hop that sends an OTP): the row is born with its outcome (SENT; or
PENDING with the next try's time and the gateway's reason; or FAILED), so an outage loses
nothing. If the attempt ends in anything but the gateway's answer (a bug, a cancelled hop) the
row is still written, PENDING under a claim lease, so a worker tries again after the lease as
it did when the row came first. What this gives up: a process killed between the gateway's
acceptance and the INSERT leaves a sent SMS without its row (the person got it; the record of
it is lost), and one killed during the call leaves nothing to retry (the person asks again: a
resend). No gateway callback needs the row first: Twilio's delivery reports are logged by id
(`webhooks.twilio_status`), never joined to it. A row is
*claimed* before every attempt by a conditional UPDATE (status PENDING, due, and the attempt
count this worker saw), so of two workers only one wins a row; the claim also pushes
`next_attempt_at` out by a lease, after which a worker that died mid-send is retried. The
gateway gets the outbox id as message id, so even that rare retry can be dropped there.
"""

from __future__ import annotations

import asyncio
import logging
import random
import re
import uuid
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from core.clock import Clock
from core.outbox import backoff as retry_delay
from core.outbox import drain
from core.settings import Settings
from core.sms.encoding import sms_size
from core.sms.gateways import GatewayError, SmsGateway
from core.sms.models import SmsOutbox, SmsStatus
from core.sms.sealing import Sealer
from core.sms.templates import REPLY_TEMPLATE_KEY, SECRET_PARAMS, TEMPLATES, template_id
from locales import normalise_language, translate

log = logging.getLogger(__name__)

E164 = re.compile(r"^\+[1-9][0-9]{6,14}$")
#: After this many attempts a message is dead (FAILED). With the default 5 s base and 300 s cap
#: that is about ten minutes of trying, the life of an OTP.
MAX_ATTEMPTS = 8
#: How long a claim holds a row: far longer than any gateway call (HttpGateway: 3 s).
CLAIM_LEASE_SECONDS = 60.0
#: How many claimed rows one worker step sends at once.
CONCURRENCY = 8


def _masked_params(params: Mapping[str, Any]) -> dict[str, Any]:
    return {k: ("***" if k in SECRET_PARAMS else v) for k, v in params.items()}


class SmsService:
    def __init__(
        self,
        settings: Settings,
        clock: Clock,
        gateway: SmsGateway,
        rng: random.Random,
        *,
        max_attempts: int = MAX_ATTEMPTS,
    ) -> None:
        self._settings = settings
        self._clock = clock
        self._gateway = gateway
        self._rng = rng
        self._max_attempts = max_attempts
        self._sealer = Sealer(settings.secret_key.get_secret_value())

    async def send(self, to: str, message_key: str, params: dict[str, Any], lang: str) -> str:
        """Queue one SMS and try it once now; returns the outbox id whatever the gateway said.

        Raises `MissingTemplate` / `locales.MissingMessage` / `ValueError` for caller bugs
        (unregistered key, absent text, a number not in E.164) before anything is written.
        """
        lang = normalise_language(lang)
        template = template_id(message_key, self._settings)
        text = translate(message_key, lang, **params)
        return await self._enqueue(to, message_key, params, lang, text, template)

    async def send_text(self, to: str, text: str, *, lang: str, template_key: str) -> str:
        """Queue an already-rendered conversational reply (a flow page with numbered choices).

        Why a second door: a reply is several catalog keys joined by the channel, so there is no
        one key to render here. It goes out under `template_key`'s DLT template when one is
        registered, else under the catch-all conversational template (`sms.reply`).
        """
        lang = normalise_language(lang)
        key = template_key if template_key in TEMPLATES else REPLY_TEMPLATE_KEY
        template = template_id(key, self._settings)
        return await self._enqueue(to, key, {}, lang, text, template)

    async def _enqueue(
        self,
        to: str,
        message_key: str,
        params: dict[str, Any],
        lang: str,
        text: str,
        template: str,
    ) -> str:
        if not E164.match(to):
            raise ValueError("SMS recipient must be an E.164 number")
        size = sms_size(text)
        now = self._clock.now()
        outbox_id = str(uuid.UUID(int=self._rng.getrandbits(128), version=4))
        row = SmsOutbox(
            id=outbox_id,
            to=to,
            message_key=message_key,
            params=_masked_params(params),
            lang=lang,
            sealed_text=self._sealer.seal(text, outbox_id),
            template_id=template,
            encoding=str(size.encoding),
            segments=size.segments,
            status=SmsStatus.PENDING,
            # The inline attempt is the first; should it end unanswered, the row is written
            # claimed for a lease, so a worker retries it only after the lease.
            attempts=1,
            next_attempt_at=now + timedelta(seconds=CLAIM_LEASE_SECONDS),
            created_at=now,
        )
        try:
            await self._gateway.deliver(outbox_id, to, text, template)
        except GatewayError as exc:
            self._first_failure(row, self._reason(exc, text), permanent=exc.permanent)
        except BaseException:
            await asyncio.shield(row.save())  # unknown outcome: a worker retries after the lease
            raise
        else:
            row.status, row.sent_at = SmsStatus.SENT, self._clock.now()
        await row.save()
        return outbox_id

    @staticmethod
    def _reason(exc: GatewayError, text: str) -> str:
        """A gateway's reason should not echo the text, but the column must never hold it."""
        return (exc.reason.replace(text, "[text]") if text else exc.reason)[:200]

    def _first_failure(self, row: SmsOutbox, reason: str, *, permanent: bool) -> None:
        """What `_failed` writes after a worker's attempt, set on the unsaved row instead."""
        row.last_error = reason
        if permanent or row.attempts >= self._max_attempts:
            row.status = SmsStatus.FAILED
            log.error("sms %s dead after %d attempt(s): %s", row.id, row.attempts, reason)
            return
        row.next_attempt_at = self._clock.now() + timedelta(seconds=self.backoff(row.attempts))
        log.warning(
            "sms %s attempt %d failed (%s); retry at %s",
            row.id,
            row.attempts,
            reason,
            row.next_attempt_at.isoformat(),
        )

    async def deliver_due(self, limit: int = 100) -> int:
        """Claim and send the rows whose time has come; returns how many were sent."""
        now = self._clock.now()
        due = (
            await SmsOutbox.filter(status=SmsStatus.PENDING, next_attempt_at__lte=now)
            .order_by("next_attempt_at", "seq")
            .limit(limit)
            .values_list("seq", "attempts")
        )
        gate = asyncio.Semaphore(CONCURRENCY)

        async def one(seq: int, attempts: int) -> bool:
            async with gate:
                row = await self._claim(seq, attempts, now)
                if row is None:
                    return False
                try:
                    text = self._sealer.open(row.sealed_text, row.id)
                except ValueError:  # sealed under another secret_key: no retry can open it
                    await self._failed(row, "sealed text unreadable", permanent=True)
                    return False
                return await self._attempt(row, text)

        results = await asyncio.gather(*(one(seq, attempts) for seq, attempts in due))
        return sum(results)

    async def _claim(self, seq: int, attempts: int, now: datetime) -> SmsOutbox | None:
        claimed = await SmsOutbox.filter(
            seq=seq, status=SmsStatus.PENDING, attempts=attempts, next_attempt_at__lte=now
        ).update(
            attempts=attempts + 1,
            next_attempt_at=now + timedelta(seconds=CLAIM_LEASE_SECONDS),
        )
        if claimed != 1:
            return None  # another worker took it first
        return await SmsOutbox.get(seq=seq)

    async def _attempt(self, row: SmsOutbox, text: str) -> bool:
        try:
            await self._gateway.deliver(row.id, row.to, text, row.template_id)
        except GatewayError as exc:
            await self._failed(row, self._reason(exc, text), permanent=exc.permanent)
            return False
        await SmsOutbox.filter(seq=row.seq, status=SmsStatus.PENDING).update(
            status=SmsStatus.SENT, sent_at=self._clock.now(), last_error=None
        )
        return True

    async def _failed(self, row: SmsOutbox, reason: str, *, permanent: bool) -> None:
        reason = reason[:200]
        if permanent or row.attempts >= self._max_attempts:
            await SmsOutbox.filter(seq=row.seq, status=SmsStatus.PENDING).update(
                status=SmsStatus.FAILED, last_error=reason
            )
            log.error("sms %s dead after %d attempt(s): %s", row.id, row.attempts, reason)
            return
        retry_at = self._clock.now() + timedelta(seconds=self.backoff(row.attempts))
        await SmsOutbox.filter(seq=row.seq, status=SmsStatus.PENDING).update(
            next_attempt_at=retry_at, last_error=reason
        )
        log.warning(
            "sms %s attempt %d failed (%s); retry at %s",
            row.id,
            row.attempts,
            reason,
            retry_at.isoformat(),
        )

    def backoff(self, attempts: int) -> float:
        """Seconds before the next try: doubling from the base, capped, with equal jitter.

        Jitter (half the delay drawn from the rng) keeps a crowd of messages that failed
        together during an outage from all hitting the gateway in the same second when it
        returns.
        """
        return retry_delay(
            self._rng,
            attempts,
            base=self._settings.sms_retry_base_seconds,
            cap=self._settings.sms_retry_max_seconds,
        )

    async def run_worker(self, stop: asyncio.Event, interval: float = 1.0) -> None:
        """Deliver due messages until `stop` is set; a failing step is logged, not fatal."""
        await drain(self.deliver_due, stop, interval=interval, name="sms")

    async def sent_to(self, to: str) -> list[SmsOutbox]:
        """Every message queued for `to`, oldest first, with `text` opened (chat, tests)."""
        rows = await SmsOutbox.filter(to=to).order_by("seq")
        for row in rows:
            row.text = self._sealer.open(row.sealed_text, row.id)
        return rows
