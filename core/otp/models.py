"""OTP transactions, per-mobile lockouts and the per-mobile send log.

Why three tables: a transaction is one code's life (sends, attempts); the lockout belongs to the
mobile, so that starting a fresh transaction cannot dodge it; the send log is what the hourly
per-mobile limit counts, across transactions and purposes.
"""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields, models


class OtpStatus(StrEnum):
    ACTIVE = "ACTIVE"
    #: Verified once; a second verify is refused (`otp.used`).
    USED = "USED"
    #: Ended by too many wrong codes; the mobile is locked too.
    FAILED = "FAILED"


class OtpTransaction(models.Model):
    """One OTP transaction. Only a keyed hash of the current code is kept (see core.otp.codes)."""

    id = fields.CharField(max_length=36, primary_key=True)
    purpose = fields.CharField(max_length=32)
    mobile = fields.CharField(max_length=16, db_index=True)
    message_key = fields.CharField(max_length=64)
    code_salt = fields.CharField(max_length=32)
    code_hash = fields.CharField(max_length=64)
    #: Small opaque data the caller attached at start (never the code).
    payload: fields.Field[dict[str, object]] = fields.JSONField(default=dict)
    created_at = fields.DatetimeField()
    expires_at = fields.DatetimeField()
    last_sent_at = fields.DatetimeField()
    sends = fields.SmallIntField(default=1)
    attempts = fields.SmallIntField(default=0)
    status = fields.CharEnumField(OtpStatus, max_length=8, default=OtpStatus.ACTIVE)
    verified_at = fields.DatetimeField(null=True)
    #: Set with FAILED in the same update, so a racing call reads the lockout at once.
    locked_until = fields.DatetimeField(null=True)

    class Meta:
        table = "otp_transaction"


class OtpMobileLock(models.Model):
    """A mobile that may not receive or verify OTPs until `locked_until`."""

    mobile = fields.CharField(max_length=16, primary_key=True)
    locked_until = fields.DatetimeField()
    #: The transaction whose failures caused the lock, for support questions.
    txn_id = fields.CharField(max_length=36)

    class Meta:
        table = "otp_mobile_lock"


class OtpSend(models.Model):
    """One OTP SMS sent to a mobile, counted by the hourly per-mobile limit."""

    id = fields.BigIntField(primary_key=True)
    mobile = fields.CharField(max_length=16)
    txn_id = fields.CharField(max_length=36)
    at = fields.DatetimeField()

    class Meta:
        table = "otp_send"
        indexes = (("mobile", "at"),)
