"""The HIU side of the partner API: ask for consent, follow it, fetch the records it releases.

    POST /api/v1/hiu/consent-requests                     facility key: ABDM's consent request
    GET  /api/v1/hiu/consent-requests/{request_id}        facility key: its status and artefacts
    GET  /api/v1/hiu/consents/{artefact_id}/records       facility key: the records, a page
    GET  /api/v1/consent/certs                            public: the JWKS artefacts verify with

The request body is ABDM's `consent-requests/init` (`requestId`, `timestamp`, `consent`), read
strictly; every rule about its values is core's (`core.consent.ask`), so a refusal names
ABDM's own path. `requestId` makes the call idempotent: a repeat with the same body answers the
stored request (200, `Idempotent-Replayed: true`). Another HIU's request or artefact is simply
not found. Dates in answers are Indian calendar days, both ends included.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from aiohttp import web
from pydantic import BaseModel, Field, WithJsonSchema

from core.consent.ask import ConsentAsk
from core.consent.models import ConsentStatus
from core.consent.views import ArtefactView, ConsentView
from core.errors import InvalidInput
from webhooks.api import released
from webhooks.api.auth import require_facility
from webhooks.api.bodies import json_body
from webhooks.api.hip import REPLAYED_HEADER
from webhooks.api.keys import API_CONFIG
from webhooks.api.schemas import Body
from webhooks.keys import SERVICES

FETCH_PARAMETERS = frozenset({"page", "page_size"})
DEFAULT_PAGE_SIZE = 10

# --- the request (ABDM's shape) -------------------------------------------------------------


class Purpose(Body):
    code: str = Field(description="CAREMGT, BTG, PUBHLTH, HPAYMT, DSRCH or PATRQT.")
    text: str | None = Field(default=None, examples=["Care Management"])
    refUri: str | None = None


class IdOnly(Body):
    id: str


class Identifier(Body):
    type: str = Field(description="REGNO: a medical council registration number.")
    value: str = Field(examples=["MH1001"])
    system: str | None = Field(
        default=None,
        description="The council: its code (MH, IN-MH, NMC) or, for the National Medical "
        "Commission, https://www.nmc.org.in or https://www.mciindia.org.",
    )


class Requester(Body):
    name: str = Field(description="The doctor asking, 1-100 characters.")
    identifier: Identifier


#: ABDM's date-times are UTC; NHA's ABDM wrapper sends them without a zone (`2026-12-20T00:00:00`),
#: so a time without one is read as UTC (`utc`), one with a zone as written.
Moment = Annotated[dt.datetime, Field(description="An RFC 3339 date-time; without a zone, UTC.")]


def utc(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


class DateRange(Body):
    from_: Moment = Field(alias="from")
    to: Moment


class Frequency(Body):
    unit: str = Field(description="HOUR, DAY, WEEK, MONTH or YEAR.")
    value: int = Field(description="1-1000.")
    repeats: int = Field(description="0-1000.")


class Permission(Body):
    accessMode: str = Field(description="VIEW, STORE, QUERY or STREAM.")
    dateRange: DateRange = Field(description="Records dated within it; from <= to.")
    dataEraseAt: Moment = Field(description="In the future; the grant ends then (UTC if no zone).")
    frequency: Frequency


class CareContextRef(Body):
    patientReference: str = Field(max_length=64, description="The person at the HIP.")
    careContextReference: str = Field(max_length=64, description="The HIP's visit reference.")


class ConsentDetail(Body):
    purpose: Purpose
    patient: IdOnly = Field(description="An ABHA number or ABHA address.")
    hip: IdOnly | None = Field(
        default=None, description="Optional (ABDM): the request reaches only this HIP."
    )
    careContexts: list[CareContextRef] | None = Field(
        default=None,
        max_length=100,
        description="Optional (ABDM), with `hip`: only these visits of it.",
    )
    hiu: IdOnly = Field(description="The calling facility's own id.")
    requester: Requester
    hiTypes: list[str] = Field(
        description="OPConsultation, Prescription, DischargeSummary, DiagnosticReport, "
        "ImmunizationRecord, HealthDocumentRecord, WellnessRecord, Invoice."
    )
    permission: Permission
    consentNotificationUrl: str | None = Field(
        default=None,
        max_length=2048,
        description="Accepted as ABDM's gateway requires it; Arogya notifies the facility's "
        "registered callback_url (signed), not this URL.",
    )


class ConsentRequestBody(Body):
    """ABDM's consent request (`consent-requests/init`). The patient is told on their phone
    and answers with their PIN; the callback URL hears the outcome."""

    requestId: str = Field(description="Yours, unique per request: a repeat is harmless.")
    timestamp: Moment | None = None
    consent: ConsentDetail


# --- the answers ----------------------------------------------------------------------------


class DayRange(Body):
    from_: dt.date = Field(alias="from")
    to: dt.date


class GrantedArtefact(Body):
    id: str
    hipId: str
    hipName: str
    status: ConsentStatus
    hiTypes: list[str]
    dateRange: DayRange
    signedArtefact: str | None = Field(description="The compact JWS while GRANTED.")


class GrantedPermission(Body):
    accessMode: str
    dateRange: DayRange
    dataEraseAt: dt.datetime
    frequency: Frequency


class ConsentRequestState(Body):
    """A consent request as its HIU sees it: the status and, once granted, one artefact per
    HIP (its id is what records are fetched with)."""

    id: str
    requestId: str
    status: ConsentStatus
    createdAt: dt.datetime
    expiresAt: dt.datetime = Field(description="An unanswered request expires then.")
    decidedAt: dt.datetime | None
    purpose: Purpose
    hiTypes: list[str]
    permission: GrantedPermission
    consentArtefacts: list[GrantedArtefact]


#: A plain object: the bundle is the HIP's, byte for byte as pushed (webhooks.api.released).
BundleJson = Annotated[
    dict[str, Any],
    WithJsonSchema(
        {
            "type": "object",
            "description": "The FHIR document Bundle byte for byte "
            "as the HIP pushed it (decimals such as 7.50 or 1.5E3 unchanged).",
        }
    ),
]


class ReleasedRecord(Body):
    id: str
    careContextReference: str
    hiType: str
    date: dt.date
    fhirR4Valid: bool = Field(
        description="False when the bundle, as the HIP pushed it, fails FHIR R4 validation "
        "(accepted under the tolerance table: see fhirR4Problems). The bundle is released "
        "unchanged either way."
    )
    fhirR4Problems: list[str] = Field(
        description="The R4 paths the bundle lacks (e.g. entry.3.resource.recommendation.0."
        "forecastStatus); empty when fhirR4Valid."
    )
    bundle: BundleJson


class ConsentRecords(Body):
    """One page of the records an artefact releases, oldest first."""

    consentId: str
    hipId: str
    page: int
    page_size: int
    total: int
    pages: int
    next: str | None
    entries: list[ReleasedRecord]


class Jwk(Body):
    kty: str
    crv: str
    x: str
    kid: str
    use: str
    alg: str


class Jwks(Body):
    """The public keys consent artefacts and callbacks are signed with (EdDSA, Ed25519)."""

    keys: list[Jwk]


REQUESTS: tuple[type[BaseModel], ...] = (ConsentRequestBody,)
RESPONSES: tuple[type[BaseModel], ...] = (ConsentRequestState, ConsentRecords, Jwks)

# --- handlers -------------------------------------------------------------------------------


def reply(
    body: BaseModel, status: int = 200, headers: dict[str, str] | None = None
) -> web.Response:
    return web.json_response(
        body.model_dump(mode="json", by_alias=True), status=status, headers=headers
    )


def ask_of(body: ConsentRequestBody) -> ConsentAsk:
    consent, permission = body.consent, body.consent.permission
    identifier = consent.requester.identifier
    return ConsentAsk(
        request_ref=body.requestId,
        purpose=consent.purpose.code,
        purpose_text=consent.purpose.text,
        patient=consent.patient.id,
        hiu_id=consent.hiu.id,
        requester_name=consent.requester.name,
        requester_type=identifier.type,
        requester_number=identifier.value,
        requester_system=identifier.system,
        hi_types=tuple(consent.hiTypes),
        access_mode=permission.accessMode,
        date_from=utc(permission.dateRange.from_),
        date_to=utc(permission.dateRange.to),
        erase_at=utc(permission.dataEraseAt),
        frequency_unit=permission.frequency.unit,
        frequency_value=permission.frequency.value,
        frequency_repeats=permission.frequency.repeats,
        hip_id=consent.hip.id if consent.hip else None,
        care_contexts=tuple(c.careContextReference for c in consent.careContexts or ()),
    )


def _range(start: dt.date, end: dt.date) -> DayRange:
    return DayRange.model_validate({"from": start, "to": end}, strict=False)


def artefact_state(view: ArtefactView) -> GrantedArtefact:
    granted = view.status is ConsentStatus.GRANTED
    return GrantedArtefact(
        id=view.id,
        hipId=view.hip_id,
        hipName=view.hip_name,
        status=view.status,
        hiTypes=list(view.hi_types),
        dateRange=_range(view.date_from, view.date_to),
        signedArtefact=view.signed if granted else None,
    )


def request_state(view: ConsentView) -> ConsentRequestState:
    frequency = Frequency.model_validate(view.frequency, strict=False)
    return ConsentRequestState(
        id=view.id,
        requestId=view.hiu_request_id,
        status=view.status,
        createdAt=view.created_at,
        expiresAt=view.deadline,
        decidedAt=view.decided_at,
        purpose=Purpose(code=view.purpose, text=view.purpose_text),
        hiTypes=list(view.hi_types),
        permission=GrantedPermission(
            accessMode=view.access_mode,
            dateRange=_range(view.date_from, view.date_to),
            dataEraseAt=view.erase_at,
            frequency=frequency,
        ),
        consentArtefacts=[artefact_state(artefact) for artefact in view.artefacts],
    )


async def create_request(request: web.Request) -> web.Response:
    facility = await require_facility(request)
    limit = request.config_dict[API_CONFIG].json_body_max_bytes
    body = await json_body(request, ConsentRequestBody, limit)
    requested = await request.config_dict[SERVICES].consent.request(facility, ask_of(body))
    state = request_state(requested.request)
    if requested.created:
        return reply(state, status=201)
    return reply(state, headers={REPLAYED_HEADER: "true"})


async def show_request(request: web.Request) -> web.Response:
    facility = await require_facility(request)
    consent = request.config_dict[SERVICES].consent
    view = await consent.request_for_hiu(facility, request.match_info["request_id"])
    return reply(request_state(view))


def fetch_paging(request: web.Request) -> tuple[int, int]:
    values: dict[str, int] = {}
    for name in request.query:
        if name not in FETCH_PARAMETERS:
            raise InvalidInput("request.unknown_parameter", field=name)
        found = request.query.getall(name)
        text = found[0].strip()
        if len(found) > 1 or not (text.isascii() and text.isdigit()) or len(text) > 6:
            raise InvalidInput("consent.paging", field=name)
        values[name] = int(text)
    return values.get("page", 1), values.get("page_size", DEFAULT_PAGE_SIZE)


async def fetch_records(request: web.Request) -> web.Response:
    facility = await require_facility(request)
    page, page_size = fetch_paging(request)
    fetched = await request.config_dict[SERVICES].consent.fetch(
        facility, request.match_info["artefact_id"], page=page, page_size=page_size
    )
    following = request.rel_url.update_query(page=str(page + 1))
    body = ConsentRecords(
        consentId=fetched.artefact.id,
        hipId=fetched.artefact.hip_id,
        page=fetched.page,
        page_size=fetched.page_size,
        total=fetched.total,
        pages=fetched.pages,
        next=str(following) if fetched.has_next else None,
        entries=[
            ReleasedRecord(
                id=opened.record.id,
                careContextReference=opened.record.care_context_reference or "",
                hiType=opened.record.hi_type.value,
                date=opened.record.date,
                fhirR4Valid=not (problems := released.r4_problems(opened.fhir_json)),
                fhirR4Problems=problems,
                bundle={},
            )
            for opened in fetched.records
        ],
    )
    raws = [opened.fhir_json for opened in fetched.records]
    return released.verbatim_reply(body, "entries", raws, {"Cache-Control": "no-store"})


async def certs(request: web.Request) -> web.Response:
    jwks = request.config_dict[SERVICES].consent.jwks()
    return reply(Jwks.model_validate(jwks, strict=False), headers={"Cache-Control": "max-age=300"})
