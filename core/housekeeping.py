"""Forgetting on a schedule what no rule needs any more: finished OTP transactions and their
mobile numbers, old send counters, ended lockouts, abandoned enrolment drafts (a profile
typed by someone who never finished), and a deleted ABHA's sealed records and consent artefacts
once ABDM's grace period is over (`core.leaving`), and the beneficiaries' mobiles in health
workers' enrolment logs (`core.workers.retention`). Data kept "just in case" is data that can leak.

Run by every `arogya serve` with workers (each step is a few DELETEs by time; running it in
several processes at once is harmless).
"""

from __future__ import annotations

import asyncio
import logging

from core.outbox import drain
from core.services import Services
from core.workers import retention as assisted_retention

log = logging.getLogger(__name__)

#: Once an hour: the shortest retention it serves is the OTP send counter's hour.
INTERVAL_SECONDS = 3600.0


async def tidy(services: Services) -> int:
    """One pass; returns how many rows were dropped."""
    dropped = await services.otp.purge()
    dropped += await services.healthid.purge_expired_drafts()
    dropped += await services.leaving.purge_due()  # deleted ABHAs past ABDM's grace period
    # health workers' enrolment logs: mobiles masked when done, rows dropped after N days
    dropped += await assisted_retention.tidy(services.clock, services.settings)
    if dropped:
        log.info("housekeeping dropped %d rows", dropped)
    return dropped


async def run_housekeeping(
    services: Services, stop: asyncio.Event, interval: float = INTERVAL_SECONDS
) -> None:
    await drain(lambda: tidy(services), stop, interval=interval, name="housekeeping")
