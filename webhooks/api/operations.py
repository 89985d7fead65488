"""The paths of the OpenAPI document: what a schema cannot say about each endpoint.

Each operation names its security, its parameters, its body and, per error status, the codes a
partner can meet there, so a client can switch on `error.code` without reading our source.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from core.facilities import lgd
from core.professionals.masters import SPECIALISATIONS
from webhooks.api.bodies import FHIR_JSON, JSON
from webhooks.api.examples import (
    INVALID_FHIR_EXAMPLE,
    KEY_EXAMPLE,
    RECEIPT_EXAMPLE,
)

Security = list[dict[str, list[str]]]

ADMIN: Security = [{"adminToken": []}]
FACILITY: Security = [{"facilityKey": []}, {"facilityKeyHeader": []}]
PUBLIC: Security = []


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def path_param(name: str, description: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "description": description,
        "schema": {"type": "string"},
    }


#: What the listing endpoints read as "not given" (webhooks.api.query: as HTML forms send an
#: empty field), so the document allows it where the server does.
BLANK: dict[str, Any] = {"type": "string", "pattern": "^\\s*$"}


def query_param(
    name: str, description: str, schema: dict[str, Any], *, blank: bool = True
) -> dict[str, Any]:
    """A query parameter; `blank`: an empty value is accepted and means "not given"."""
    if blank:
        schema = {"anyOf": [schema, BLANK]}
        description = f"{description} Empty means not given."
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema,
    }


def required(parameter: dict[str, Any]) -> dict[str, Any]:
    """The same parameter, which the server refuses to go without."""
    return {**parameter, "required": True}


FACILITY_ID = path_param("facility_id", "IN + LGD state code + 8 digits, e.g. IN0912345678.")
REFERENCE = path_param("reference", "The care context reference given when it was linked.")
IDEMPOTENCY_KEY = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "description": "1-128 of A-Z a-z 0-9 . _ : -. A repeat with the same key and the same body "
    "stores nothing new and answers 200 with the first receipt; with another body, 409.",
    "schema": {"type": "string", "pattern": "^[A-Za-z0-9._:\\-]{1,128}$"},
}
#: The largest number a listing reads (webhooks.api.query.NUMBER_MAX_DIGITS: nine digits).
NUMBER_MAX = 999_999_999
#: A PIN code as the searches accept it (core.facilities.draft.check_pincode).
PINCODE = {"type": "string", "pattern": "^\\s*[1-9][0-9]{5}\\s*$"}
PAGING = [
    query_param(
        "page", "1-based.", {"type": "integer", "minimum": 1, "maximum": NUMBER_MAX, "default": 1}
    ),
    query_param(
        "page_size", "1-50.", {"type": "integer", "minimum": 1, "maximum": 50, "default": 10}
    ),
]

PAGING_MAX_20 = [
    query_param(
        "page",
        "1-based.",
        # webhooks.api.consent.fetch_paging reads at most six digits
        {"type": "integer", "minimum": 1, "maximum": 999_999, "default": 1},
        blank=False,
    ),
    query_param(
        "page_size",
        "1-20.",
        {"type": "integer", "minimum": 1, "maximum": 20, "default": 10},
        blank=False,
    ),
]

AUTH_ERRORS = {
    400: "request.conflicting_credentials",
    401: "facility.key_missing, facility.key_invalid, facility.key_revoked",
    403: "facility.not_verified",
}
ADMIN_ERRORS = {401: "admin.token_missing, admin.token_invalid", 403: "admin.disabled"}
BODY_ERRORS = {
    400: "request.malformed_json",
    413: "request.too_large",
    415: "request.unsupported_media_type",
    422: "request.invalid (with paths)",
}


def merged(*tables: Mapping[int, str]) -> dict[int, str]:
    out: dict[int, str] = {}
    for table in tables:
        for status, codes in table.items():
            out[status] = f"{out[status]}, {codes}" if status in out else codes
    return out


def operation(
    operation_id: str,
    summary: str,
    *,
    tag: str,
    security: Security,
    ok: Mapping[int, tuple[str, str | None]],
    errors: Mapping[int, str],
    description: str | None = None,
    parameters: list[dict[str, Any]] | None = None,
    body: tuple[str, tuple[str, ...]] | None = None,
    examples: Mapping[int, Any] | None = None,
) -> dict[str, Any]:
    """One operation; `ok` maps a status to (description, schema name or None for no body),
    `errors` maps a status to the error codes it carries, `examples` a status to a body."""
    responses: dict[str, Any] = {}
    for status, (text, schema) in ok.items():
        responses[str(status)] = {"description": text}
        if schema is not None:
            responses[str(status)]["content"] = {JSON: {"schema": ref(schema)}}
    for status, codes in sorted(errors.items()):
        responses[str(status)] = {
            "description": f"Error codes: {codes}.",
            "content": {JSON: {"schema": ref("ErrorResponse")}},
        }
    for status, example in (examples or {}).items():
        responses[str(status)]["content"][JSON]["example"] = example
    found: dict[str, Any] = {
        "operationId": operation_id,
        "summary": summary,
        "tags": [tag],
        "security": security,
        "responses": responses,
    }
    if description:
        found["description"] = description
    if parameters:
        found["parameters"] = parameters
    if body is not None:
        schema, types = body
        content = {kind: {"schema": ref(schema)} for kind in types}
        found["requestBody"] = {"required": True, "content": content}
    return found


KEY_ISSUED = "The facility and its new key (shown only here; Cache-Control: no-store)."

PATHS: dict[str, Any] = {
    "/api/v1/facilities": {
        "post": operation(
            "registerFacility",
            "Register a facility (no key needed)",
            tag="facilities",
            security=PUBLIC,
            body=("FacilityRegistration", (JSON,)),
            description="Anyone may register; the facility is queued as SUBMITTED for the "
            "administrator. Each client address may register a limited number of times per "
            "hour (every attempt counts); over it, 429 with Retry-After.",
            ok={201: ("Registered and submitted.", "FacilityRecord")},
            errors=merged(
                BODY_ERRORS,
                {
                    422: "facility.invalid (with field)",
                    429: "request.rate_limited (retry_after)",
                    503: "state.unavailable",
                },
            ),
        ),
        "get": operation(
            "searchFacilities",
            "Search verified facilities",
            tag="facilities",
            security=PUBLIC,
            description="Every word of `q` must appear in the name or the address; the other "
            "filters match exactly. Results are ordered by name; follow `next` and `prev`.",
            parameters=[
                query_param("q", "Words of the name or address (at most 5).", {"type": "string"}),
                query_param("type", "A facility type.", ref("FacilityType")),
                query_param(
                    "district",
                    "An LGD district code.",
                    {"type": "integer", "minimum": 1, "maximum": lgd.DISTRICT_CODE_MAX},
                ),
                query_param("pincode", "Six digits.", PINCODE),
                *PAGING,
            ],
            ok={200: ("One page of facilities.", "FacilityPage")},
            errors={422: "facility.invalid (field: the parameter), request.unknown_parameter"},
        ),
    },
    "/api/v1/facilities/{facility_id}": {
        "get": operation(
            "getFacility",
            "A verified facility",
            tag="facilities",
            security=PUBLIC,
            parameters=[FACILITY_ID],
            ok={200: ("The facility.", "PublicFacility")},
            errors={404: "facility.not_found (also for one not verified)"},
        ),
    },
    "/api/v1/admin/facilities": {
        "get": operation(
            "listFacilitiesByStatus",
            "Facilities in one status, oldest first",
            tag="admin",
            security=ADMIN,
            parameters=[
                query_param(
                    "status",
                    "SUBMITTED (default), DRAFT, VERIFIED or REJECTED.",
                    ref("FacilityStatus"),
                ),
                *PAGING,
            ],
            ok={200: ("One page of the queue.", "FacilityQueuePage")},
            errors=merged(ADMIN_ERRORS, {422: "facility.invalid, request.unknown_parameter"}),
        ),
    },
    "/api/v1/admin/facilities/{facility_id}": {
        "get": operation(
            "getFacilityAsAdmin",
            "Any facility, with its status",
            tag="admin",
            security=ADMIN,
            parameters=[FACILITY_ID],
            ok={200: ("The facility.", "FacilityRecord")},
            errors=merged(ADMIN_ERRORS, {404: "facility.not_found"}),
        ),
    },
    "/api/v1/admin/facilities/{facility_id}/verify": {
        "post": operation(
            "verifyFacility",
            "Verify a submitted facility and issue its first key",
            tag="admin",
            security=ADMIN,
            parameters=[FACILITY_ID],
            ok={200: (KEY_ISSUED, "KeyIssued")},
            examples={200: KEY_EXAMPLE},
            errors=merged(
                ADMIN_ERRORS,
                {404: "facility.not_found", 409: "facility.wrong_status (details.status)"},
            ),
        ),
    },
    "/api/v1/admin/facilities/{facility_id}/reject": {
        "post": operation(
            "rejectFacility",
            "Reject a submitted facility, with a reason",
            tag="admin",
            security=ADMIN,
            parameters=[FACILITY_ID],
            body=("Rejection", (JSON,)),
            ok={200: ("The rejected facility.", "FacilityRecord")},
            errors=merged(
                ADMIN_ERRORS,
                BODY_ERRORS,
                {
                    404: "facility.not_found",
                    409: "facility.wrong_status (details.status)",
                    422: "facility.invalid (field: reason)",
                },
            ),
        ),
    },
    "/api/v1/admin/facilities/{facility_id}/keys/rotate": {
        "post": operation(
            "rotateFacilityKey",
            "Issue a new key; every older key stops working",
            tag="admin",
            security=ADMIN,
            parameters=[FACILITY_ID],
            ok={200: (KEY_ISSUED, "KeyIssued")},
            errors=merged(ADMIN_ERRORS, {403: "facility.not_verified", 404: "facility.not_found"}),
        ),
    },
    "/api/v1/admin/facilities/{facility_id}/keys/revoke": {
        "post": operation(
            "revokeFacilityKeys",
            "Revoke every key of a facility",
            tag="admin",
            security=ADMIN,
            parameters=[FACILITY_ID],
            description="The facility is cut off until the administrator rotates a key in.",
            ok={204: ("Revoked.", None)},
            errors=merged(ADMIN_ERRORS, {404: "facility.not_found", 409: "facility.no_active_key"}),
        ),
    },
    "/api/v1/hip/keys/rotate": {
        "post": operation(
            "rotateOwnKey",
            "Replace the calling facility's key",
            tag="hip",
            security=FACILITY,
            description="Authenticated with the current key; the answer holds the new one and "
            "the current one stops working at once.",
            ok={200: (KEY_ISSUED, "KeyIssued")},
            errors=AUTH_ERRORS,
        ),
    },
    "/api/v1/hip/care-contexts": {
        "post": operation(
            "linkCareContext",
            "Link a visit to a person's ABHA",
            tag="hip",
            security=FACILITY,
            body=("CareContextLink", (JSON,)),
            ok={201: ("Linked (or already linked with the same details).", "CareContext")},
            description="Needs a link token the person authorised "
            "(`requestLinkToken`); an ABHA given beside it must be the token's person.",
            errors=merged(
                AUTH_ERRORS,
                BODY_ERRORS,
                {
                    403: "link.token_invalid, abha.inactive, abha.deleted",
                    404: "abha.not_found",
                    409: "records.care_context_exists",
                    422: "records.invalid (with field), abha.invalid, address.invalid",
                },
            ),
        ),
    },
    "/api/v1/hip/care-contexts/{reference}/documents": {
        "post": operation(
            "pushDocument",
            "Store a FHIR R4 document for a care context",
            tag="hip",
            security=FACILITY,
            parameters=[REFERENCE, IDEMPOTENCY_KEY],
            body=("FhirDocumentBundle", (FHIR_JSON, JSON)),
            description="The body is read up to the server's size cap (5 MiB by default); "
            "the Composition's type must be the care context's HI type, and the facility "
            "must still hold a live link token for the person (403 `link.token_invalid` once "
            "it ran out). The person is told of the new record on their channel.",
            ok={
                201: ("Stored.", "DocumentReceipt"),
                200: (
                    "A repeat of an earlier upload (Idempotent-Replayed: true); nothing "
                    "new was stored.",
                    "DocumentReceipt",
                ),
            },
            examples={201: RECEIPT_EXAMPLE, 422: INVALID_FHIR_EXAMPLE},
            errors=merged(
                AUTH_ERRORS,
                {
                    400: "request.malformed_json",
                    403: "link.token_invalid, abha.inactive, abha.deleted",
                    404: "records.care_context_not_found",
                    409: "records.idempotency_conflict",
                    413: "request.too_large",
                    415: "request.unsupported_media_type",
                    422: "records.invalid_fhir (with paths), records.too_deep (max), "
                    "records.not_a_bundle, records.not_a_document, records.no_composition, "
                    "records.unknown_type, "
                    "records.type_mismatch (details.expected, details.found), "
                    "records.invalid (field: reference or idempotency_key)",
                },
            ),
        ),
    },
    "/api/v1/hiu/consent-requests": {
        "post": operation(
            "requestConsent",
            "Ask a person for consent to their records (ABDM's shape)",
            tag="hiu",
            security=FACILITY,
            body=("ConsentRequestBody", (JSON,)),
            description="The calling facility is the HIU (hiu.id must be its own id), on behalf "
            "of a VERIFIED doctor (requester). The person is told on their phone and answers "
            "with their PIN; the facility's callback URL hears the outcome. A repeat with the "
            "same requestId and body answers the stored request (200, Idempotent-Replayed).",
            ok={
                201: ("Asked: status REQUESTED.", "ConsentRequestState"),
                200: ("A repeat of an earlier request.", "ConsentRequestState"),
            },
            errors=merged(
                AUTH_ERRORS,
                BODY_ERRORS,
                {
                    403: "consent.hiu_mismatch, consent.requester_not_verified, "
                    "consent.requester_not_at_hiu, abha.inactive, "
                    "abha.deleted",
                    404: "abha.not_found",
                    409: "consent.request_id_reused",
                    422: "consent.invalid (with field), consent.purpose_unknown, "
                    "consent.hi_type_unknown, consent.date_range_order, "
                    "consent.erase_at_past, abha.invalid, address.invalid",
                },
            ),
        ),
    },
    "/api/v1/hiu/consent-requests/{request_id}": {
        "get": operation(
            "getConsentRequest",
            "A consent request's status and artefacts",
            tag="hiu",
            security=FACILITY,
            parameters=[path_param("request_id", "The id answered on asking.")],
            ok={200: ("The request; artefacts once GRANTED.", "ConsentRequestState")},
            errors=merged(AUTH_ERRORS, {404: "consent.request_not_found (also another HIU's)"}),
        ),
    },
    "/api/v1/hiu/consents/{artefact_id}/records": {
        "get": operation(
            "fetchConsentedRecords",
            "The FHIR documents an artefact releases",
            tag="hiu",
            security=FACILITY,
            description="Only the artefact's HIU, only while it is GRANTED and before "
            "dataEraseAt: the records of its HIP, its HI types and its date range. Every "
            "fetch is audited and shown to the person. Each `bundle` is the HIP's bytes "
            "exactly as pushed (FHIR decimals unchanged); one that fails FHIR R4 as pushed "
            "(accepted under the forecastStatus tolerance) is marked `fhirR4Valid: false`. "
            "The artefact's `frequency` is kept: per window of `value` `unit`s from the grant, "
            "one fetch (page 1) and `repeats` more; later pages of a fetch are not counted.",
            parameters=[path_param("artefact_id", "A consent artefact id."), *PAGING_MAX_20],
            ok={200: ("One page of records, oldest first.", "ConsentRecords")},
            errors=merged(
                AUTH_ERRORS,
                {
                    403: "consent.revoked, consent.expired, abha.inactive",
                    404: "consent.artefact_not_found (also another HIU's)",
                    422: "consent.invalid (field: page or page_size), request.unknown_parameter",
                    429: "consent.frequency_exceeded (retry_after; Retry-After header)",
                },
            ),
        ),
    },
    "/api/v1/hiu/missed-events": {
        "get": operation(
            "listMissedEvents",
            "Consent callbacks this HIU will never receive",
            tag="hiu",
            security=FACILITY,
            description="A callback your server answered with a 4xx (other than 408, 425 or "
            "429), or that ran out of attempts, is not sent again; it is listed here with its "
            "exact payload, newest first (at most 100). Read the request's current state with "
            "GET /api/v1/hiu/consent-requests/{request_id}.",
            ok={200: ("The missed events (Cache-Control: no-store).", "MissedEvents")},
            errors=merged(AUTH_ERRORS, {422: "request.unknown_parameter"}),
        ),
    },
    "/api/v1/consent/certs": {
        "get": operation(
            "getConsentCerts",
            "The keys consent artefacts are signed with (JWKS)",
            tag="hiu",
            security=PUBLIC,
            ok={200: ("A JSON Web Key Set (Ed25519).", "Jwks")},
            errors={},
        ),
    },
    "/api/v1/professionals/mobile-otp": {
        "post": operation(
            "startProfessionalMobileOtp",
            "Send the OTP that proves a doctor's mobile",
            tag="professionals",
            security=PUBLIC,
            body=("MobileOtpRequest", (JSON,)),
            description="Step 1 of registering a doctor. Counts against the per-address "
            "registration limit.",
            ok={201: ("Sent (Cache-Control: no-store).", "MobileOtpSent")},
            errors=merged(
                BODY_ERRORS,
                {
                    422: "mobile.invalid",
                    429: "otp.locked, otp.rate_limited, request.rate_limited (retry_after)",
                },
            ),
        ),
    },
    "/api/v1/professionals/mobile-otp/verify": {
        "post": operation(
            "verifyProfessionalMobileOtp",
            "Check the OTP; answers the mobile proof",
            tag="professionals",
            security=PUBLIC,
            body=("MobileOtpCheck", (JSON,)),
            description="Step 2: `mobile_proof` proves the mobile for one registration, for "
            "30 minutes.",
            ok={200: ("Verified (Cache-Control: no-store).", "MobileProof")},
            errors=merged(
                BODY_ERRORS,
                {
                    404: "otp.unknown",
                    409: "otp.expired, otp.used",
                    422: "otp.invalid (details.attempts_left)",
                    429: "otp.locked",
                },
            ),
        ),
    },
    "/api/v1/professionals": {
        "post": operation(
            "registerProfessional",
            "Register a doctor with their council",
            tag="professionals",
            security=PUBLIC,
            body=("ProfessionalRegistration", (JSON,)),
            description="Step 3, with the `mobile_proof` of step 2. The registration waits "
            "(PENDING) for an officer of its council; the decision is sent to the doctor by "
            "SMS. Free text is stored as sent.",
            ok={201: ("Registered, PENDING.", "ProfessionalRecord")},
            errors=merged(
                BODY_ERRORS,
                {
                    403: "hpr.mobile_unverified",
                    409: "hpr.duplicate_registration, hpr.mobile_proof_used, hpr.handle_taken",
                    422: "hpr.invalid (with field), hpr.council_unknown, hpr.facility_unknown, "
                    "mobile.invalid",
                    429: "request.rate_limited (retry_after)",
                },
            ),
        ),
        "get": operation(
            "searchProfessionals",
            "Search verified doctors",
            tag="professionals",
            security=PUBLIC,
            description="VERIFIED doctors of one specialisation working at a VERIFIED facility "
            "in a district or a PIN code area (exactly one of the two), by name; each with "
            "that facility. Follow `next` and `prev`.",
            parameters=[
                required(
                    query_param(
                        "specialisation",
                        "A specialisation code.",
                        {"type": "string", "enum": list(SPECIALISATIONS)},
                        blank=False,
                    )
                ),
                query_param(
                    "district",
                    "An LGD district code.",
                    {"type": "integer", "minimum": 1, "maximum": lgd.DISTRICT_CODE_MAX},
                ),
                query_param("pincode", "Six digits.", PINCODE),
                *PAGING,
            ],
            ok={200: ("One page of doctors.", "ProfessionalPage")},
            errors={
                422: "hpr.invalid (field: specialisation, area, district, pincode, page or "
                "page_size), request.unknown_parameter"
            },
        ),
    },
    "/api/v1/professionals/{hpr_id}": {
        "get": operation(
            "getProfessional",
            "A verified doctor",
            tag="professionals",
            security=PUBLIC,
            parameters=[
                {
                    **path_param("hpr_id", "14 digits, with or without dashes."),
                    "schema": {"type": "string", "not": {"const": "mobile-otp"}},
                }
            ],
            ok={200: ("The doctor and their verified places of work.", "PublicProfessional")},
            errors={
                404: "hpr.not_found (also for one not verified)",
                405: "http.405 (`mobile-otp` is no id: that path takes POST)",
            },
        ),
    },
    "/api/v1/openapi.json": {
        "get": {
            "operationId": "getOpenApi",
            "summary": "This document",
            "tags": ["meta"],
            "security": PUBLIC,
            "responses": {
                "200": {
                    "description": "The OpenAPI document.",
                    "content": {JSON: {"schema": {"type": "object"}}},
                }
            },
        },
    },
}
