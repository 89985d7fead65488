"""What the facility service hands back: frozen views, and a new key shown exactly once.

Why views: the partner API serialises them and a flow may keep one in a reply; neither should
hold an ORM object that could be saved by accident, and neither ever sees a key hash.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from core.facilities.models import (
    Facility,
    FacilityStatus,
    FacilityType,
    Ownership,
    SystemOfMedicine,
)


@dataclass(frozen=True, slots=True)
class FacilityView:
    id: str
    name: str
    facility_type: FacilityType
    ownership: Ownership
    system_of_medicine: SystemOfMedicine
    specialities: tuple[str, ...]
    services: tuple[str, ...]
    address: str
    state_code: int
    district_code: int
    pincode: str
    phone: str
    callback_url: str | None
    status: FacilityStatus
    rejection_reason: str | None
    created_at: datetime
    submitted_at: datetime | None
    decided_at: datetime | None

    @property
    def is_verified(self) -> bool:
        return self.status is FacilityStatus.VERIFIED


@dataclass(frozen=True, slots=True)
class IssuedKey:
    """A partner API key in full. It exists only in this object: store it or lose it."""

    facility_id: str
    key_id: str
    api_key: str

    def __repr__(self) -> str:  # keep the secret out of logs and tracebacks
        return f"IssuedKey(facility_id={self.facility_id!r}, key_id={self.key_id!r}, api_key=***)"


def facility_view(facility: Facility) -> FacilityView:
    return FacilityView(
        id=facility.id,
        name=facility.name,
        facility_type=FacilityType(facility.facility_type),
        ownership=Ownership(facility.ownership),
        system_of_medicine=SystemOfMedicine(facility.system_of_medicine),
        specialities=tuple(facility.specialities),
        services=tuple(facility.services),
        address=facility.address,
        state_code=facility.state_code,
        district_code=facility.district_code,
        pincode=facility.pincode,
        phone=facility.phone,
        callback_url=facility.callback_url,
        status=FacilityStatus(facility.status),
        rejection_reason=facility.rejection_reason,
        created_at=facility.created_at,
        submitted_at=facility.submitted_at,
        decided_at=facility.decided_at,
    )
