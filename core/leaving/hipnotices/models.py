"""One deletion notice to one HIP: the facility that linked visits to an ABHA now deleted.

Why a row per HIP in an outbox (like `consent.ConsentCallback`): the notice is queued in the
transaction that wipes the person, so a deletion is never committed without it, and a HIP that
is down hears it later. The payload holds only the HIP's own care-context references (no
demographics); the row is purged with the person's records at the end of the grace period.
"""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from core.consent.models import CallbackStatus
from core.facilities.models import Facility
from core.healthid.models import Person


class HipNotice(Model):
    seq = fields.BigIntField(primary_key=True)
    #: The event id the HIP sees, the same on every retry, so it applies the notice once.
    id = fields.CharField(max_length=36, unique=True)
    hip: fields.ForeignKeyRelation[Facility] = fields.ForeignKeyField(
        "facilities.Facility", related_name="hip_notices", on_delete=fields.RESTRICT
    )
    person: fields.ForeignKeyRelation[Person] = fields.ForeignKeyField(
        "healthid.Person", related_name="hip_notices", on_delete=fields.RESTRICT
    )
    #: What is announced: `abha.deleted`.
    event = fields.CharField(max_length=32)
    payload: fields.Field[dict[str, object]] = fields.JSONField(default=dict)
    #: Person, HIP and event: one deletion is announced to a HIP once.
    dedupe_key = fields.CharField(max_length=96, unique=True)
    status = fields.CharEnumField(CallbackStatus, max_length=8, default=CallbackStatus.PENDING)
    attempts = fields.IntField(default=0)
    next_attempt_at = fields.DatetimeField(db_index=True)
    claimed_until = fields.DatetimeField(null=True)
    last_error = fields.CharField(max_length=200, null=True)
    created_at = fields.DatetimeField()
    sent_at = fields.DatetimeField(null=True)

    class Meta:
        table = "leaving_hip_notice"

    def __str__(self) -> str:
        return f"HipNotice({self.id}, {self.event}, {self.status})"
