"""What the worker registry stores: workers, their officers and sessions, and the enrolments
a worker made on behalf of someone else.

Why a registry of its own: ABDM has no idea of a health worker (docs/abdm.md), so who may use
"Enrol someone" is Arogya's own rule. A worker is PENDING until an officer of the facility or
district she serves verifies her; an officer may later withdraw that. Every state change is a
conditional UPDATE on the state read, so two officers deciding at once have one effect.

Why an enrolment log: `registered_by` must be kept for every ABHA a worker made, and her day
(started, finished, failed and why) must survive a dropped USSD session so she can come back
to one waiting for an OTP.

No `;` in model docstrings or `#:` comments: they become SQL comments (see core.healthid.models).
"""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model


class WorkerRole(StrEnum):
    ASHA = "ASHA"
    ANM = "ANM"
    CHO = "CHO"


class WorkerStatus(StrEnum):
    PENDING = "PENDING"
    VERIFIED = "VERIFIED"
    REJECTED = "REJECTED"
    WITHDRAWN = "WITHDRAWN"


class ConsentKind(StrEnum):
    AADHAAR = "aadhaar"  # the beneficiary's Aadhaar OTP
    MOBILE = "mobile"  # an OTP to the beneficiary's own mobile
    ATTESTED = "attested"  # no phone: read aloud, a spoken yes the worker attests to


class AssistedState(StrEnum):
    STARTED = "started"
    WAITING_OTP = "waiting_otp"
    FINISHED = "finished"
    FOUND = "found"  # the beneficiary already had an ABHA (same Aadhaar)
    FAILED = "failed"


class Worker(Model):
    """A health worker and the place she serves."""

    id = fields.IntField(primary_key=True)
    #: W + 9 random digits, what an officer and the worker quote.
    worker_id = fields.CharField(max_length=10, unique=True)
    name = fields.CharField(max_length=100)
    role = fields.CharEnumField(WorkerRole, max_length=4)
    #: E.164, proved by an OTP. One registration per mobile.
    mobile = fields.CharField(max_length=16, unique=True)
    mobile_txn_id = fields.CharField(max_length=36, unique=True)
    #: The HFR id of the facility she serves, if she named one.
    facility_id = fields.CharField(max_length=12, null=True, db_index=True)
    #: The LGD district she serves (the facility's district when she named a facility).
    district_lgd = fields.IntField(db_index=True)
    language = fields.CharField(max_length=8, default="en")
    status = fields.CharEnumField(
        WorkerStatus, max_length=9, default=WorkerStatus.PENDING, db_index=True
    )
    reason = fields.CharField(max_length=500, null=True)
    decided_by = fields.CharField(max_length=64, null=True)
    decided_at = fields.DatetimeField(null=True)
    registered_channel = fields.CharField(max_length=16)
    created_at = fields.DatetimeField()
    updated_at = fields.DatetimeField()

    class Meta:
        table = "workers_worker"


class WorkerOfficer(Model):
    """An officer of one facility or one district who verifies its workers at the console."""

    id = fields.IntField(primary_key=True)
    username = fields.CharField(max_length=32, unique=True)
    facility_id = fields.CharField(max_length=12, null=True)
    district_lgd = fields.IntField(null=True)
    password_hash = fields.CharField(max_length=200)
    active = fields.BooleanField(default=True)
    failed_attempts = fields.SmallIntField(default=0)
    locked_until = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField()
    last_sign_in_at = fields.DatetimeField(null=True)

    class Meta:
        table = "workers_officer"


class WorkerOfficerSession(Model):
    """A console session: only the SHA-256 of the cookie token is kept."""

    token_hash = fields.CharField(max_length=64, primary_key=True)
    officer: fields.ForeignKeyRelation[WorkerOfficer] = fields.ForeignKeyField(
        "workers.WorkerOfficer", related_name="sessions", on_delete=fields.CASCADE
    )
    csrf_token = fields.CharField(max_length=48)
    language = fields.CharField(max_length=8, default="en")
    created_at = fields.DatetimeField()
    last_seen_at = fields.DatetimeField()
    expires_at = fields.DatetimeField(db_index=True)

    class Meta:
        table = "workers_officer_session"


class AssistedEnrolment(Model):
    """One enrolment a worker made or began on behalf of a beneficiary."""

    id = fields.CharField(max_length=32, primary_key=True)
    worker: fields.ForeignKeyRelation[Worker] = fields.ForeignKeyField(
        "workers.Worker", related_name="enrolments", on_delete=fields.RESTRICT
    )
    consent = fields.CharEnumField(ConsentKind, max_length=8)
    state = fields.CharEnumField(AssistedState, max_length=11, default=AssistedState.STARTED)
    #: The refusal code of a failed enrolment (otp.locked, mobile.cap_reached, ...).
    reason = fields.CharField(max_length=64, null=True)
    #: The beneficiary's mobile (E.164), null for a person with no phone.
    beneficiary_mobile = fields.CharField(max_length=16, null=True)
    #: The OTP transaction waiting for the beneficiary's code, kept to come back to it.
    txn_id = fields.CharField(max_length=36, null=True)
    #: The ABHA made or found: registered_by is this row's worker.
    abha_number = fields.CharField(max_length=14, null=True, db_index=True)
    #: When the worker attested the spoken consent (the attested path only).
    attested_at = fields.DatetimeField(null=True)
    started_at = fields.DatetimeField(db_index=True)
    updated_at = fields.DatetimeField()

    class Meta:
        table = "workers_assisted_enrolment"
