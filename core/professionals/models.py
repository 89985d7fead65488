"""What the professionals registry stores: doctors, their places of work, council officers and
the officers' console sessions.

Why uniqueness lives in the database: two registrations of one council number arriving at the
same moment cannot both pass a check-then-insert, but only one can pass
`unique_together = (council, registration_number)`. The HPR id, the handle and the OTP proof of
the mobile are unique for the same reason.

Why sessions here and not in the state store: a session is a grant of power over a council's
queue; revoking it (sign-out, a disabled officer) must be as durable as the officer row itself,
and it needs an officer to point at. Only a hash of the session token is stored, so a database
dump holds no cookie anybody can replay.

Timestamps come from the injected clock, never `auto_now`, so tests can freeze time.
"""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model


class ProfessionalStatus(StrEnum):
    PENDING = "PENDING"
    VERIFIED = "VERIFIED"
    REJECTED = "REJECTED"


class Professional(Model):
    id = fields.IntField(primary_key=True)
    hpr_id = fields.CharField(max_length=14, unique=True)
    #: Lower-case local part of the HPR address (`asha.rao` of `asha.rao@hpr`).
    handle = fields.CharField(max_length=24, unique=True)
    name = fields.CharField(max_length=100)
    mobile = fields.CharField(max_length=16, db_index=True)  # E.164
    #: The verified OTP transaction that proved the mobile (one registration per proof).
    mobile_txn_id = fields.CharField(max_length=36, unique=True)
    email = fields.CharField(max_length=254, null=True)
    council = fields.CharField(max_length=4, db_index=True)
    registration_number = fields.CharField(max_length=32)
    registration_year = fields.SmallIntField()
    #: `[{"degree", "institution", "university", "year"}, ...]` in the order given.
    qualifications: fields.Field[list[dict[str, object]]] = fields.JSONField(default=list)
    specialisation = fields.CharField(max_length=32, db_index=True)
    system_of_medicine = fields.CharField(max_length=16)
    years_of_experience = fields.SmallIntField()
    language = fields.CharField(max_length=8, default="en")
    notify_channel = fields.CharField(max_length=16)
    notify_address = fields.CharField(max_length=32)

    status = fields.CharEnumField(
        ProfessionalStatus, max_length=8, default=ProfessionalStatus.PENDING, db_index=True
    )
    rejection_reason = fields.CharField(max_length=500, null=True)
    #: `officer:<COUNCIL>:<username>` of whoever decided.
    decided_by = fields.CharField(max_length=64, null=True)
    decided_at = fields.DatetimeField(null=True, db_index=True)

    registered_channel = fields.CharField(max_length=16)
    registered_by = fields.CharField(max_length=64)
    created_at = fields.DatetimeField()
    updated_at = fields.DatetimeField()

    places: fields.ReverseRelation[PlaceOfWork]

    class Meta:
        table = "hpr_professional"
        unique_together = (("council", "registration_number"),)

    def __str__(self) -> str:
        return f"Professional({self.hpr_id}, {self.council}, {self.status})"


class PlaceOfWork(Model):
    """A facility (HFR id) the doctor works at: "find a doctor" reaches them through it."""

    id = fields.IntField(primary_key=True)
    professional: fields.ForeignKeyRelation[Professional] = fields.ForeignKeyField(
        "professionals.Professional", related_name="places", on_delete=fields.CASCADE
    )
    facility_id = fields.CharField(max_length=12, db_index=True)
    #: The order the doctor gave: the first is where they are mainly found.
    position = fields.SmallIntField()

    class Meta:
        table = "hpr_place_of_work"
        unique_together = (("professional", "facility_id"),)


class CouncilOfficer(Model):
    """A council's staff account for the verification console (created by `arogya admin`)."""

    id = fields.IntField(primary_key=True)
    username = fields.CharField(max_length=32, unique=True)  # lower case
    council = fields.CharField(max_length=4, db_index=True)
    #: `scrypt$n$r$p$salt$hash` (see core.professionals.passwords).
    password_hash = fields.CharField(max_length=200)
    failed_attempts = fields.SmallIntField(default=0)
    locked_until = fields.DatetimeField(null=True)
    active = fields.BooleanField(default=True)
    created_at = fields.DatetimeField()
    last_sign_in_at = fields.DatetimeField(null=True)

    sessions: fields.ReverseRelation[OfficerSession]

    class Meta:
        table = "hpr_council_officer"

    def __str__(self) -> str:
        return f"CouncilOfficer({self.username}, {self.council})"


class OfficerSession(Model):
    """A signed-in console session, found by the SHA-256 of its cookie token."""

    token_hash = fields.CharField(max_length=64, primary_key=True)
    officer: fields.ForeignKeyRelation[CouncilOfficer] = fields.ForeignKeyField(
        "professionals.CouncilOfficer", related_name="sessions", on_delete=fields.CASCADE
    )
    #: The per-session CSRF token every form must echo.
    csrf_token = fields.CharField(max_length=64)
    language = fields.CharField(max_length=8, default="en")
    created_at = fields.DatetimeField()
    last_seen_at = fields.DatetimeField()
    #: The absolute end, however active the officer is.
    expires_at = fields.DatetimeField(db_index=True)

    class Meta:
        table = "hpr_council_session"
