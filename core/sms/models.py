"""The SMS outbox: one row per message, written before any gateway is tried.

Why an outbox: an OTP that vanishes because the gateway blinked is a person stuck at a USSD
prompt. Writing the row first means a message survives a gateway outage and a process restart;
the worker (`SmsService.deliver_due`) retries it with backoff until it is sent or declared dead.
"""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields, models


class SmsStatus(StrEnum):
    PENDING = "PENDING"
    SENT = "SENT"
    #: Dead: the gateway refused it for good, or it ran out of attempts.
    FAILED = "FAILED"


class SmsOutbox(models.Model):
    """One outbound SMS.

    `seq` orders rows (newest last) even when a frozen clock gives them one timestamp; `id` is
    the public id, also sent to the gateway as the message id so a repeat can be dropped there.
    The body is stored only sealed (`core.sms.sealing`); `SmsService.sent_to` fills the plain
    `text` attribute. `params` are stored with secret values (the OTP) masked.
    """

    seq = fields.BigIntField(primary_key=True)
    id = fields.CharField(max_length=36, unique=True)
    to = fields.CharField(max_length=16, db_index=True)
    message_key = fields.CharField(max_length=64)
    params: fields.Field[dict[str, object]] = fields.JSONField(default=dict)
    lang = fields.CharField(max_length=8)
    sealed_text = fields.TextField()
    template_id = fields.CharField(max_length=32)
    encoding = fields.CharField(max_length=8)
    segments = fields.SmallIntField()
    status = fields.CharEnumField(SmsStatus, max_length=8, default=SmsStatus.PENDING)
    attempts = fields.IntField(default=0)
    #: When the worker may next try. Also the claim: a worker pushes it out by a lease.
    next_attempt_at = fields.DatetimeField(db_index=True)
    #: Why the last attempt failed (a reason from the gateway, never the text).
    last_error = fields.CharField(max_length=200, null=True)
    created_at = fields.DatetimeField()
    sent_at = fields.DatetimeField(null=True)

    #: The opened body, set by `SmsService.sent_to`; not a column.
    text: str = ""

    class Meta:
        table = "sms_outbox"

    def __str__(self) -> str:
        return f"SmsOutbox({self.id}, {self.message_key}, {self.status})"
