"""What the Health Facility Registry stores: facilities and their partner API keys.

Why an explicit status machine: only a facility an administrator has VERIFIED may push records
or ask for consent (docs/design.md §2), so the status is the one fact every partner call checks.
Transitions are conditional updates (`WHERE status = ...`), so two administrators acting at once
cannot both win.

Why keys in their own table: a key is shown once and kept only as a hash; rotating one revokes
the old row and adds a new one, so the history of who could act as a facility survives.
Timestamps come from the injected clock, never `auto_now`, so tests can freeze time.
"""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model


class FacilityType(StrEnum):
    HOSPITAL = "hospital"
    CLINIC = "clinic"
    DIAGNOSTIC_LAB = "diagnostic_lab"
    IMAGING_CENTRE = "imaging_centre"
    PHARMACY = "pharmacy"
    BLOOD_BANK = "blood_bank"
    #: Ayushman Arogya Mandir (formerly Health and Wellness Centre).
    HEALTH_WELLNESS_CENTRE = "health_wellness_centre"
    SUB_CENTRE = "sub_centre"
    PRIMARY_HEALTH_CENTRE = "primary_health_centre"
    COMMUNITY_HEALTH_CENTRE = "community_health_centre"
    NURSING_HOME = "nursing_home"
    DENTAL_CLINIC = "dental_clinic"


class Ownership(StrEnum):
    PUBLIC = "public"
    PRIVATE = "private"


class SystemOfMedicine(StrEnum):
    """HFR's systems of medicine: modern medicine and the AYUSH systems."""

    MODERN_MEDICINE = "modern_medicine"
    AYURVEDA = "ayurveda"
    YOGA_NATUROPATHY = "yoga_naturopathy"
    UNANI = "unani"
    SIDDHA = "siddha"
    HOMOEOPATHY = "homoeopathy"
    SOWA_RIGPA = "sowa_rigpa"


class FacilityStatus(StrEnum):
    DRAFT = "DRAFT"
    SUBMITTED = "SUBMITTED"
    VERIFIED = "VERIFIED"
    #: Refused by an administrator, with a reason; may be corrected and submitted again.
    REJECTED = "REJECTED"


class Facility(Model):
    #: `IN` + the state's two-digit LGD code + 8 random digits (see core.facilities.ids).
    id = fields.CharField(max_length=12, primary_key=True)
    name = fields.CharField(max_length=200, db_index=True)
    facility_type = fields.CharEnumField(FacilityType, max_length=32, db_index=True)
    ownership = fields.CharEnumField(Ownership, max_length=16)
    system_of_medicine = fields.CharEnumField(SystemOfMedicine, max_length=24)
    specialities: fields.Field[list[str]] = fields.JSONField(default=list)
    services: fields.Field[list[str]] = fields.JSONField(default=list)
    address = fields.CharField(max_length=300)
    state_code = fields.SmallIntField()
    district_code = fields.SmallIntField(db_index=True)
    pincode = fields.CharField(max_length=6, db_index=True)
    phone = fields.CharField(max_length=16)  # E.164
    #: Where consent status changes are posted to this facility as a HIU: https, or loopback http.
    callback_url = fields.CharField(max_length=500, null=True)

    status = fields.CharEnumField(FacilityStatus, max_length=16, default=FacilityStatus.DRAFT)
    rejection_reason = fields.CharField(max_length=500, null=True)
    created_at = fields.DatetimeField()
    updated_at = fields.DatetimeField()
    submitted_at = fields.DatetimeField(null=True)
    decided_at = fields.DatetimeField(null=True)  # verified or rejected
    decided_by = fields.CharField(max_length=64, null=True)

    class Meta:
        table = "facilities_facility"

    def __str__(self) -> str:
        return f"Facility({self.id}, {self.name!r}, {self.status})"


class FacilityApiKey(Model):
    """One partner API key. The secret itself is never stored, only its SHA-256."""

    id = fields.IntField(primary_key=True)
    #: The public half of the key, used to find this row (see core.facilities.keys).
    key_id = fields.CharField(max_length=16, unique=True)
    facility: fields.ForeignKeyRelation[Facility] = fields.ForeignKeyField(
        "facilities.Facility", related_name="api_keys", on_delete=fields.RESTRICT
    )
    secret_hash = fields.CharField(max_length=64)
    created_at = fields.DatetimeField()
    revoked_at = fields.DatetimeField(null=True)

    class Meta:
        table = "facilities_api_key"

    def __str__(self) -> str:
        return f"FacilityApiKey({self.key_id}, revoked={self.revoked_at is not None})"
