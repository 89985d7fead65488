"""What every outbox here (SMS, notices, HIU callbacks) shares: when to try again, and the
worker loop that drains it (housekeeping runs in the same loop).

Why shared: the three tables differ in what they deliver and to whom, but an outage must be
met the same way by all of them — retries spaced out by doubling, capped, with jitter so that a
crowd of messages that failed together does not return in the same second, and a worker that a
database hiccup cannot kill.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Awaitable, Callable

log = logging.getLogger(__name__)


def backoff(rng: random.Random, attempts: int, *, base: float, cap: float) -> float:
    """Seconds before the next try: `base` doubled per failed attempt, at most `cap`, with
    equal jitter (half the delay drawn at random)."""
    delay = min(cap, base * 2.0 ** max(0, attempts - 1))
    return delay / 2 + rng.uniform(0, delay / 2)


async def drain(
    step: Callable[[], Awaitable[object]],
    stop: asyncio.Event,
    *,
    interval: float,
    wake: asyncio.Event | None = None,
    name: str,
) -> None:
    """Run `step` until `stop` is set: after each, sleep `interval` or until `wake` is set
    (something was queued in this process). A failing step is logged, never fatal."""
    while not stop.is_set():
        if wake is not None:
            wake.clear()
        try:
            await step()
        except Exception:  # a database hiccup must not kill the worker
            log.exception("%s outbox step failed", name)
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(interval):
                await _first_of(stop, *([wake] if wake is not None else []))


async def _first_of(*events: asyncio.Event) -> None:
    waiters = [asyncio.ensure_future(event.wait()) for event in events]
    try:
        await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiter in waiters:
            waiter.cancel()
