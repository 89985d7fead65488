"""The OTP transactions a test started, as the state store keeps them (core.otp.challenges).

Why a helper: the transactions left the `otp_transaction` table for the state store, which has
no listing; tests that check what a transaction keeps at rest (a sealed eKYC payload, no code in
clear) note the ids `OtpService.start` hands out and read those keys.
"""

from __future__ import annotations

from typing import Any

import pytest

from core.otp.challenges import PREFIX
from core.otp.service import OtpService, OtpTicket
from core.state import StateStore


def note_started(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """From now on, the id of every transaction any `OtpService` starts, in order."""
    started: list[str] = []
    start = OtpService.start

    async def noting(self: OtpService, *args: Any, **kwargs: Any) -> OtpTicket:
        ticket = await start(self, *args, **kwargs)
        started.append(ticket.txn_id)
        return ticket

    monkeypatch.setattr(OtpService, "start", noting)
    return started


async def kept(state: StateStore, txn_ids: list[str]) -> list[dict[str, Any]]:
    """The stored value of each of these transactions that the store still holds."""
    values = [await state.get_json(f"{PREFIX}:{txn_id}") for txn_id in txn_ids]
    return [value for value in values if value is not None]
