"""The consent artefact as signed and sent: ABDM's artefact shape, one per HIP.

Why ABDM's shape: a HIU built for ABDM already reads `consentDetail`; the same field names here
let it read ours. The claims name the person by ABHA address, the HIU and HIP by their facility
ids, the care contexts by the HIP's own references, and the permission exactly as granted.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

from core.consent.models import ConsentRequest
from core.consent.scope import GrantPlan
from core.consent.terms import IST
from core.facilities.models import Facility
from core.healthid.models import Person
from core.records.models import CareContext

CONSENT_MANAGER_ID = "arogya"
SCHEMA_VERSION = "v0.5"


def stamp(moment: datetime) -> str:
    """ABDM's timestamp: UTC, milliseconds, `Z` (`2026-12-07T10:15:30.123Z`)."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def day_bounds(first: date, last: date) -> dict[str, str]:
    """ABDM's `dateRange` (date-times) for Indian calendar days, both ends included: from the
    first day's midnight IST to the last day's final millisecond IST, written in UTC."""
    start = datetime.combine(first, time.min, IST)
    end = datetime.combine(last, time.max, IST)
    return {"from": stamp(start), "to": stamp(end)}


def artefact_claims(
    artefact_id: str,
    request: ConsentRequest,
    person: Person,
    hiu: Facility,
    hip: Facility,
    plan: GrantPlan,
    contexts: list[CareContext],
    now: datetime,
) -> dict[str, Any]:
    """The signed body of one artefact (JWT-style `iat`/`exp` beside ABDM's fields)."""
    return {
        "iss": CONSENT_MANAGER_ID,
        "iat": int(now.timestamp()),
        "exp": int(request.erase_at.timestamp()),
        "consentDetail": {
            "schemaVersion": SCHEMA_VERSION,
            "consentId": artefact_id,
            "createdAt": stamp(now),
            "consentRequestId": request.id,
            "purpose": {"code": request.purpose, "text": request.purpose_text},
            "patient": {"id": person.address},
            "consentManager": {"id": CONSENT_MANAGER_ID},
            "hip": {"id": hip.id, "name": hip.name},
            "hiu": {"id": hiu.id, "name": hiu.name},
            "requester": {
                "name": request.requester_name,
                "identifier": {
                    "type": "REGNO",
                    "value": request.requester_number,
                    "system": request.requester_system or request.requester_council,
                },
            },
            "careContexts": [
                {"patientReference": person.address, "careContextReference": context.reference}
                for context in contexts
            ],
            "hiTypes": list(plan.hi_types),
            "permission": {
                "accessMode": request.access_mode,
                "dateRange": day_bounds(plan.date_from, plan.date_to),
                "dataEraseAt": stamp(request.erase_at),
                "frequency": dict(request.frequency),
            },
        },
    }
