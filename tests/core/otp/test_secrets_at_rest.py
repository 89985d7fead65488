"""No OTP in clear anywhere it could leak: any table of the database, the transactions in the
state store, any log record."""

from __future__ import annotations

import json
import logging

import pytest
from tortoise import Tortoise

from core.clock import FrozenClock
from core.errors import InvalidInput
from core.otp.challenges import PREFIX
from core.otp.service import OtpService
from core.sms.gateways import LogGateway
from core.sms.outbox import SmsService
from core.state import StateStore
from tests.core.fakes import last_code

MOBILE = "+919812345678"


async def every_stored_value() -> list[str]:
    """Every cell of every table, as text (SQLite or PostgreSQL)."""
    conn = Tortoise.get_connection("default")
    if conn.capabilities.dialect == "sqlite":
        rows = await conn.execute_query_dict(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
        tables = [row["name"] for row in rows]
    else:
        rows = await conn.execute_query_dict(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
        )
        tables = [row["tablename"] for row in rows]
    values: list[str] = []
    for table in tables:
        for row in await conn.execute_query_dict(f'SELECT * FROM "{table}"'):  # noqa: S608
            values.extend(str(value) for value in row.values())
    return values


async def test_no_otp_is_stored_or_logged_in_clear(
    otp: OtpService,
    sms: SmsService,
    log_gateway: LogGateway,
    clock: FrozenClock,
    state: StateStore,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)  # including every SQL statement and its parameters
    codes = []
    ticket = await otp.start(MOBILE, "enrol", "hi", payload={"purpose": "mobile"})
    codes.append(last_code(log_gateway, MOBILE))
    clock.advance(60)
    await otp.resend(ticket.txn_id, "en")
    codes.append(last_code(log_gateway, MOBILE))
    with pytest.raises(InvalidInput):
        await otp.verify(ticket.txn_id, codes[0])
    await otp.verify(ticket.txn_id, codes[1])
    other = await otp.start("+919812345679", "login", "en")
    codes.append(last_code(log_gateway, "+919812345679"))
    await otp.verify(other.txn_id, codes[2])
    assert len(set(codes)) == 3

    kept = [await state.get_json(f"{PREFIX}:{t.txn_id}") for t in (ticket, other)]
    stored = [*await every_stored_value(), *(json.dumps(value) for value in kept)]
    logged = [record.getMessage() for record in caplog.records]

    assert any(ticket.txn_id in value for value in stored)  # the scan does see the OTP data
    assert any("sms_outbox" in line for line in logged)  # and the SQL log was captured
    for code in codes:
        assert not [value for value in stored if code in value]
        assert not [line for line in logged if code in line]
    # The outbox still holds what it needs to deliver: the sealed text opens to the code.
    assert codes[1] in (await sms.sent_to(MOBILE))[-1].text
