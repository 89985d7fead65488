"""Building facilities for tests: a valid draft to override, and a verified facility with its key.

draft = hospital_draft(name="AIIMS Patna", district_code=212, state_code=10)
facility, key = await verified_facility(service, hospital_draft())
"""

from __future__ import annotations

from typing import Any

from core.facilities.draft import FacilityDraft
from core.facilities.service import FacilityService
from core.facilities.views import FacilityView, IssuedKey

ADMIN = "admin:asha"


def hospital_draft(**overrides: Any) -> FacilityDraft:
    """A valid private hospital in Lucknow (state 9, district 162); override any field."""
    values: dict[str, Any] = {
        "name": "Sanjeevani Multispeciality Hospital",
        "facility_type": "hospital",
        "ownership": "private",
        "system_of_medicine": "modern_medicine",
        "address": "12 Station Road, Charbagh, Lucknow",
        "state_code": 9,
        "district_code": 162,
        "pincode": "226004",
        "phone": "0522 263 5000",
        "specialities": ["General Medicine", "Paediatrics"],
        "services": ["OPD", "Pathology"],
        "callback_url": "https://his.sanjeevani.example.in/abdm/callback",
    }
    values.update(overrides)
    return FacilityDraft(**values)


async def verified_facility(
    service: FacilityService, draft: FacilityDraft | None = None
) -> tuple[FacilityView, IssuedKey]:
    """Register, submit and verify: the facility as a partner sees it, and its first key."""
    registered = await service.register(draft or hospital_draft(), actor="cli", submit=True)
    key = await service.verify(registered.id, admin=ADMIN)
    return await service.get(registered.id), key
