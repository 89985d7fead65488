"""The OpenAPI 3.1 document of the partner API, served at `GET /api/v1/openapi.json`.

Why built, not written: the request and response schemas come from the pydantic models the
handlers use (`webhooks.api.schemas`), so they cannot drift; only what a model cannot know is
written by hand in `webhooks.api.operations` (paths, parameters, security, which error codes
each status carries). tests/webhooks/api checks the document against the routes the app
registers and validates every response the tests receive against it.
"""

from __future__ import annotations

from typing import Any, Literal

from aiohttp import web
from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from webhooks.api import consent, hip_notices, linking, missed, schemas
from webhooks.api import professional_bodies as professionals
from webhooks.api.keys import OPENAPI
from webhooks.api.operations import PATHS

VERSION = "1.0.0"
REF = "#/components/schemas/{model}"

REQUESTS: tuple[type[BaseModel], ...] = (
    schemas.FacilityRegistration,
    schemas.Rejection,
    schemas.CareContextLink,
    *linking.REQUESTS,
    *consent.REQUESTS,
    *professionals.REQUESTS,
    *hip_notices.REQUESTS,
)
RESPONSES: tuple[type[BaseModel], ...] = (
    schemas.PublicFacility,
    schemas.FacilityRecord,
    schemas.FacilityPage,
    schemas.FacilityQueuePage,
    schemas.KeyIssued,
    schemas.CareContext,
    *linking.RESPONSES,
    schemas.DocumentReceipt,
    schemas.ErrorResponse,
    *consent.RESPONSES,
    *missed.RESPONSES,
    *professionals.RESPONSES,
)

#: What a FHIR document body must at least look like; core validates the rest against R4.
FHIR_DOCUMENT_BUNDLE: dict[str, Any] = {
    "title": "FhirDocumentBundle",
    "description": "A FHIR R4 Bundle of type `document` whose first entry is a Composition "
    "typed with an ABDM HI type (NRCeS FHIR IG). Validated against R4 (fhir.resources R4B) "
    "with one tolerance: a missing ImmunizationRecommendation.recommendation.forecastStatus "
    "(as ProjectEKA-style HIPs send) is accepted with a warning in the receipt. Such a bundle "
    "is stored and released byte for byte as sent, so it is not valid R4: an HIU receives it "
    "marked `fhirR4Valid: false` with the missing paths in `fhirR4Problems`.",
    "type": "object",
    "required": ["resourceType", "type", "entry"],
    "properties": {
        "resourceType": {"const": "Bundle"},
        "type": {"const": "document"},
        "entry": {"type": "array", "minItems": 1, "items": {"type": "object"}},
    },
}

SECURITY_SCHEMES: dict[str, Any] = {
    "facilityKey": {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "afk_<key id>_<secret>",
        "description": "The facility's partner API key (primary way to send it).",
    },
    "facilityKeyHeader": {
        "type": "apiKey",
        "in": "header",
        "name": "X-API-Key",
        "description": "The same key in a header, for clients that cannot set Authorization.",
    },
    "adminToken": {
        "type": "http",
        "scheme": "bearer",
        "description": "The administrator token configured on the server.",
    },
}

DESCRIPTION = """\
JSON over HTTP for health facilities (HFR registration, HIP record push) and the registry's
administrator. Every refusal is `{"error": {"code", "message"}}` with the right 4xx status; a
field error adds `field`, a validation error `paths`. See docs/partner-api.md for a walk-through.
"""


def component_schemas() -> dict[str, Any]:
    models: list[tuple[type[BaseModel], Literal["validation", "serialization"]]] = [
        *((model, "validation") for model in REQUESTS),
        *((model, "serialization") for model in RESPONSES),
    ]
    _, top = models_json_schema(models, ref_template=REF)
    found: dict[str, Any] = dict(top.get("$defs", {}))
    found["FhirDocumentBundle"] = FHIR_DOCUMENT_BUNDLE
    return found


def build_document() -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Arogya partner API",
            "version": VERSION,
            "description": DESCRIPTION,
            "license": {"name": "Apache-2.0", "identifier": "Apache-2.0"},
        },
        "tags": [
            {"name": "facilities", "description": "Public registration, look-up and search."},
            {"name": "admin", "description": "The registry administrator's decisions."},
            {"name": "hip", "description": "A verified facility providing records."},
            {
                "name": "hiu",
                "description": "A verified facility asking for consent, and the "
                "records a consent releases.",
            },
            {
                "name": "professionals",
                "description": "Doctors registering, and the public directory of verified doctors.",
            },
            {"name": "meta", "description": "This document."},
        ],
        "paths": {**PATHS, **linking.PATHS},
        #: Requests Arogya makes to a partner's callback URL (OpenAPI 3.1).
        "webhooks": hip_notices.WEBHOOKS,
        "components": {"schemas": component_schemas(), "securitySchemes": SECURITY_SCHEMES},
    }


async def serve_document(request: web.Request) -> web.Response:
    return web.json_response(request.config_dict[OPENAPI])
