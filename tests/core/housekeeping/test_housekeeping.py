"""One housekeeping pass over the real services: an abandoned enrolment (its OTP transaction
with the mobile number; its draft lives in the state store and expires there) is forgotten once
no rule needs it, rows an older release left in the drafts table go too, and the worker loop
runs a pass and stops when told."""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from arogya.wiring import running_core
from core.clock import FrozenClock
from core.healthid.models import EnrolmentDraft, Kyc
from core.housekeeping import run_housekeeping, tidy
from core.otp.models import OtpTransaction
from core.services import Services, build_services
from core.sms.gateways import LogGateway
from core.state import StateStore
from core.storage import migrate
from tests.conftest import make_settings


@pytest.fixture
async def services(
    db: str, clock: FrozenClock, rng: random.Random, state: StateStore
) -> AsyncIterator[Services]:
    async with build_services(
        make_settings(), clock=clock, rng=rng, state=state, sms_gateway=LogGateway()
    ) as built:
        yield built


async def old_transaction(clock: FrozenClock) -> None:
    """An OTP transaction as an older release left it in the table (this one keeps them in the
    state store, TTL'd: core.otp.challenges)."""
    now = clock.now()
    await OtpTransaction.create(
        id="0" * 36,
        purpose="enrol",
        mobile="+919876543210",
        message_key="sms.otp",
        code_salt="00",
        code_hash="00",
        created_at=now,
        expires_at=now + timedelta(minutes=10),
        last_sent_at=now,
    )


async def test_an_abandoned_enrolment_is_forgotten_when_no_rule_needs_it(
    services: Services, clock: FrozenClock
) -> None:
    await services.healthid.start_mobile("+919876543210", lang="hi", channel="ussd")
    await old_transaction(clock)
    assert await tidy(services) == 0  # the OTPs are still live
    assert await OtpTransaction.all().count() == 1  # the older release's; ours is in the store
    assert await EnrolmentDraft.all().count() == 0  # the draft is in the state store

    clock.advance(days=2)
    assert await tidy(services) >= 1  # the older release's transaction
    assert await OtpTransaction.all().count() == 0


async def test_drafts_an_older_release_left_in_the_table_are_dropped_once_expired(
    services: Services, clock: FrozenClock
) -> None:
    now = clock.now()
    for name, expires in (("old", now - timedelta(minutes=1)), ("new", now + timedelta(hours=1))):
        await EnrolmentDraft.create(
            id=name,
            txn_id=f"txn-{name}",
            kyc=Kyc.SELF_DECLARED,
            mobile="+919876543210",
            channel="ussd",
            created_at=now,
            expires_at=expires,
        )
    assert await tidy(services) == 1
    assert [draft.id for draft in await EnrolmentDraft.all()] == ["new"]


async def test_the_worker_runs_a_pass_and_stops(services: Services, clock: FrozenClock) -> None:
    await old_transaction(clock)
    clock.advance(days=2)
    stop = asyncio.Event()
    worker = asyncio.create_task(run_housekeeping(services, stop, interval=0.05))
    for _ in range(200):
        if await OtpTransaction.all().count() == 0:
            break
        await asyncio.sleep(0.01)
    stop.set()
    await asyncio.wait_for(worker, timeout=10)
    assert await OtpTransaction.all().count() == 0


async def test_every_serving_process_tidies_as_it_starts(tmp_path: Path) -> None:
    """Through the composition root `arogya serve` runs (arogya.wiring): an OTP transaction an
    older release left two days ago is gone once a process with workers has started."""
    settings = make_settings(database_url=f"sqlite://{tmp_path / 'arogya.sqlite3'}")
    clock = FrozenClock(datetime(2026, 1, 15, 9, 30, tzinfo=UTC))
    await migrate(settings.database_url)
    async with running_core(settings, run_workers=False, clock=clock):
        await old_transaction(clock)
        assert await OtpTransaction.all().count() == 1
    clock.advance(days=2)
    async with running_core(settings, run_workers=True, clock=clock):
        for _ in range(500):
            if await OtpTransaction.all().count() == 0:
                break
            await asyncio.sleep(0.01)
        assert await OtpTransaction.all().count() == 0
