"""The notification outbox: one row per notice to one person on one channel.

Why the row holds a message key and parameters, not text: the deliverer renders at send time in
the person's language and in its channel's format (HTML on Telegram, GSM-7 or UCS-2 on SMS).
"""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields, models


class Channel(StrEnum):
    TELEGRAM = "telegram"
    SMS = "sms"


class NotificationStatus(StrEnum):
    PENDING = "PENDING"
    SENT = "SENT"
    #: Dead: refused for good (the user blocked the bot), or out of attempts.
    FAILED = "FAILED"


class Notification(models.Model):
    """One notice.

    A worker *claims* a row before trying it: a conditional UPDATE that sets `claimed_until`
    (a lease) only if the row is still pending, due, unclaimed and at the attempt count the
    worker read; of two workers exactly one matches. A worker that dies mid-send leaves a claim
    that lapses, and the row is tried again.
    """

    seq = fields.BigIntField(primary_key=True)
    id = fields.CharField(max_length=36, unique=True)
    channel = fields.CharEnumField(Channel, max_length=16)
    #: A Telegram chat id, or an E.164 mobile number.
    address = fields.CharField(max_length=32, db_index=True)
    message_key = fields.CharField(max_length=64)
    params: fields.Field[dict[str, object]] = fields.JSONField(default=dict)
    lang = fields.CharField(max_length=8)
    #: What to attach, resolved by the deliverer (e.g. `card:<abha number>`).
    attachment = fields.CharField(max_length=128, null=True)
    #: Rows of buttons (see `core.notify.buttons`), ignored by channels without buttons.
    buttons: fields.Field[list[list[dict[str, str]]] | None] = fields.JSONField(null=True)
    status = fields.CharEnumField(
        NotificationStatus, max_length=8, default=NotificationStatus.PENDING
    )
    attempts = fields.IntField(default=0)
    next_attempt_at = fields.DatetimeField(db_index=True)
    claimed_until = fields.DatetimeField(null=True)
    #: Why the last attempt failed, for support (never the rendered text).
    last_error = fields.CharField(max_length=200, null=True)
    #: The same notice is queued once: a second `notify` with this key returns the first id.
    dedupe_key = fields.CharField(max_length=128, null=True, unique=True)
    created_at = fields.DatetimeField()
    sent_at = fields.DatetimeField(null=True)

    class Meta:
        table = "notify_notification"

    def __str__(self) -> str:
        return f"Notification({self.id}, {self.channel}:{self.message_key}, {self.status})"
