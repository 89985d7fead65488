"""Where an OTP transaction lives: the state store, under `otp-txn:<id>`, TTL'd (issue 18).

Why not the `otp_transaction` table: a transaction is one code's life of ten minutes, read and
changed only by the hops of the conversation that started it, so it cost a registration three
SQL statements (its INSERT, a SELECT and an UPDATE when the code was typed) for data that the
state store, written on every hop already, holds as well. Every change is still a
compare-and-set on the value this call read (`replace`), so of two racing verifies or resends
exactly one wins, as the conditional UPDATEs did.

The value is the transaction's columns as JSON (times in ISO 8601, the payload sealed as
before), read back as an unsaved `OtpTransaction`, so its readers are unchanged. It is kept a
day past its expiry (`TRANSACTION_RETENTION`: support questions, and a verified transaction
proving a mobile for 30 minutes), then the store drops it. Transactions an older version wrote
in the table are still found there, and moved into the store when first read, so one started
before an upgrade can be finished after it.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from core.otp.models import OtpStatus, OtpTransaction
from core.state import StateStore

#: The key prefix of a transaction in the state store.
PREFIX = "otp-txn"
_TIMES = ("created_at", "expires_at", "last_sent_at", "verified_at", "locked_until")
_PLAIN = ("id", "purpose", "mobile", "message_key", "code_salt", "code_hash", "payload")
_COUNTS = ("sends", "attempts")


def to_json(txn: OtpTransaction) -> dict[str, Any]:
    out: dict[str, Any] = {name: getattr(txn, name) for name in _PLAIN}
    out.update({name: int(getattr(txn, name)) for name in _COUNTS})
    out["status"] = str(txn.status)
    for name in _TIMES:
        value: datetime | None = getattr(txn, name)
        out[name] = None if value is None else value.isoformat()
    return out


def from_json(raw: dict[str, Any]) -> OtpTransaction:
    fields: dict[str, Any] = {name: raw[name] for name in (*_PLAIN, *_COUNTS)}
    fields["status"] = OtpStatus(raw["status"])
    for name in _TIMES:
        fields[name] = None if raw.get(name) is None else datetime.fromisoformat(raw[name])
    return OtpTransaction(**fields)


class Challenges:
    """OTP transactions by id, in a state store; `now` is the service's clock."""

    def __init__(self, store: StateStore, retention: timedelta) -> None:
        self._store = store
        self._retention = retention

    @staticmethod
    def _key(txn_id: str) -> str:
        return f"{PREFIX}:{txn_id}"

    def _ttl(self, txn: OtpTransaction, now: datetime) -> float:
        return max(60.0, (txn.expires_at + self._retention - now).total_seconds())

    async def add(self, txn: OtpTransaction, now: datetime) -> None:
        """A new transaction (its id is 122 random bits: a clash is a bug, not a race)."""
        if not await self._store.compare_and_set(
            self._key(txn.id), None, to_json(txn), self._ttl(txn, now)
        ):
            raise RuntimeError("OTP transaction id already in use")

    async def read(self, txn_id: str, now: datetime) -> tuple[OtpTransaction, Any] | None:
        """The transaction and the stored value it was read from (for `replace`), or None."""
        key = self._key(txn_id)
        while True:
            raw = await self._store.get_json(key)
            if raw is not None:
                return from_json(raw), raw
            row = await OtpTransaction.get_or_none(id=txn_id)  # an older version's table
            if row is None:
                return None
            if await self._store.compare_and_set(key, None, to_json(row), self._ttl(row, now)):
                continue  # moved: read it back as every later call will

    async def replace(self, txn_id: str, read: Any, changed: OtpTransaction, now: datetime) -> bool:
        """Store `changed` only if the value is still the one `read`: True when this call won."""
        return await self._store.compare_and_set(
            self._key(txn_id), read, to_json(changed), self._ttl(changed, now)
        )
