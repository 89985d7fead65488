"""The `abha.deleted` notice Arogya POSTs to a HIP's callback URL, documented as an OpenAPI 3.1
`webhooks` entry (a request Arogya makes, not a route it serves).

Why a model although no handler parses it: the document's schema then comes from the same
pydantic machinery as every other body, and tests/webhooks/leave checks each notice a HIP test
server receives against it, so the wire (core.leaving.hip_notices) and the document cannot drift.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from webhooks.api.schemas import Body


class CareContextReference(Body):
    referenceNumber: str = Field(description="The HIP's own visit reference, as it linked it.")


class AbhaDeletedNotification(Body):
    hipId: str = Field(description="The HIP told (the facility id).")
    careContexts: list[CareContextReference] = Field(
        description="Every visit this HIP linked to the deleted ABHA; no demographics."
    )
    deletedAt: str = Field(description="When the holder deleted the ABHA (UTC, ms, `Z`).")
    purgeAfter: str = Field(
        description="The end of ABDM's grace period: Arogya purges the records after it."
    )


class AbhaDeletedNotice(Body):
    requestId: str = Field(description="The event id (= X-Arogya-Event-Id): apply it once.")
    timestamp: str
    event: Literal["abha.deleted"]
    notification: AbhaDeletedNotification


REQUESTS: tuple[type[BaseModel], ...] = (AbhaDeletedNotice,)

EXAMPLE: dict[str, Any] = {
    "requestId": "5b0e3d1c-2f0a-4a59-9c1e-7d2a6f0b8e11",
    "timestamp": "2026-01-15T09:30:00.000Z",
    "event": "abha.deleted",
    "notification": {
        "hipId": "IN0942988119",
        "careContexts": [{"referenceNumber": "OPD-2024-0311"}],
        "deletedAt": "2026-01-15T09:30:00.000Z",
        "purgeAfter": "2026-01-22T09:30:00.000Z",
    },
}

WEBHOOKS: dict[str, Any] = {
    "abhaDeleted": {
        "post": {
            "operationId": "abhaDeleted",
            "summary": "An ABHA that linked visits at this HIP was deleted by its holder",
            "description": "POSTed to the HIP's registered `callback_url` once per HIP, from an "
            "outbox: signed, retried and refused addresses exactly as the consent callbacks "
            "(docs/partner-api.md, 'The callback URL'). The HIP should stop using the listed "
            "visits for this person and unlink the ABHA from its own record.",
            "tags": ["hip"],
            "parameters": [
                {
                    "name": "X-Arogya-Event-Id",
                    "in": "header",
                    "required": True,
                    "schema": {"type": "string"},
                    "description": "The same on every retry.",
                },
                {
                    "name": "X-Arogya-Signature",
                    "in": "header",
                    "required": True,
                    "schema": {"type": "string"},
                    "description": "Detached JWS of the body; verify with /api/v1/consent/certs.",
                },
            ],
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {"$ref": "#/components/schemas/AbhaDeletedNotice"},
                        "example": EXAMPLE,
                    }
                },
            },
            "responses": {
                "200": {"description": "Any 2xx: received. 5xx, 408, 425, 429: try again."}
            },
        }
    }
}
