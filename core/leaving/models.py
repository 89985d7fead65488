"""An erasure in progress: a deleted ABHA whose records and consent artefacts wait, sealed and
unreadable, for the grace period ABDM sets before they are purged.

Why a row of its own: the person's tombstone says *that* they left; this says what is still to
be forgotten and when. The mobile is kept here only until the purge, to clear the outboxes'
finished rows addressed to it (the confirmation SMS is sent after the wipe); the purge nulls it.
"""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from core.healthid.models import Person


class Erasure(Model):
    id = fields.IntField(primary_key=True)
    person: fields.ForeignKeyRelation[Person] = fields.ForeignKeyField(
        "healthid.Person", related_name="erasures", on_delete=fields.RESTRICT, unique=True
    )
    #: Why: `holder` (the person asked) or `not_me` (an ABHA made without the person knowing).
    reason = fields.CharField(max_length=16)
    #: The wiped mobile (E.164), until the purge.
    mobile = fields.CharField(max_length=16, null=True)
    requested_at = fields.DatetimeField()
    #: The end of the grace period: records and artefacts are purged from then on.
    purge_after = fields.DatetimeField(db_index=True)
    purged_at = fields.DatetimeField(null=True)

    class Meta:
        table = "leaving_erasure"
