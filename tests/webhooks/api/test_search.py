"""Public search: verified facilities only, filters, and pages linked by `next`/`prev`."""

from __future__ import annotations

from typing import Any

import pytest

from core.facilities.service import FacilityService
from testing.facilities import ADMIN, hospital_draft
from tests.webhooks.api.conftest import Api

SEARCH = "/api/v1/facilities"


async def seed(facilities: FacilityService, verified: bool = True, **fields: Any) -> str:
    registered = await facilities.register(hospital_draft(**fields), actor="cli", submit=True)
    if verified:
        await facilities.verify(registered.id, admin=ADMIN)
    return registered.id


@pytest.fixture
async def directory(api: Api) -> dict[str, str]:
    """Name -> id: five Lucknow clinics, a Varanasi lab, a Delhi hospital, one unverified."""
    facilities = api.services.facilities
    ids = {}
    for number in range(1, 6):
        name = f"Arogya Clinic {number}"
        ids[name] = await seed(facilities, name=name, facility_type="clinic")
    ids["Kashi Pathology"] = await seed(
        facilities,
        name="Kashi Pathology",
        facility_type="diagnostic_lab",
        district_code=187,
        pincode="221001",
        address="Lanka, Varanasi",
    )
    ids["Delhi Heart Hospital"] = await seed(
        facilities,
        name="Delhi Heart Hospital",
        state_code=7,
        district_code=79,
        pincode="110001",
        address="Connaught Place, New Delhi",
    )
    await seed(facilities, verified=False, name="Arogya Clinic Pending", facility_type="clinic")
    return ids


def names(answer: Any) -> list[str]:
    return [item["name"] for item in answer.body["items"]]


async def test_filters_match_verified_facilities_only(api: Api, directory: dict[str, str]) -> None:
    everything = await api.call("GET", f"{SEARCH}?page_size=50")
    assert everything.body["total"] == 7
    assert "Arogya Clinic Pending" not in names(everything)
    lab = await api.call("GET", f"{SEARCH}?type=diagnostic_lab")
    assert names(lab) == ["Kashi Pathology"]
    assert lab.body["items"][0]["district_name"] == "Varanasi"
    assert names(await api.call("GET", f"{SEARCH}?district=79")) == ["Delhi Heart Hospital"]
    assert names(await api.call("GET", f"{SEARCH}?pincode=221001")) == ["Kashi Pathology"]
    by_words = await api.call("GET", f"{SEARCH}?q=heart%20delhi")
    assert names(by_words) == ["Delhi Heart Hospital"]
    by_address = await api.call("GET", f"{SEARCH}?q=lanka")
    assert names(by_address) == ["Kashi Pathology"]
    combined = await api.call("GET", f"{SEARCH}?q=clinic&type=clinic&district=162&pincode=")
    assert combined.body["total"] == 5
    nothing = await api.call("GET", f"{SEARCH}?q=clinic&district=187")
    assert (nothing.body["items"], nothing.body["total"], nothing.body["next"]) == ([], 0, None)


async def test_pages_link_to_their_neighbours(api: Api, directory: dict[str, str]) -> None:
    first = await api.call("GET", f"{SEARCH}?q=clinic&page_size=2")
    assert names(first) == ["Arogya Clinic 1", "Arogya Clinic 2"]
    assert (first.body["page"], first.body["pages"], first.body["prev"]) == (1, 3, None)
    seen = names(first)
    answer = first
    while answer.body["next"] is not None:
        assert "q=clinic" in answer.body["next"]
        assert "page_size=2" in answer.body["next"]
        answer = await api.call("GET", answer.body["next"])
        seen += names(answer)
    assert seen == [f"Arogya Clinic {number}" for number in range(1, 6)]
    assert answer.body["page"] == 3
    back = await api.call("GET", answer.body["prev"])
    assert names(back) == ["Arogya Clinic 3", "Arogya Clinic 4"]
    beyond = await api.call("GET", f"{SEARCH}?q=clinic&page_size=2&page=9")
    assert beyond.body["items"] == []
    assert beyond.body["prev"].endswith("page=3")
    assert beyond.body["next"] is None


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("district=Lucknow", "district"),
        ("district=%E0%A5%A7%E0%A5%AC%E0%A5%A8", "district"),  # Devanagari digits
        # past an LGD code's four digits: a 500 on PostgreSQL (a smallint column) before
        ("district=999999998", "district"),
        ("district=0", "district"),
        ("type=spa", "type"),
        ("page=0", "page"),
        ("page=-1", "page"),
        ("page_size=51", "page_size"),
        ("page=1&page=2", "page"),
        ("q=a%20b%20c%20d%20e%20f", "q"),
    ],
)
async def test_a_bad_parameter_is_named(api: Api, query: str, field: str) -> None:
    answer = await api.call("GET", f"{SEARCH}?{query}")
    assert (answer.status, answer.code) == (422, "facility.invalid")
    assert answer.body["error"]["field"] == field


async def test_an_unknown_parameter_is_refused_not_ignored(api: Api) -> None:
    answer = await api.call("GET", f"{SEARCH}?pin=226004")
    assert (answer.status, answer.code) == (422, "request.unknown_parameter")
    assert answer.body["error"]["field"] == "pin"
