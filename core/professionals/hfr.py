"""`HfrDirectory`: the facility directory the registry needs, read from the HFR's tables.

Why read the tables rather than call `FacilityService`: "find a doctor" needs every VERIFIED
facility id in a district in one query, and the service pages its search for people (50 at
most). This module only reads; every rule about facilities stays in `core.facilities`.

A doctor may name any facility the HFR holds (one still under verification is where they work
all the same), but only VERIFIED facilities make them findable.
"""

from __future__ import annotations

from collections.abc import Sequence

from core.facilities.models import Facility, FacilityStatus
from core.professionals.ports import FacilityCard


class HfrDirectory:
    async def missing(self, facility_ids: Sequence[str]) -> list[str]:
        if not facility_ids:
            return []
        rows = await Facility.filter(id__in=list(facility_ids)).values("id")
        known = {row["id"] for row in rows}
        return [facility_id for facility_id in facility_ids if facility_id not in known]

    async def cards(self, facility_ids: Sequence[str]) -> dict[str, FacilityCard]:
        if not facility_ids:
            return {}
        rows = await Facility.filter(id__in=list(facility_ids), status=FacilityStatus.VERIFIED)
        return {
            row.id: FacilityCard(
                facility_id=row.id,
                name=row.name,
                phone=row.phone,
                address=row.address,
                district_code=row.district_code,
                pincode=row.pincode,
            )
            for row in rows
        }

    async def verified_in_area(
        self, *, district: int | None = None, pincode: str | None = None
    ) -> list[str]:
        query = Facility.filter(status=FacilityStatus.VERIFIED)
        if district is not None:
            query = query.filter(district_code=district)
        if pincode is not None:
            query = query.filter(pincode=pincode)
        rows = await query.order_by("id").values("id")
        return [str(row["id"]) for row in rows]
