"""Read-only views the registry hands out, so callers never hold (or save) an ORM row."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from core.healthid.mobile import mask
from core.professionals.application import Qualification
from core.professionals.identifiers import address, format_hpr_id
from core.professionals.models import Professional, ProfessionalStatus
from core.professionals.ports import FacilityCard

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page of a list; `number` counts from 1."""

    items: tuple[T, ...]
    number: int
    size: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.size))

    @property
    def has_next(self) -> bool:
        return self.number < self.pages

    @property
    def has_previous(self) -> bool:
        return self.number > 1


@dataclass(frozen=True, slots=True)
class ProfessionalView:
    hpr_id: str
    handle: str
    name: str
    mobile: str
    email: str | None
    council: str
    registration_number: str
    registration_year: int
    qualifications: tuple[Qualification, ...]
    specialisation: str
    system_of_medicine: str
    years_of_experience: int
    facility_ids: tuple[str, ...]
    language: str
    status: ProfessionalStatus
    rejection_reason: str | None
    decided_by: str | None
    decided_at: datetime | None
    created_at: datetime
    registered_channel: str

    @property
    def hpr_address(self) -> str:
        return address(self.handle)

    @property
    def formatted_hpr_id(self) -> str:
        return format_hpr_id(self.hpr_id)

    @property
    def masked_mobile(self) -> str:
        return mask(self.mobile)

    def as_json(self) -> dict[str, Any]:
        """The registration as the partner API shows it (the mobile masked)."""
        return {
            "hpr_id": self.hpr_id,
            "hpr_address": self.hpr_address,
            "name": self.name,
            "mobile": self.masked_mobile,
            "email": self.email,
            "council": self.council,
            "registration_number": self.registration_number,
            "registration_year": self.registration_year,
            "qualifications": [asdict(q) for q in self.qualifications],
            "specialisation": self.specialisation,
            "system_of_medicine": self.system_of_medicine,
            "years_of_experience": self.years_of_experience,
            "facility_ids": list(self.facility_ids),
            "status": self.status.value,
            "rejection_reason": self.rejection_reason,
            "registered_at": self.created_at.isoformat(),
            "decided_at": self.decided_at.isoformat() if self.decided_at else None,
        }


@dataclass(frozen=True, slots=True)
class DoctorListing:
    """A VERIFIED doctor as "find a doctor" lists them: where to go, whom to call."""

    hpr_id: str
    name: str
    specialisation: str
    system_of_medicine: str
    years_of_experience: int
    degrees: tuple[str, ...]
    facility: FacilityCard


def _qualification(item: dict[str, object]) -> Qualification:
    year = item["year"]
    return Qualification(
        degree=str(item["degree"]),
        institution=str(item["institution"]),
        university=str(item["university"]),
        year=year if isinstance(year, int) else int(str(year)),
    )


def view_of(row: Professional, facility_ids: Sequence[str]) -> ProfessionalView:
    return ProfessionalView(
        hpr_id=row.hpr_id,
        handle=row.handle,
        name=row.name,
        mobile=row.mobile,
        email=row.email,
        council=row.council,
        registration_number=row.registration_number,
        registration_year=row.registration_year,
        qualifications=tuple(_qualification(item) for item in row.qualifications),
        specialisation=row.specialisation,
        system_of_medicine=row.system_of_medicine,
        years_of_experience=row.years_of_experience,
        facility_ids=tuple(facility_ids),
        language=row.language,
        status=row.status,
        rejection_reason=row.rejection_reason,
        decided_by=row.decided_by,
        decided_at=row.decided_at,
        created_at=row.created_at,
        registered_channel=row.registered_channel,
    )
