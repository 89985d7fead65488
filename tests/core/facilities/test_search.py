"""Public search: VERIFIED facilities only, by name words, type, district and PIN code, paged."""

from __future__ import annotations

import pytest

from core.errors import InvalidInput
from core.facilities.service import FacilityService
from testing.facilities import ADMIN, hospital_draft, verified_facility

PATNA = {"state_code": 10, "district_code": 212, "pincode": "800014"}


@pytest.fixture
async def directory(facilities: FacilityService) -> FacilityService:
    """Five verified facilities in Lucknow and Patna, one still submitted, one rejected."""
    verified = [
        hospital_draft(name="King George's Medical University", ownership="public"),
        hospital_draft(name="Sanjeevani Pathology", facility_type="diagnostic_lab"),
        hospital_draft(name="Lucknow Eye Clinic", facility_type="clinic", pincode="226001"),
        hospital_draft(name="AIIMS Patna", address="Phulwari Sharif, Patna", **PATNA),
        hospital_draft(name="Patna Jan Aushadhi Kendra", facility_type="pharmacy", **PATNA),
    ]
    for draft in verified:
        await verified_facility(facilities, draft)
    await facilities.register(hospital_draft(name="Pending Hospital"), actor="cli", submit=True)
    rejected = await facilities.register(
        hospital_draft(name="Refused Hospital"), actor="cli", submit=True
    )
    await facilities.reject(rejected.id, "Not a real hospital", admin=ADMIN)
    return facilities


async def names(service: FacilityService, **query: object) -> list[str]:
    page = await service.search(**query)  # type: ignore[arg-type]
    return [facility.name for facility in page.items]


async def test_only_verified_facilities_are_found(directory: FacilityService) -> None:
    found = await names(directory, page_size=50)
    assert found == [
        "AIIMS Patna",
        "King George's Medical University",
        "Lucknow Eye Clinic",
        "Patna Jan Aushadhi Kendra",
        "Sanjeevani Pathology",
    ]
    assert await names(directory, q="hospital") == []  # Pending and Refused stay hidden


async def test_every_word_must_match_name_or_address(directory: FacilityService) -> None:
    assert await names(directory, q="patna") == ["AIIMS Patna", "Patna Jan Aushadhi Kendra"]
    assert await names(directory, q="  aiims   PHULWARI ") == ["AIIMS Patna"]
    assert await names(directory, q="eye patna") == []
    assert await names(directory, q="%") == []  # LIKE wildcards are matched literally
    assert await names(directory, q="_") == []


async def test_filters_by_type_district_and_pincode(directory: FacilityService) -> None:
    assert await names(directory, facility_type="pharmacy") == ["Patna Jan Aushadhi Kendra"]
    assert await names(directory, facility_type="DIAGNOSTIC_LAB") == ["Sanjeevani Pathology"]
    assert await names(directory, district=212) == ["AIIMS Patna", "Patna Jan Aushadhi Kendra"]
    assert await names(directory, pincode="226 001") == ["Lucknow Eye Clinic"]
    assert await names(directory, district=162, facility_type="hospital") == [
        "King George's Medical University"
    ]


async def test_pages(directory: FacilityService) -> None:
    first = await directory.search(page=1, page_size=2)
    last = await directory.search(page=3, page_size=2)
    assert first.total == 5
    assert first.pages == 3
    assert first.has_next
    assert not first.has_previous
    assert [f.name for f in last.items] == ["Sanjeevani Pathology"]
    assert not last.has_next
    assert last.has_previous
    beyond = await directory.search(page=9, page_size=2)
    assert beyond.items == ()
    assert beyond.total == 5


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"page": 0}, "page"),
        ({"page_size": 0}, "page_size"),
        ({"page_size": 51}, "page_size"),
        ({"facility_type": "spa"}, "facility_type"),
        ({"district": "212"}, "district"),
        ({"q": "a b c d e f"}, "q"),
    ],
)
async def test_bad_queries_name_the_field(
    facilities: FacilityService, query: dict[str, object], field: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        await facilities.search(**query)  # type: ignore[arg-type]
    assert refused.value.code == "facility.invalid"
    assert refused.value.params == {"field": field}
