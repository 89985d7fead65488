"""The JSON bodies of the partner API, as pydantic models.

Why models: one declaration parses a request (strictly, unknown fields refused), serialises a
response, and becomes the JSON Schema in the OpenAPI document (`webhooks.api.openapi`), so the
document cannot drift from what the handlers accept and answer. Each class docstring is the
schema's description a partner reads. The rules core enforces (a name's length, a PIN code's
shape) are refused there with the failing `field` and a domain code, because every door (a
flow, the CLI) must apply them; the document states them too, through `shape()`, so that a
client generated from it never sends what core refuses for its shape. `shape()` only writes the
schema: pydantic does not enforce it, so the server accepts exactly what it accepted before.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from core.facilities import lgd
from core.facilities.draft import ADDRESS_MAX, LIST_ITEM_MAX, LIST_MAX_ITEMS, NAME_MAX, URL_MAX
from core.facilities.models import FacilityStatus, FacilityType, Ownership, SystemOfMedicine
from core.facilities.service import REASON_MAX
from core.records.checks import DISPLAY_MAX, REFERENCE
from core.records.hitypes import HiType

#: A PIN code as core.facilities.draft.check_pincode accepts it once spaces are removed.
PINCODE_PATTERN = r"^[1-9][0-9]{5}$"
#: What check_callback_url can accept: blank (no callback), or an http(s) URL.
CALLBACK_PATTERN = r"^\s*([Hh][Tt][Tt][Pp][Ss]?://.*)?$"


def shape(**rules: int | str) -> Any:
    """JSON Schema keywords (minLength, maxLength, pattern, minimum, maximum, maxItems...)
    stating a rule core enforces, for the document only: see the module docstring."""
    return rules


class Body(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


_LIST = shape(maxItems=LIST_MAX_ITEMS)
#: A speciality or a service: check_list refuses an item that is blank once tidied.
ListItem = Annotated[
    str, Field(json_schema_extra=shape(minLength=1, maxLength=LIST_ITEM_MAX, pattern=r"\S"))
]


# --- requests ----------------------------------------------------------------------------------


class FacilityRegistration(Body):
    """A facility registering itself. It is queued for an administrator as SUBMITTED."""

    name: str = Field(
        description="3-200 characters, at least one a letter.",
        examples=["Sanjeevani Hospital"],
        json_schema_extra=shape(minLength=3, maxLength=NAME_MAX),
    )
    facility_type: FacilityType
    ownership: Ownership
    system_of_medicine: SystemOfMedicine
    address: str = Field(
        description="5-300 characters, at least one a letter.",
        json_schema_extra=shape(minLength=5, maxLength=ADDRESS_MAX),
    )
    state_code: int = Field(
        description="LGD state code (Delhi 7, Uttar Pradesh 9).",
        json_schema_extra=shape(minimum=1, maximum=99),
    )
    district_code: int = Field(
        description="LGD district code, inside the state.",
        json_schema_extra=shape(minimum=1, maximum=lgd.DISTRICT_CODE_MAX),
    )
    pincode: str = Field(
        description="Six digits, not starting with 0.",
        examples=["226004"],
        json_schema_extra=shape(pattern=PINCODE_PATTERN),
    )
    phone: str = Field(description="An Indian number, landline or mobile.")
    specialities: list[ListItem] = Field(
        default_factory=list,
        description="At most 30 items of 1-100 characters.",
        json_schema_extra=_LIST,
    )
    services: list[ListItem] = Field(
        default_factory=list,
        description="At most 30 items of 1-100 characters.",
        json_schema_extra=_LIST,
    )
    callback_url: str | None = Field(
        default=None,
        description="https (http only on loopback), without credentials.",
        json_schema_extra=shape(maxLength=URL_MAX, pattern=CALLBACK_PATTERN),
    )


class Rejection(Body):
    """Why the facility is refused; the facility is told this reason."""

    reason: str = Field(
        description="3-500 characters once spaces are collapsed.",
        json_schema_extra=shape(minLength=3, maxLength=REASON_MAX),
    )


class CareContextLink(Body):
    """Links one visit at the facility to the person a link token names (the person
    authorised it: `POST /api/v1/hip/link-requests`). `abha_number` or `abha_address` may be
    given too, and must then name the same person. Linking the same reference again with the
    same details is harmless; with different details it is refused (409)."""

    reference: str = Field(
        description="The facility's own id for the visit: letters, digits and . _ : - "
        "(1-64, starting with a letter or digit); it is used in the documents URL.",
        examples=["OPD-2026-0001"],
        json_schema_extra=shape(pattern=f"^{REFERENCE.pattern}$"),
    )
    display: str = Field(
        description="What the person sees, 1-200 characters (not only spaces).",
        json_schema_extra=shape(minLength=1, maxLength=DISPLAY_MAX, pattern=r"\S"),
    )
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
