"""The JSON shapes of the professionals registry on the partner API, and how a registry view
becomes one: kept apart from the handlers so the OpenAPI document and the handlers share one
definition of every body."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field
from pydantic.config import JsonDict

from core.facilities import lgd
from core.professionals.application import (
    EARLIEST_YEAR,
    MAX_EXPERIENCE,
    MAX_PLACES,
    MAX_QUALIFICATIONS,
    Qualification,
)
from core.professionals.councils import COUNCILS
from core.professionals.masters import SPECIALISATIONS, SYSTEMS_OF_MEDICINE
from core.professionals.models import ProfessionalStatus
from core.professionals.ports import FacilityCard
from core.professionals.views import DoctorListing, ProfessionalView
from webhooks.api.schemas import Body, PageLinks, shape

Language = Literal["en", "hi"]
_TXN = Field(min_length=1, max_length=36, description="The id `mobile-otp` answered.")
#: The shapes core.professionals.application.clean accepts, stated for the document only
#: (`webhooks.api.schemas.shape`): it strips and upper-cases some of them, so these patterns
#: allow the spaces and the case it forgives.
REGISTRATION_PATTERN = r"^\s*[A-Za-z0-9][A-Za-z0-9/.\-]{0,31}\s*$"
EMAIL_PATTERN = r"^(\s*[A-Za-z0-9._%+\-]{1,64}@[A-Za-z0-9\-]{1,63}(\.[A-Za-z0-9\-]{1,63})+\s*)?$"
FACILITY_ID_PATTERN = r"^\s*[Ii][Nn][0-9]{10}\s*$"
HANDLE_PATTERN = r"^(\s*[A-Za-z0-9._]{4,24}(@[Hh][Pp][Rr])?\s*)?$"
OTP_PATTERN = r"^[0-9]{6}$"
FacilityId = Annotated[str, Field(json_schema_extra=shape(pattern=FACILITY_ID_PATTERN))]


def _a_year(schema: JsonDict) -> None:
    """From 1900 to this year (core.professionals.application.clean_year), worked out each
    time the document is built, so it never lags behind a new year by more than a restart."""
    schema.update(minimum=EARLIEST_YEAR, maximum=dt.date.today().year)


def _text(maximum: int) -> Any:
    """Free text core keeps to 1-`maximum` characters once spaces are collapsed."""
    return shape(minLength=1, maxLength=maximum, pattern=r"\S")


def _codes(values: Sequence[str], description: str, default: str | None = None) -> Any:
    """A field whose value is one of a master list's codes; core refuses any other."""
    enum: dict[str, Any] = {"enum": list(values)}
    if default is None:
        return Field(description=description, json_schema_extra=enum)
    return Field(default, description=description, json_schema_extra=enum)


# --- bodies ------------------------------------------------------------------------------------


class MobileOtpRequest(Body):
    """Send the OTP that proves a doctor's mobile (the first step of registering)."""

    mobile: str = Field(description="An Indian mobile number.", examples=["98765 43210"])
    language: Language = Field(default="en", description="The language of the SMS.")


class MobileOtpSent(Body):
    txn_id: str
    masked_mobile: str = Field(examples=["******3210"])
    expires_at: dt.datetime
    resend_at: dt.datetime = Field(description="A new code may be asked for from then on.")


class MobileOtpCheck(Body):
    """The code the SMS carried, for the transaction it belongs to."""

    txn_id: str = _TXN
    otp: str = Field(
        description="Six digits.", examples=["123456"], json_schema_extra=shape(pattern=OTP_PATTERN)
    )


class MobileProof(Body):
    """Proof of the mobile: send `mobile_proof` with the registration, once, before
    `valid_until`."""

    mobile_proof: str
    masked_mobile: str
    valid_until: dt.datetime


class QualificationBody(Body):
    degree: str = Field(examples=["MBBS"], json_schema_extra=_text(80))
    institution: str = Field(
        description="College or institution, stored as sent.", json_schema_extra=_text(120)
    )
    university: str = Field(json_schema_extra=_text(120))
    year: int = Field(description="From 1900 to this year.", json_schema_extra=_a_year)


class ProfessionalRegistration(Body):
    """A doctor registering; it waits (PENDING) for the council's officer to verify it."""

    name: str = Field(
        description="2-100 characters: letters, spaces and . ' - only.",
        examples=["Asha Rao"],
        json_schema_extra=shape(minLength=2, maxLength=100),
    )
    mobile: str = Field(description="The mobile proved by `mobile_proof`.")
    council: str = _codes(tuple(COUNCILS), "NMC, or a state council's ISO 3166-2:IN code.")
    registration_number: str = Field(
        description="Letters, digits and / . - (at least one digit), up to 32.",
        examples=["UP/2012/1234"],
        json_schema_extra=shape(pattern=REGISTRATION_PATTERN),
    )
    registration_year: int = Field(description="From 1900 to this year.", json_schema_extra=_a_year)
    qualifications: list[QualificationBody] = Field(
        description="1 to 10.", json_schema_extra=shape(minItems=1, maxItems=MAX_QUALIFICATIONS)
    )
    specialisation: str = _codes(SPECIALISATIONS, "A specialisation code.")
    years_of_experience: int = Field(
        description="0-70.", json_schema_extra=shape(minimum=0, maximum=MAX_EXPERIENCE)
    )
    system_of_medicine: str = _codes(SYSTEMS_OF_MEDICINE, "A system code.", default="modern")
    email: str | None = Field(default=None, json_schema_extra=shape(pattern=EMAIL_PATTERN))
    facility_ids: list[FacilityId] = Field(
        default_factory=list,
        description="HFR ids, at most 10.",
        json_schema_extra=shape(maxItems=MAX_PLACES),
    )
    language: Language = Field(default="en", description="Of the decision's SMS.")
    handle: str | None = Field(
        default=None,
        description="Wanted HPR address (`dr.rao`): 4-24 of a-z 0-9 . _ (one . and one _ at "
        "most), optionally followed by @hpr.",
        json_schema_extra=shape(pattern=HANDLE_PATTERN),
    )
    mobile_proof: str = _TXN


class ProfessionalRecord(Body):
    """A registration as its registrant sees it (the mobile masked)."""

    hpr_id: str = Field(description="14 digits.")
    hpr_address: str = Field(examples=["asha.rao@hpr"])
    name: str
    mobile: str
    email: str | None
    council: str
    registration_number: str
    registration_year: int
    qualifications: list[QualificationBody]
    specialisation: str
    system_of_medicine: str
    years_of_experience: int
    facility_ids: list[str]
    status: ProfessionalStatus
    rejection_reason: str | None
    registered_at: dt.datetime
    decided_at: dt.datetime | None


class Workplace(Body):
    """A VERIFIED facility a doctor works at: where to go, whom to call."""

    id: str
    name: str
    phone: str = Field(description="E.164.")
    address: str
    district_code: int
    district_name: str | None
    pincode: str


class PublicProfessional(Body):
    """A VERIFIED doctor as anyone may see them (no mobile, no email)."""

    hpr_id: str
    hpr_address: str
    name: str
    council: str
    council_name: str
    registration_number: str
    registration_year: int
    qualifications: list[QualificationBody]
    specialisation: str
    system_of_medicine: str
    years_of_experience: int
    places: list[Workplace] = Field(description="Verified places of work, in the doctor's order.")
    verified_at: dt.datetime | None


class DoctorSummary(Body):
    hpr_id: str
    name: str
    specialisation: str
    system_of_medicine: str
    years_of_experience: int
    degrees: list[str]
    facility: Workplace = Field(description="Where this doctor works in the area searched.")


class ProfessionalPage(PageLinks):
    """One page of VERIFIED doctors of a specialisation in an area, by name."""

    items: list[DoctorSummary]


REQUESTS: tuple[type[BaseModel], ...] = (
    MobileOtpRequest,
    MobileOtpCheck,
    ProfessionalRegistration,
)
RESPONSES: tuple[type[BaseModel], ...] = (
    MobileOtpSent,
    MobileProof,
    ProfessionalRecord,
    PublicProfessional,
    ProfessionalPage,
)


# --- presenting -------------------------------------------------------------------------------


def _qualifications(items: Sequence[Qualification]) -> list[QualificationBody]:
    return [
        QualificationBody(
            degree=q.degree, institution=q.institution, university=q.university, year=q.year
        )
        for q in items
    ]


def workplace(card: FacilityCard) -> Workplace:
    district = lgd.district(card.district_code)
    return Workplace(
        id=card.facility_id,
        name=card.name,
        phone=card.phone,
        address=card.address,
        district_code=card.district_code,
        pincode=card.pincode,
        district_name=lgd.name(district, "en") if district else None,
    )


def public_professional(
    view: ProfessionalView, places: Sequence[FacilityCard]
) -> PublicProfessional:
    return PublicProfessional(
        hpr_id=view.hpr_id,
        hpr_address=view.hpr_address,
        name=view.name,
        council=view.council,
        council_name=COUNCILS[view.council].name,
        registration_number=view.registration_number,
        registration_year=view.registration_year,
        qualifications=_qualifications(view.qualifications),
        specialisation=view.specialisation,
        system_of_medicine=view.system_of_medicine,
        years_of_experience=view.years_of_experience,
        places=[workplace(c) for c in places],
        verified_at=view.decided_at,
    )


def doctor_summary(doctor: DoctorListing) -> DoctorSummary:
    return DoctorSummary(
        hpr_id=doctor.hpr_id,
        name=doctor.name,
        specialisation=doctor.specialisation,
        system_of_medicine=doctor.system_of_medicine,
        years_of_experience=doctor.years_of_experience,
        degrees=list(doctor.degrees),
        facility=workplace(doctor.facility),
    )
