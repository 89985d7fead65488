"""What the consent manager stores: requests, the artefacts a grant creates, and the HIU
callbacks still to deliver.

Why a request and its artefacts are separate rows: a person answers one request, but a grant
becomes one artefact per HIP (ABDM's rule), each with its own scope (the HIP's care contexts)
and its own signature. Every record a HIU fetches is checked against one artefact's row.

Why a short `code` per request: a feature phone answers by SMS ("YES 4F7K"); the code is unique
among one person's requests, so a replayed or mistyped code is recognised, never guessed into
another person's request (the lookup is always within the sender's own Health IDs).

Why callbacks are an outbox: a status change and the row announcing it to the HIU are written in
one transaction, so a HIU that is down misses nothing and is told each change once per event id.
Timestamps come from the injected clock. No semicolons in docstrings or `#:` comments: they
become SQL comments and tortoise's SQLite schema editor splits migrations on them.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from core.facilities.models import Facility
    from core.healthid.models import Person


class ConsentStatus(StrEnum):
    REQUESTED = "REQUESTED"
    GRANTED = "GRANTED"
    DENIED = "DENIED"
    REVOKED = "REVOKED"
    EXPIRED = "EXPIRED"


class CallbackStatus(StrEnum):
    PENDING = "PENDING"
    SENT = "SENT"
    #: Refused for good by the HIU (a 4xx), out of attempts, or no callback URL any more.
    FAILED = "FAILED"


class ConsentRequest(Model):
    """One HIU's request for one person's records, and that person's answer."""

    seq = fields.BigIntField(primary_key=True)
    id = fields.CharField(max_length=36, unique=True)
    #: Four characters the person types to answer by SMS, unique among their requests.
    code = fields.CharField(max_length=4)
    person: fields.ForeignKeyRelation[Person] = fields.ForeignKeyField(
        "healthid.Person", related_name="consent_requests", on_delete=fields.RESTRICT
    )
    hiu: fields.ForeignKeyRelation[Facility] = fields.ForeignKeyField(
        "facilities.Facility", related_name="consent_requests", on_delete=fields.RESTRICT
    )
    #: The HIU's own requestId, unique per HIU: a retried call creates nothing new.
    hiu_request_id = fields.CharField(max_length=64)
    #: Digest of the checked request, to tell a retry from a different request reusing an id.
    request_digest = fields.CharField(max_length=64)
    purpose = fields.CharField(max_length=8)
    purpose_text = fields.CharField(max_length=100, null=True)
    requester_name = fields.CharField(max_length=100)
    requester_council = fields.CharField(max_length=4)
    #: The requester's identifier.system as the HIU sent it, echoed unchanged in artefacts.
    requester_system = fields.CharField(max_length=100, null=True)
    #: ABDM's optional hip and careContexts: the request reaches only that HIP, those visits.
    reach: fields.Field[dict[str, object]] = fields.JSONField(null=True)
    requester_number = fields.CharField(max_length=32)
    hi_types: fields.Field[list[str]] = fields.JSONField(default=list)
    access_mode = fields.CharField(max_length=8)
    #: Calendar days in India (IST), both included.
    date_from = fields.DateField()
    date_to = fields.DateField()
    erase_at = fields.DatetimeField(db_index=True)
    #: ABDM's {unit, value, repeats}, kept as sent.
    frequency: fields.Field[dict[str, object]] = fields.JSONField(default=dict)
    status = fields.CharEnumField(ConsentStatus, max_length=16, db_index=True)
    #: An unanswered request expires at this moment.
    deadline = fields.DatetimeField(db_index=True)
    created_at = fields.DatetimeField()
    decided_at = fields.DatetimeField(null=True)
    decided_channel = fields.CharField(max_length=16, null=True)
    updated_at = fields.DatetimeField()

    artefacts: fields.ReverseRelation[ConsentArtefact]

    class Meta:
        table = "consent_request"
        unique_together = (("hiu", "hiu_request_id"), ("person", "code"))

    def __str__(self) -> str:
        return f"ConsentRequest({self.id}, {self.status})"


class ConsentArtefact(Model):
    """What one HIP may release to one HIU under a grant, signed."""

    seq = fields.BigIntField(primary_key=True)
    id = fields.CharField(max_length=36, unique=True)
    request: fields.ForeignKeyRelation[ConsentRequest] = fields.ForeignKeyField(
        "consent.ConsentRequest", related_name="artefacts", on_delete=fields.RESTRICT
    )
    person: fields.ForeignKeyRelation[Person] = fields.ForeignKeyField(
        "healthid.Person", related_name="consent_artefacts", on_delete=fields.RESTRICT
    )
    hiu: fields.ForeignKeyRelation[Facility] = fields.ForeignKeyField(
        "facilities.Facility", related_name="artefacts_as_hiu", on_delete=fields.RESTRICT
    )
    hip: fields.ForeignKeyRelation[Facility] = fields.ForeignKeyField(
        "facilities.Facility", related_name="artefacts_as_hip", on_delete=fields.RESTRICT
    )
    hi_types: fields.Field[list[str]] = fields.JSONField(default=list)
    date_from = fields.DateField()
    date_to = fields.DateField()
    erase_at = fields.DatetimeField()
    #: Ids of the HIP's care contexts this artefact covers, fixed at the grant.
    care_contexts: fields.Field[list[str]] = fields.JSONField(default=list)
    status = fields.CharEnumField(ConsentStatus, max_length=16, db_index=True)
    #: The artefact as a compact JWS (EdDSA), as sent to the HIU.
    signed = fields.TextField()
    created_at = fields.DatetimeField()
    updated_at = fields.DatetimeField()

    class Meta:
        table = "consent_artefact"

    def __str__(self) -> str:
        return f"ConsentArtefact({self.id}, {self.status})"


class ConsentCallback(Model):
    """One status change to POST to the HIU's callback URL, with retries."""

    seq = fields.BigIntField(primary_key=True)
    #: The event id the HIU sees, the same on every retry, so it applies the event once.
    id = fields.CharField(max_length=36, unique=True)
    request: fields.ForeignKeyRelation[ConsentRequest] = fields.ForeignKeyField(
        "consent.ConsentRequest", related_name="callbacks", on_delete=fields.RESTRICT
    )
    hiu: fields.ForeignKeyRelation[Facility] = fields.ForeignKeyField(
        "facilities.Facility", related_name="consent_callbacks", on_delete=fields.RESTRICT
    )
    #: The request's status this event announces.
    event = fields.CharEnumField(ConsentStatus, max_length=16)
    payload: fields.Field[dict[str, object]] = fields.JSONField(default=dict)
    #: Request id and status: one change is announced once, however often it is queued.
    dedupe_key = fields.CharField(max_length=64, unique=True)
    status = fields.CharEnumField(CallbackStatus, max_length=8, default=CallbackStatus.PENDING)
    attempts = fields.IntField(default=0)
    next_attempt_at = fields.DatetimeField(db_index=True)
    claimed_until = fields.DatetimeField(null=True)
    last_error = fields.CharField(max_length=200, null=True)
    created_at = fields.DatetimeField()
    sent_at = fields.DatetimeField(null=True)

    class Meta:
        table = "consent_callback"

    def __str__(self) -> str:
        return f"ConsentCallback({self.id}, {self.event}, {self.status})"
