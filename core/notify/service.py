"""`Notifier`: queue a notice for a person, and the worker step that delivers due notices.

Why queue-then-deliver: `notify()` only writes a row (and wakes the in-process worker), so the
caller — a consent request arriving over the partner API, say — never waits on Telegram's one
message a second per chat or on a gateway that is down. The worker claims due rows one at a time
with a conditional UPDATE (see `Notification`), so any number of workers, in one process or
many, deliver each notice once; a failed attempt is retried with doubling, jittered backoff for
about six hours (20 attempts by default) before the notice is declared FAILED.

Notices to one recipient are delivered one after another within a worker step, oldest first, so
a person reads them in the order they were queued.
"""

from __future__ import annotations

import asyncio
import functools
import json
import logging
import random
import re
import uuid
from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q

from core import outbox
from core.clock import Clock
from core.notify.buttons import buttons_spec, parse_buttons
from core.notify.models import Channel, Notification, NotificationStatus
from core.notify.ports import Deliverer, Notice, PermanentDeliveryError, RetryableDeliveryError
from locales import MissingMessage, has_message, normalise_language

log = logging.getLogger(__name__)

E164 = re.compile(r"^\+[1-9][0-9]{6,14}$")
CHAT_ID = re.compile(r"^-?[1-9][0-9]{0,15}$")


class Notifier:
    def __init__(
        self,
        clock: Clock,
        rng: random.Random,
        *,
        retry_base_seconds: float = 10.0,
        retry_max_seconds: float = 30 * 60.0,
        max_attempts: int = 20,
        claim_lease_seconds: float = 5 * 60.0,
        concurrency: int = 8,
    ) -> None:
        self._clock = clock
        self._rng = rng
        self._retry_base = retry_base_seconds
        self._retry_max = retry_max_seconds
        self._max_attempts = max_attempts
        #: Longer than any one delivery (a Telegram send waits at most a minute on a 429).
        self._lease = timedelta(seconds=claim_lease_seconds)
        self._concurrency = concurrency
        self._deliverers: dict[Channel, Deliverer] = {}
        #: One per channel, so a notice queued for SMS wakes the SMS loop, not a Telegram one.
        self._wakes = {channel: asyncio.Event() for channel in Channel}

    def register(self, channel: Channel | str, deliverer: Deliverer) -> None:
        """Route a channel's notices to `deliverer` (the composition root wires these)."""
        self._deliverers[Channel(channel)] = deliverer

    async def notify(
        self,
        channel: Channel | str,
        address: str,
        key: str,
        params: dict[str, Any],
        lang: str,
        *,
        dedupe_key: str | None = None,
        buttons: list[list[dict[str, str]]] | None = None,
        attachment: str | None = None,
    ) -> str:
        """Queue a notice; returns its id. With a `dedupe_key` already queued, returns that
        notice's id and queues nothing (its params are not updated).

        Raises ValueError / `locales.MissingMessage` for caller bugs (an unknown channel, an
        address that is not a chat id or E.164 number, a key absent from the catalog, params
        that are not JSON, malformed buttons) before anything is written.
        """
        channel = Channel(channel)
        lang = normalise_language(lang)
        pattern = CHAT_ID if channel is Channel.TELEGRAM else E164
        if not pattern.match(address):
            raise ValueError(f"{address!r} is not a {channel} address")
        if not has_message(key, lang):
            raise MissingMessage(f"{key!r} is not in the {lang!r} catalog")
        json.dumps(params)  # raises TypeError early rather than in the worker
        rows = parse_buttons(buttons, lang)
        if dedupe_key is not None:
            existing = await self._id_for(dedupe_key)
            if existing is not None:
                return existing
        now = self._clock.now()
        notification_id = str(uuid.UUID(int=self._rng.getrandbits(128), version=4))
        try:
            await Notification.create(
                id=notification_id,
                channel=channel,
                address=address,
                message_key=key,
                params=params,
                lang=lang,
                attachment=attachment,
                buttons=buttons_spec(rows) if rows else None,
                next_attempt_at=now,
                dedupe_key=dedupe_key,
                created_at=now,
            )
        except IntegrityError:
            existing = await self._id_for(dedupe_key) if dedupe_key is not None else None
            if existing is None:
                raise
            return existing  # a concurrent notify with the same key won the insert
        self._wakes[channel].set()
        return notification_id

    async def _id_for(self, dedupe_key: str) -> str | None:
        ids = await Notification.filter(dedupe_key=dedupe_key).values_list("id", flat=True)
        return str(ids[0]) if ids else None

    async def get(self, notification_id: str) -> Notification:
        return await Notification.get(id=notification_id)

    # the worker -----------------------------------------------------------------------------

    async def deliver_due(self, limit: int = 100, *, channel: Channel | str | None = None) -> int:
        """Claim and deliver the notices whose time has come (of one channel, or all);
        returns how many were sent."""
        now = self._clock.now()
        query = Notification.filter(_claimable(now))
        if channel is not None:
            query = query.filter(channel=Channel(channel))
        due = (
            await query.order_by("next_attempt_at", "seq")
            .limit(limit)
            .values_list("seq", "attempts", "channel", "address")
        )
        by_recipient: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
        for seq, attempts, channel, address in due:
            by_recipient[(str(channel), str(address))].append((seq, attempts))
        gate = asyncio.Semaphore(self._concurrency)

        async def recipient(rows: list[tuple[int, int]]) -> int:
            sent = 0
            async with gate:
                for seq, attempts in rows:
                    notice = await self._claim(seq, attempts)
                    if notice is not None:
                        sent += await self._attempt(seq, notice)
            return sent

        outcomes = await asyncio.gather(
            *(recipient(rows) for rows in by_recipient.values()), return_exceptions=True
        )
        for outcome in outcomes:
            if isinstance(outcome, BaseException):
                # One recipient's trouble (a database hiccup) must not stop the others; its
                # claimed row is retried when the claim lapses.
                log.error("notification delivery step failed", exc_info=outcome)
        return sum(outcome for outcome in outcomes if isinstance(outcome, int))

    async def _claim(self, seq: int, attempts: int) -> Notice | None:
        now = self._clock.now()
        claimed = await Notification.filter(_claimable(now), seq=seq, attempts=attempts).update(
            attempts=attempts + 1, claimed_until=now + self._lease
        )
        if claimed != 1:
            return None  # another worker took it first
        row = await Notification.get(seq=seq)
        try:
            buttons = parse_buttons(row.buttons, row.lang)
        except ValueError as exc:  # a label's key left the catalog since the notice was queued
            await Notification.filter(seq=seq, attempts=row.attempts).update(
                status=NotificationStatus.FAILED, claimed_until=None, last_error=str(exc)[:200]
            )
            log.error("notice %s cannot be rendered: %s", row.id, exc)
            return None
        return Notice(
            id=row.id,
            channel=Channel(row.channel),
            address=row.address,
            message_key=row.message_key,
            params=dict(row.params),
            lang=row.lang,
            attachment=row.attachment,
            buttons=buttons,
            attempt=row.attempts,
        )

    async def _attempt(self, seq: int, notice: Notice) -> int:
        deliverer = self._deliverers.get(notice.channel)
        try:
            if deliverer is None:
                raise RetryableDeliveryError(f"no deliverer registered for {notice.channel}")
            await deliverer.deliver(notice)
        except PermanentDeliveryError as exc:
            await self._finish(seq, notice, status=NotificationStatus.FAILED, error=exc.reason)
            log.error("notice %s failed for good: %s", notice.id, exc.reason)
            return 0
        except RetryableDeliveryError as exc:
            await self._retry(seq, notice, exc.reason, exc.retry_after)
            return 0
        except Exception as exc:  # a deliverer bug must not lose the notice or kill the worker
            log.exception("deliverer for %s raised", notice.channel)
            await self._retry(seq, notice, f"{type(exc).__name__}: {exc}", None)
            return 0
        await self._finish(seq, notice, status=NotificationStatus.SENT, sent_at=self._clock.now())
        return 1

    async def _retry(
        self, seq: int, notice: Notice, reason: str, retry_after: float | None
    ) -> None:
        if notice.attempt >= self._max_attempts:
            await self._finish(seq, notice, status=NotificationStatus.FAILED, error=reason)
            log.error("notice %s dead after %d attempts: %s", notice.id, notice.attempt, reason)
            return
        delay = max(self.backoff(notice.attempt), retry_after or 0.0)
        retry_at = self._clock.now() + timedelta(seconds=delay)
        await self._finish(seq, notice, next_attempt_at=retry_at, error=reason)
        log.warning(
            "notice %s attempt %d failed (%s); retry at %s",
            notice.id,
            notice.attempt,
            reason,
            retry_at.isoformat(),
        )

    async def _finish(
        self, seq: int, notice: Notice, *, error: str | None = None, **changes: Any
    ) -> None:
        """Record an attempt's outcome and release the claim, unless the claim was lost."""
        updated = await Notification.filter(
            seq=seq, attempts=notice.attempt, status=NotificationStatus.PENDING
        ).update(claimed_until=None, last_error=error[:200] if error else None, **changes)
        if updated != 1:
            log.warning(
                "notice %s: claim lapsed before attempt %d finished", notice.id, notice.attempt
            )

    def backoff(self, attempts: int) -> float:
        return outbox.backoff(self._rng, attempts, base=self._retry_base, cap=self._retry_max)

    async def run_worker(self, stop: asyncio.Event, interval: float = 1.0) -> None:
        """Deliver until `stop` is set, waking early when `notify()` queues something here.

        One loop per channel: a batch waits for its slowest send, and a Telegram send may
        wait for its pacing slot (30 a second for the whole bot) or a 429's `retry_after`;
        an SMS to a feature phone must not queue behind that. Measured by
        bench/consent_bench.py: with a quarter of the holders on Telegram, SMS notices at
        100 requests/s went from p50 9 ms to 591 ms in one shared loop."""
        await asyncio.gather(
            *(
                outbox.drain(
                    functools.partial(self.deliver_due, channel=channel),
                    stop,
                    interval=interval,
                    wake=self._wakes[channel],
                    name=f"{channel} notification",
                )
                for channel in Channel
            )
        )


def _claimable(now: datetime) -> Q:
    """Pending, due, and not held by a live claim."""
    return Q(status=NotificationStatus.PENDING, next_attempt_at__lte=now) & (
        Q(claimed_until__isnull=True) | Q(claimed_until__lte=now)
    )
