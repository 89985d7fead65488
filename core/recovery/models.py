"""One recovery of an ABHA in progress, and the proofs gathered for it.

Why a table of its own: a forgotten PIN and a mobile change each take several turns of a
conversation (an OTP, then a new PIN twice; an OTP to the old mobile or an Aadhaar OTP, then an
OTP to the new one), possibly on different processes. What was proved must outlive a turn, be
usable once (`done_at` set by a compare-and-set update) and die after a few minutes, and it must
not live in the conversation's state, which a channel could replay.

No `;` in model docstrings or `#:` comments: they become SQL comments (see core.healthid.models).
"""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model


class RecoveryKind(StrEnum):
    PIN_RESET = "pin_reset"
    MOBILE_CHANGE = "mobile_change"


class Recovery(Model):
    """A forgotten PIN or a mobile change in progress, with what the holder proved so far."""

    id = fields.CharField(max_length=36, primary_key=True)
    kind = fields.CharEnumField(RecoveryKind, max_length=16)
    #: The ABHA number (14 digits) being recovered.
    abha_number = fields.CharField(max_length=14, db_index=True)
    #: How the holder is proved: otp (the ABHA's own mobile), aadhaar or abdm.
    via = fields.CharField(max_length=8)
    #: The OTP transaction that proves the holder (the ABHA's mobile, or Aadhaar).
    holder_txn = fields.CharField(max_length=64, null=True, db_index=True)
    holder_proved_at = fields.DatetimeField(null=True)
    #: E.164 of the new mobile (mobile change only).
    new_mobile = fields.CharField(max_length=16, null=True)
    #: The OTP transaction sent to the new mobile.
    new_txn = fields.CharField(max_length=64, null=True, db_index=True)
    #: ABDM's user token for this change, sealed (the abdm adapter only).
    sealed_token = fields.TextField(null=True)
    created_at = fields.DatetimeField()
    expires_at = fields.DatetimeField()
    #: Set once, by the one call that used this recovery.
    done_at = fields.DatetimeField(null=True)

    class Meta:
        table = "recovery_recovery"

    def __str__(self) -> str:
        return f"Recovery({self.kind}:{self.id})"
