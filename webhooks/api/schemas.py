"""The JSON bodies of the partner API, as pydantic models.

Why models: one declaration parses a request (strictly, unknown fields refused), serialises a
response, and becomes the JSON Schema in the OpenAPI document (`webhooks.api.openapi`), so the
document cannot drift from what the handlers accept and answer. Each class docstring is the
schema's description a partner reads; rules that need the registry (a PIN code's shape, a
district inside its state) stay in core and are refused there with the failing `field`.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

from core.facilities.models import FacilityStatus, FacilityType, Ownership, SystemOfMedicine
from core.records.hitypes import HiType


class Body(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


# --- requests ----------------------------------------------------------------------------------


class FacilityRegistration(Body):
    """A facility registering itself. It is queued for an administrator as SUBMITTED."""

    name: str = Field(description="3-200 characters.", examples=["Sanjeevani Hospital"])
    facility_type: FacilityType
    ownership: Ownership
    system_of_medicine: SystemOfMedicine
    address: str = Field(description="5-300 characters.")
    state_code: int = Field(description="LGD state code (Delhi 7, Uttar Pradesh 9).")
    district_code: int = Field(description="LGD district code, inside the state.")
    pincode: str = Field(description="Six digits, not starting with 0.", examples=["226004"])
    phone: str = Field(description="An Indian number, landline or mobile.")
    specialities: list[str] = Field(default_factory=list, description="At most 30 items.")
    services: list[str] = Field(default_factory=list, description="At most 30 items.")
    callback_url: str | None = Field(
        default=None, description="https (http only on loopback), without credentials."
    )


class Rejection(Body):
    """Why the facility is refused; the facility is told this reason."""

    reason: str = Field(description="3-500 characters.")


class CareContextLink(Body):
    """Links one visit at the facility to the person a link token names (the person
    authorised it: `POST /api/v1/hip/link-requests`). `abha_number` or `abha_address` may be
    given too, and must then name the same person. Linking the same reference again with the
    same details is harmless; with different details it is refused (409)."""

    reference: str = Field(
        description="The facility's own id for the visit: letters, digits and . _ : - "
        "(1-64, starting with a letter or digit); it is used in the documents URL.",
        examples=["OPD-2026-0001"],
    )
    display: str = Field(description="What the person sees, 1-200 characters.")
    hi_type: HiType = Field(description="The kind of documents this visit will hold.")
    date: dt.date = Field(description="The visit's date (not in the future).")
    link_token: str = Field(description="The token the person authorised (alt_...).")
    abha_number: str | None = Field(default=None, examples=["91-5555-1234-5678"])
    abha_address: str | None = Field(default=None, examples=["sunita.devi@abdm"])


# --- responses ---------------------------------------------------------------------------------


class PublicFacility(Body):
    """A VERIFIED facility as anyone may see it."""

    id: str = Field(description="IN + LGD state code + 8 digits.", examples=["IN0912345678"])
    name: str
    facility_type: FacilityType
    ownership: Ownership
    system_of_medicine: SystemOfMedicine
    specialities: list[str]
    services: list[str]
    address: str
    state_code: int
    state_name: str | None
    district_code: int
    district_name: str | None = Field(description="Null for a district not in our table.")
    pincode: str
    phone: str = Field(description="E.164.")


class FacilityRecord(PublicFacility):
    """A facility as its registrant and the administrator see it, whatever its status."""

    status: FacilityStatus
    rejection_reason: str | None
    callback_url: str | None
    created_at: dt.datetime
    submitted_at: dt.datetime | None
    decided_at: dt.datetime | None


class PageLinks(Body):
    page: int
    page_size: int
    total: int
    pages: int
    next: str | None = Field(description="The next page's URL (path and query), or null.")
    prev: str | None = Field(description="The previous page's URL, or null.")


class FacilityPage(PageLinks):
    """One page of public search results, by name."""

    items: list[PublicFacility]


class FacilityQueuePage(PageLinks):
    """One page of the administrator's list of facilities in one status, oldest first."""

    items: list[FacilityRecord]


class ApiKey(Body):
    """A partner API key, shown in this response only: store it now. Only its hash is kept."""

    key_id: str = Field(description="The public half, safe to log.")
    api_key: str = Field(description="afk_<key id>_<secret>: send as `Authorization: Bearer`.")


class KeyIssued(Body):
    """A new key for the facility; every older key of the facility stopped working."""

    facility: FacilityRecord
    key: ApiKey


class CareContext(Body):
    """A linked visit. The person's ABHA is not echoed back."""

    id: str
    reference: str
    display: str
    hi_type: HiType
    date: dt.date
    created_at: dt.datetime


class StoredDocument(Body):
    """The record a document became."""

    id: str = Field(description="The record id.")
    care_context: str = Field(description="The care context reference.")
    hi_type: HiType
    date: dt.date = Field(description="The Composition's date, as written.")
    display: str
    size: int = Field(description="Bytes, as sent.")
    created_at: dt.datetime


class DocumentReceipt(Body):
    """The answer to a document upload; a repeat with the same Idempotency-Key answers the
    same receipt with 200 instead of 201."""

    record: StoredDocument
    warnings: list[str] = Field(
        description="FHIR paths accepted under the tolerance table (e.g. a missing "
        "ImmunizationRecommendation forecastStatus from older HIPs)."
    )


class ErrorDetail(Body):
    code: str = Field(description="Stable, machine-readable.", examples=["facility.invalid"])
    message: str = Field(description="For a person, in the Accept-Language (en or hi).")
    field: str | None = Field(default=None, description="The field at fault, when one is.")
    paths: list[str] | None = Field(
        default=None, description="Every failing path (request.invalid, records.invalid_fhir)."
    )
    details: dict[str, str | int] | None = Field(
        default=None, description="Other facts: expected/found, max_kb, retry_after, status."
    )


class ErrorResponse(Body):
    """Every refusal, whatever its status."""

    error: ErrorDetail
