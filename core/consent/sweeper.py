"""Time running out: unanswered requests past their deadline, and grants past `dataEraseAt`,
become EXPIRED, and their HIUs are told.

Why a sweeper when every read already checks the time: the rules hold without it (a late answer
is refused, a late fetch is refused), but the HIU must be told, and the person's lists must not
show a dead request as waiting. Each row moves with the same conditional update as any answer,
so a sweep racing an approval or a second sweeper never expires a request twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from tortoise.transactions import in_transaction

from core.consent.base import ConsentCore
from core.consent.models import ConsentRequest, ConsentStatus

log = logging.getLogger(__name__)

BATCH = 200


class SweepSteps(ConsentCore):
    async def sweep(self) -> int:
        """Expire what is due; returns how many requests changed."""
        now = self._now()
        expired = 0
        for status, due in (
            (ConsentStatus.REQUESTED, {"deadline__lte": now}),
            (ConsentStatus.GRANTED, {"erase_at__lte": now}),
        ):
            rows = await ConsentRequest.filter(status=status, **due).order_by("seq").limit(BATCH)
            for row in rows:
                expired += await self._expire(row, status)
        return expired

    async def _expire(self, row: ConsentRequest, was: ConsentStatus) -> int:
        async with in_transaction():
            if not await self._move(row, was, ConsentStatus.EXPIRED):
                return 0  # answered or swept meanwhile
            await self._end_artefacts(row, ConsentStatus.EXPIRED)
            await self._audit_request(
                "consent.expired", row, actor="system", channel="api", was=was.value
            )
            await self._announce(row)
        return 1

    async def run_sweeper(self, stop: asyncio.Event, interval: float = 60.0) -> None:
        """Sweep every `interval` seconds until `stop` is set; a failing sweep is logged."""
        while not stop.is_set():
            try:
                await self.sweep()
            except Exception:  # a database hiccup must not end the sweeper
                log.exception("consent sweep failed")
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(interval):
                    await stop.wait()
