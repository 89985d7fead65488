"""The audit table: one row per thing that happened to a Health ID.

Why append-only: an audit log a bug or an insider can rewrite proves nothing. The code offers no
update or delete (see `core.audit.service.AuditLog`); in production the application's database
role should also be denied them, e.g. in PostgreSQL:
`REVOKE UPDATE, DELETE, TRUNCATE ON audit_event FROM arogya_app;`.
"""

from __future__ import annotations

from tortoise import fields, models


class AuditEvent(models.Model):
    #: Insertion order: events at one instant (a frozen test clock) still read back in order.
    id = fields.BigIntField(primary_key=True)
    at = fields.DatetimeField(db_index=True)
    action = fields.CharField(max_length=48, db_index=True)
    #: An ABHA number, "system" or a partner id.
    actor = fields.CharField(max_length=64)
    #: Whose record it is: usually an ABHA number.
    subject = fields.CharField(max_length=64, db_index=True)
    channel = fields.CharField(max_length=16)
    #: Context without secrets: never an Aadhaar number, an OTP or a PIN.
    detail: fields.Field[dict[str, object]] = fields.JSONField(default=dict)

    class Meta:
        table = "audit_event"

    def __str__(self) -> str:
        return f"{self.at.isoformat()} {self.action} {self.subject} by {self.actor}/{self.channel}"
