"""What the records registry stores: care contexts, and the sealed documents pushed for them.

A care context is a facility's visit, admission or test for one person (ABDM's term): the
facility names it with its own reference, unique within that facility. A health record is one
FHIR document bundle for a care context, kept only sealed (`core.records.vault`). What a person
browses by (date, HI type, facility, display) is kept in clear columns beside the ciphertext.

Why `seq`: newest-first order must be stable when several records share a date (and a frozen
test clock); `id` is the public id, random, so ids reveal nothing about volume.
Why (facility, idempotency key) is unique: a partner retrying a timed-out upload must not store
the record twice, even when both attempts race.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from core.records.hitypes import HiType

if TYPE_CHECKING:
    from core.facilities.models import Facility
    from core.healthid.models import Person


class RecordSource(StrEnum):
    FACILITY = "facility"  # pushed by a HIP over the partner API
    SELF = "self"  # uploaded by the person (a photo or a PDF)


class CareContext(Model):
    id = fields.CharField(max_length=36, primary_key=True)
    facility: fields.ForeignKeyRelation[Facility] = fields.ForeignKeyField(
        "facilities.Facility", related_name="care_contexts", on_delete=fields.RESTRICT
    )
    person: fields.ForeignKeyRelation[Person] = fields.ForeignKeyField(
        "healthid.Person", related_name="care_contexts", on_delete=fields.RESTRICT
    )
    #: The facility's own reference (its visit or admission number).
    reference = fields.CharField(max_length=64)
    display = fields.CharField(max_length=200)
    hi_type = fields.CharEnumField(HiType, max_length=24)
    date = fields.DateField()
    created_at = fields.DatetimeField()

    class Meta:
        table = "records_care_context"
        unique_together = (("facility", "reference"),)

    def __str__(self) -> str:
        return f"CareContext({self.id}, {self.reference!r}, {self.hi_type})"


class HealthRecord(Model):
    seq = fields.BigIntField(primary_key=True)
    id = fields.CharField(max_length=36, unique=True)
    person: fields.ForeignKeyRelation[Person] = fields.ForeignKeyField(
        "healthid.Person", related_name="health_records", on_delete=fields.RESTRICT
    )
    #: Null for a record the person uploaded themselves.
    facility: fields.ForeignKeyNullableRelation[Facility] = fields.ForeignKeyField(
        "facilities.Facility",
        related_name="health_records",
        null=True,
        on_delete=fields.RESTRICT,
    )
    care_context: fields.ForeignKeyNullableRelation[CareContext] = fields.ForeignKeyField(
        "records.CareContext", related_name="records", null=True, on_delete=fields.RESTRICT
    )
    source = fields.CharEnumField(RecordSource, max_length=16)
    hi_type = fields.CharEnumField(HiType, max_length=24, db_index=True)
    #: The document's own date (Composition.date), for listing newest first.
    date = fields.DateField(db_index=True)
    display = fields.CharField(max_length=200)
    size = fields.IntField()  # bytes of the bundle as received
    #: Which keyring key sealed `sealed` (see core.records.vault).
    key_id = fields.CharField(max_length=16, db_index=True)
    sealed = fields.BinaryField()
    idempotency_key = fields.CharField(max_length=128, null=True)
    #: Keyed hash of (care context, bundle): tells a retry from a different upload reusing a key.
    request_digest = fields.CharField(max_length=64, null=True)
    created_at = fields.DatetimeField()

    class Meta:
        table = "records_health_record"
        unique_together = (("facility", "idempotency_key"),)

    def __str__(self) -> str:
        return f"HealthRecord({self.id}, {self.hi_type}, {self.date})"


class LinkStatus(StrEnum):
    PENDING = "pending"  # a code went to the ABHA's mobile; nobody has answered yet
    AUTHORISED = "authorised"  # the person said YES by SMS: the facility may take its token
    ISSUED = "issued"  # the facility holds its link token
    FAILED = "failed"  # too many wrong codes: a new request is needed


class LinkRequest(Model):
    """A facility asking a person to let it add visits to their ABHA (ABDM's link token).

    Why `person` may be null: a request for an ABHA that does not exist (or is not in use) is
    kept like any other, with a code nobody was sent, so its answers are the same as for a real
    one and the API tells no facility which ABHAs exist. The token is kept only as a keyed hash.
    """

    id = fields.CharField(max_length=36, primary_key=True)
    facility: fields.ForeignKeyRelation[Facility] = fields.ForeignKeyField(
        "facilities.Facility", related_name="link_requests", on_delete=fields.RESTRICT
    )
    person: fields.ForeignKeyNullableRelation[Person] = fields.ForeignKeyField(
        "healthid.Person", related_name="link_requests", null=True, on_delete=fields.RESTRICT
    )
    code_salt = fields.CharField(max_length=32)
    code_hash = fields.CharField(max_length=64)
    attempts = fields.SmallIntField(default=0)
    status = fields.CharEnumField(LinkStatus, max_length=12, default=LinkStatus.PENDING)
    created_at = fields.DatetimeField()
    #: Until when the code (typed at the desk, or "YES <code>" by SMS) is good.
    expires_at = fields.DatetimeField()
    token_hash = fields.CharField(max_length=64, null=True, unique=True)
    token_expires_at = fields.DatetimeField(null=True)

    class Meta:
        table = "records_link_request"

    def __str__(self) -> str:
        return f"LinkRequest({self.id}, {self.status})"
