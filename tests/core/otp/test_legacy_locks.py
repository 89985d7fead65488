"""What an older version left in the OTP tables still counts: its locks (`OtpMobileLock` rows)
hold until they end, though once none is in force a process stops asking for them on every OTP
(issue 18: two statements of every registration); its transactions can still be finished."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.clock import FrozenClock
from core.errors import Conflict, Locked
from core.otp.codes import code_hash
from core.otp.models import OtpMobileLock, OtpStatus, OtpTransaction
from core.otp.service import LEGACY_REREAD, OtpService
from core.settings import Settings
from core.sms.gateways import LogGateway
from testing.statements import StatementCounter
from tests.core.fakes import last_code

TO = "+919876543210"
OTHER = "+919811122233"


async def test_an_older_versions_lock_holds_until_it_ends(
    otp: OtpService, clock: FrozenClock, log_gateway: LogGateway
) -> None:
    await OtpMobileLock.create(
        mobile=TO, locked_until=clock.now() + timedelta(minutes=10), txn_id="t"
    )
    with pytest.raises(Locked, match=r"otp\.locked"):
        await otp.start(TO, "enrol", "en")
    ticket = await otp.start(OTHER, "enrol", "en")  # another mobile is not locked by it
    await otp.verify(ticket.txn_id, last_code(log_gateway, OTHER))
    clock.advance(timedelta(minutes=10).total_seconds())
    await otp.start(TO, "enrol", "en")  # ended: the mobile may have a code again


async def test_without_a_lock_in_force_the_table_is_asked_once_per_reread(
    otp: OtpService, clock: FrozenClock, log_gateway: LogGateway
) -> None:
    with StatementCounter() as counter:
        first = await otp.start(TO, "enrol", "en")
        read_first = counter.counts["SELECT"]
        await otp.verify(first.txn_id, last_code(log_gateway, TO))
        second = await otp.start(OTHER, "enrol", "en")
    # the first start asked whether any old lock is in force, the later calls did not; the
    # transactions are in the state store (core.otp.challenges): the SQL left is the two SMS
    assert read_first == 1
    assert dict(counter.counts) == {"SELECT": 1, "INSERT": 2}
    assert second.sends == 1

    # An old process of a rolling upgrade writes a lock: seen after the re-read interval.
    await OtpMobileLock.create(mobile=TO, locked_until=clock.now() + timedelta(hours=1), txn_id="t")
    clock.advance(LEGACY_REREAD.total_seconds())
    with pytest.raises(Locked, match=r"otp\.locked"):
        await otp.start(TO, "enrol", "en")


async def test_a_transaction_an_older_version_started_is_finished_after_the_upgrade(
    otp: OtpService, clock: FrozenClock, settings: Settings
) -> None:
    """It was in the table; the first read moves it into the state store, where it is used up."""
    txn_id, salt, code = "11111111-2222-4333-8444-555555555555", "ab" * 8, "482913"
    now = clock.now()
    await OtpTransaction.create(
        id=txn_id,
        purpose="enrol",
        mobile=TO,
        message_key="sms.otp",
        code_salt=salt,
        code_hash=code_hash(settings.secret_key.get_secret_value(), salt, txn_id, code),
        created_at=now,
        expires_at=now + timedelta(minutes=10),
        last_sent_at=now,
    )
    ticket = await otp.verify(txn_id, code)
    assert ticket.mobile == TO
    with pytest.raises(Conflict, match=r"otp\.used"):
        await otp.verify(txn_id, code)
    used = await otp.find(txn_id)
    assert used is not None
    assert used.status is OtpStatus.USED
