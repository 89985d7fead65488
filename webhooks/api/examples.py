"""Example bodies shown in the OpenAPI document (tests/webhooks/api validates each against its
schema).

Why real-looking values: a partner's developer copies them into a client; an id of the wrong
shape or a key that could never be issued teaches the wrong thing.
"""

from __future__ import annotations

from typing import Any

FACILITY_EXAMPLE: dict[str, Any] = {
    "id": "IN0912345678",
    "name": "Sanjeevani Multispeciality Hospital",
    "facility_type": "hospital",
    "ownership": "private",
    "system_of_medicine": "modern_medicine",
    "specialities": ["General Medicine"],
    "services": ["OPD"],
    "address": "12 Station Road, Charbagh, Lucknow",
    "state_code": 9,
    "state_name": "Uttar Pradesh",
    "district_code": 162,
    "district_name": "Lucknow",
    "pincode": "226004",
    "phone": "+915222635000",
    "status": "VERIFIED",
    "rejection_reason": None,
    "callback_url": None,
    "created_at": "2026-01-15T09:30:00Z",
    "submitted_at": "2026-01-15T09:30:00Z",
    "decided_at": "2026-01-15T10:00:00Z",
}
KEY_EXAMPLE: dict[str, Any] = {
    "facility": FACILITY_EXAMPLE,
    "key": {"key_id": "mfrggzdf", "api_key": "afk_mfrggzdf_" + "a" * 52},
}
RECEIPT_EXAMPLE: dict[str, Any] = {
    "record": {
        "id": "0b6c4c1e-3f0e-4d7a-9a43-1c2d3e4f5a6b",
        "care_context": "OPD-2026-0001",
        "hi_type": "Prescription",
        "date": "2026-01-10",
        "display": "OPD visit",
        "size": 3619,
        "created_at": "2026-01-15T09:30:00Z",
    },
    "warnings": [],
}
INVALID_FHIR_EXAMPLE: dict[str, Any] = {
    "error": {
        "code": "records.invalid_fhir",
        "message": "The FHIR document is not valid at: entry.1.resource.status",
        "paths": ["entry.1.resource.status"],
    },
}
