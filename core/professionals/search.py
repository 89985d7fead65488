"""Find a doctor: VERIFIED doctors of one specialisation working in one district or PIN code.

Why through facilities: a doctor's whereabouts are the HFR facilities they work at, and a
citizen needs a place to go and a number to call, so a doctor is listed with the first place of
work they gave in that area, and only if that facility is VERIFIED in the HFR. Results are in
name order and paged, because a USSD screen holds five lines.
"""

from __future__ import annotations

import re

from core.errors import InvalidInput
from core.facilities import lgd
from core.professionals.masters import parse_specialisation
from core.professionals.models import PlaceOfWork, Professional, ProfessionalStatus
from core.professionals.ports import FacilityDirectory
from core.professionals.queries import facility_ids_of, page_bounds
from core.professionals.views import DoctorListing, Page

_PINCODE = re.compile(r"[1-9][0-9]{5}")


def _area(district: int | None, pincode: str | None) -> tuple[int | None, str | None]:
    if (district is None) == (pincode is None):
        raise InvalidInput("hpr.invalid", field="area")
    if district is not None and (
        type(district) is not int or not 1 <= district <= lgd.DISTRICT_CODE_MAX
    ):
        raise InvalidInput("hpr.invalid", field="district")
    if pincode is not None:
        pincode = "".join(pincode.split())
        if not _PINCODE.fullmatch(pincode):
            raise InvalidInput("hpr.invalid", field="pincode")
    return district, pincode


async def find_doctors(
    facilities: FacilityDirectory,
    specialisation: str,
    *,
    district: int | None = None,
    pincode: str | None = None,
    page: int = 1,
    per_page: int = 5,
) -> Page[DoctorListing]:
    """Errors: `hpr.invalid` (field specialisation, area, district, pincode or page)."""
    code = parse_specialisation(specialisation)
    district, pincode = _area(district, pincode)
    offset, limit = page_bounds(page, per_page)
    area = await facilities.verified_in_area(district=district, pincode=pincode)
    if not area:
        return Page((), page, per_page, 0)
    matches = await PlaceOfWork.filter(
        facility_id__in=area,
        professional__status=ProfessionalStatus.VERIFIED,
        professional__specialisation=code,
    ).values("professional_id")
    ids = list(dict.fromkeys(row["professional_id"] for row in matches))
    if not ids:
        return Page((), page, per_page, 0)
    rows = await Professional.filter(id__in=ids).order_by("name", "id").offset(offset).limit(limit)
    places = await facility_ids_of(rows)
    in_area = set(area)
    first = {row.id: next(f for f in places[row.id] if f in in_area) for row in rows}
    cards = await facilities.cards(list(dict.fromkeys(first.values())))
    listings = tuple(
        DoctorListing(
            hpr_id=row.hpr_id,
            name=row.name,
            specialisation=row.specialisation,
            system_of_medicine=row.system_of_medicine,
            years_of_experience=row.years_of_experience,
            degrees=tuple(str(q["degree"]) for q in row.qualifications),
            facility=cards[first[row.id]],
        )
        for row in rows
        if first[row.id] in cards
    )
    return Page(listings, page, per_page, len(ids))
