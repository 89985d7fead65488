"""What the Health ID registry stores: people, and enrolments still in progress.

Why a draft table: a conversation's state must stay under 1 KB and may live in Redis, so it
keeps only a draft id; the eKYC demographics, the Aadhaar HMAC and the PIN hash of an
enrolment in progress stay here, with an expiry.

Why tombstones: a deleted ABHA keeps its row with every demographic (and the Aadhaar HMAC)
wiped, so its number and address are never issued to anyone else.

Uniqueness is the database's job (ABHA number, address, Aadhaar HMAC): two concurrent
enrolments cannot both pass a check-then-insert, but only one can pass a unique constraint.
Timestamps are set from the injected clock, never `auto_now`, so tests can freeze time.

No `;` in model docstrings or `#:` comments: they become SQL table/column comments, and
tortoise's SQLite schema editor splits a migration's SQL on `;`.
"""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model


class Gender(StrEnum):
    MALE = "M"
    FEMALE = "F"
    OTHER = "O"


class Kyc(StrEnum):
    VERIFIED = "verified"  # demographics from Aadhaar eKYC
    SELF_DECLARED = "self_declared"  # typed by the person after a mobile OTP


class PersonStatus(StrEnum):
    ACTIVE = "active"
    DEACTIVATED = "deactivated"  # the holder paused it; reactivation restores it
    DELETED = "deleted"  # a tombstone: demographics wiped, number never reissued


class Person(Model):
    id = fields.IntField(primary_key=True)
    abha_number = fields.CharField(max_length=14, unique=True)
    address = fields.CharField(max_length=40, unique=True)  # lowercased `handle@suffix`
    aadhaar_hmac = fields.CharField(max_length=64, unique=True, null=True)
    aadhaar_last4 = fields.CharField(max_length=4, null=True)

    first_name = fields.CharField(max_length=100, default="")
    middle_name = fields.CharField(max_length=100, null=True)
    last_name = fields.CharField(max_length=100, null=True)
    gender = fields.CharEnumField(Gender, max_length=1, null=True)
    year_of_birth = fields.SmallIntField(null=True)
    month_of_birth = fields.SmallIntField(null=True)
    day_of_birth = fields.SmallIntField(null=True)
    email = fields.CharField(max_length=254, null=True)
    address_line = fields.CharField(max_length=255, null=True)
    state_lgd = fields.IntField(null=True)
    district_lgd = fields.IntField(null=True)
    pin_code = fields.CharField(max_length=6, null=True)
    mobile = fields.CharField(max_length=16, null=True, db_index=True)  # E.164

    kyc = fields.CharEnumField(Kyc, max_length=16)
    language = fields.CharField(max_length=8, default="en")
    pin_hash = fields.CharField(max_length=200, null=True)
    pin_failures = fields.SmallIntField(default=0)
    pin_locked_until = fields.DatetimeField(null=True)

    status = fields.CharEnumField(PersonStatus, max_length=16, default=PersonStatus.ACTIVE)
    created_at = fields.DatetimeField()
    updated_at = fields.DatetimeField()
    deleted_at = fields.DatetimeField(null=True)

    class Meta:
        table = "healthid_person"


class EnrolmentDraft(Model):
    """An enrolment between its first OTP and `finish`, deleted when it becomes a Person."""

    id = fields.CharField(max_length=32, primary_key=True)
    txn_id = fields.CharField(max_length=64, unique=True)  # the OTP transaction that opened it
    kyc = fields.CharEnumField(Kyc, max_length=16)
    mobile = fields.CharField(max_length=16)  # E.164
    mobile_verified = fields.BooleanField(default=False)
    aadhaar_hmac = fields.CharField(max_length=64, null=True, db_index=True)
    aadhaar_last4 = fields.CharField(max_length=4, null=True)
    #: The demographics (eKYC or self-declared) as `Demographics.to_json()`, null until known.
    demographics: fields.Field[dict[str, object] | None] = fields.JSONField(null=True)
    address = fields.CharField(max_length=40, null=True)
    pin_hash = fields.CharField(max_length=200, null=True)
    language = fields.CharField(max_length=8, default="en")
    channel = fields.CharField(max_length=16)
    created_at = fields.DatetimeField()
    expires_at = fields.DatetimeField(db_index=True)

    class Meta:
        table = "healthid_enrolment_draft"
