"""Find a doctor: VERIFIED doctors at VERIFIED facilities, by specialisation and area."""

from __future__ import annotations

import pytest

from core.errors import InvalidInput
from tests.core.professionals.helpers import Wiring, facility, officer, register


async def test_find_verified_doctors_by_district_or_pincode(hpr: Wiring) -> None:
    pune = await facility(hpr, name="Sassoon Hospital", district=490, pincode="411001")
    nagpur = await facility(hpr, name="Mayo Hospital", district=484, pincode="440018")
    unverified = await facility(hpr, name="New Clinic", district=490, verified=False)
    registrar = await officer(hpr)

    names = ["Meera Joshi", "Anil Kale", "Zoya Khan", "Ravi Patil"]
    doctors = []
    for n, name in enumerate(names):
        places = (nagpur, pune) if n == 0 else (pune,)
        doctors.append(
            await register(
                hpr,
                name=name,
                registration_number=f"F{n}",
                mobile=f"+91987654321{n}",
                facility_ids=places,
            )
        )
    for doctor in doctors[:3]:
        await hpr.registry.verify(doctor.hpr_id, registrar, channel="api")
    # verified, but a surgeon; and one whose only place is unverified
    surgeon = await register(
        hpr,
        name="Sam Surgeon",
        registration_number="F9",
        mobile="+919876543219",
        specialisation="general_surgery",
        facility_ids=(pune,),
    )
    await hpr.registry.verify(surgeon.hpr_id, registrar, channel="api")
    hidden = await register(
        hpr,
        name="Hidden Doc",
        registration_number="F8",
        mobile="+919876543218",
        facility_ids=(unverified,),
    )
    await hpr.registry.verify(hidden.hpr_id, registrar, channel="api")

    page = await hpr.registry.search("paediatrics", district=490, per_page=2)
    assert [d.name for d in page.items] == ["Anil Kale", "Meera Joshi"]
    assert (page.total, page.has_next) == (3, True)
    meera = page.items[1]
    # her first place is Nagpur; in Pune she is found at Sassoon, with its phone
    assert (meera.facility.name, meera.facility.phone) == ("Sassoon Hospital", "+912026123456")
    assert meera.degrees == ("MBBS", "MD (Paediatrics)")
    assert [
        d.name
        for d in (await hpr.registry.search("paediatrics", district=490, page=2, per_page=2)).items
    ] == ["Zoya Khan"]

    by_pin = await hpr.registry.search("PAEDIATRICS", pincode="440 018")
    assert [(d.name, d.facility.facility_id) for d in by_pin.items] == [("Meera Joshi", nagpur)]
    assert (await hpr.registry.search("cardiology", district=490)).total == 0
    assert (await hpr.registry.search("paediatrics", district=77)).items == ()


@pytest.mark.parametrize(
    "kwargs",
    [{}, {"district": 490, "pincode": "411001"}, {"pincode": "0110"}, {"district": "490"}],
)
async def test_a_search_needs_one_well_formed_area(hpr: Wiring, kwargs: dict[str, object]) -> None:
    with pytest.raises(InvalidInput):
        await hpr.registry.search("paediatrics", **kwargs)  # type: ignore[arg-type]
