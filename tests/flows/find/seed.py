"""A small, fixed directory for the "find" journeys, built through the real registries.

Lucknow (district 162) holds five VERIFIED hospitals (two pages of three on SMS and USSD), a
verified clinic, and a hospital still SUBMITTED (never listed). Varanasi (187) holds a verified
lab. Paediatricians: two VERIFIED in Lucknow, one PENDING in Lucknow and one VERIFIED in
Varanasi, so a Lucknow search lists exactly two. Doctors prove their (own, made-up) mobiles by
OTP as the registry demands; none uses the journey phone's number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from core.facilities.draft import FacilityDraft
from core.professionals.application import Application, Qualification
from core.professionals.officers import OfficerIdentity
from core.services import Services

ADMIN = "admin:test"
#: The Uttar Pradesh Medical Council's officer who verifies the seeded doctors.
REGISTRAR = OfficerIdentity(officer_id=0, username="up.registrar", council="UP")
_OTP = re.compile(r"\b(\d{6})\b")

HOSPITALS = (
    ("Sanjeevani Multispeciality Hospital", "12 Station Road, Charbagh, Lucknow", "226004",
     "0522 263 5000"),
    ("Gomti Nagar Community Hospital", "Vibhuti Khand, Gomti Nagar, Lucknow", "226010",
     "0522 272 1100"),
    ("Charbagh City Hospital", "4 Kanpur Road, Charbagh, Lucknow", "226004", "0522 245 3300"),
    ("Aminabad Care Hospital", "Aminabad Market, Lucknow", "226018", "0522 262 0001"),
    ("Hazratganj Heart and General Hospital of Lucknow and Nearby Districts",
     "Shop 7-9, First Floor, Behind the Old Clock Tower, Mahatma Gandhi Marg, Hazratganj, "
     "Lucknow", "226001", "98390 12345"),
)  # fmt: skip


@dataclass
class Directory:
    """Facility ids by name, doctors' HPR ids by name."""

    facilities: dict[str, str] = field(default_factory=dict)
    doctors: dict[str, str] = field(default_factory=dict)


def draft(name: str, address: str, pincode: str, phone: str, **overrides: object) -> FacilityDraft:
    values: dict[str, object] = {
        "name": name,
        "facility_type": "hospital",
        "ownership": "private",
        "system_of_medicine": "modern_medicine",
        "address": address,
        "state_code": 9,
        "district_code": 162,
        "pincode": pincode,
        "phone": phone,
    }
    values.update(overrides)
    return FacilityDraft(**values)  # type: ignore[arg-type]


async def facility(services: Services, spec: FacilityDraft, *, verified: bool = True) -> str:
    view = await services.facilities.register(spec, actor=ADMIN, submit=True)
    if verified:
        await services.facilities.verify(view.id, admin=ADMIN)
    return view.id


async def proven_mobile(services: Services, mobile: str) -> str:
    """Verify `mobile` with the OTP its SMS carried; the transaction id proves it."""
    ticket = await services.professionals.start_mobile_verification(mobile, "en")
    sent = [row for row in await services.sms.sent_to(mobile) if row.message_key == "sms.otp.hpr"]
    found = _OTP.search(sent[-1].text)
    assert found is not None
    await services.professionals.verify_mobile(ticket.txn_id, found.group(1))
    return ticket.txn_id


def paediatrician(name: str, mobile: str, number: str, facility_id: str) -> Application:
    return Application(
        name=name,
        mobile=mobile,
        council="UP",
        registration_number=number,
        registration_year=2012,
        qualifications=(
            Qualification("MBBS", "KGMU", "KGMU", 2009),
            Qualification("MD (Paediatrics)", "KGMU", "KGMU", 2012),
        ),
        specialisation="paediatrics",
        years_of_experience=13,
        facility_ids=(facility_id,),
    )


async def doctor(services: Services, app: Application, *, verified: bool = True) -> str:
    txn = await proven_mobile(services, app.mobile)
    view = await services.professionals.register(
        app, mobile_txn_id=txn, channel="api", actor="api:public"
    )
    if verified:
        await services.professionals.verify(view.hpr_id, REGISTRAR, channel="web")
    return view.hpr_id


async def seed(services: Services) -> Directory:
    found = Directory()
    for name, address, pincode, phone in HOSPITALS:
        found.facilities[name] = await facility(services, draft(name, address, pincode, phone))
    found.facilities["Arogya Clinic"] = await facility(
        services,
        draft(
            "Arogya Clinic",
            "22 Latouche Road, Lucknow",
            "226004",
            "0522 261 7000",
            facility_type="clinic",
        ),
    )
    found.facilities["Kashi Pathology"] = await facility(
        services,
        draft(
            "Kashi Pathology",
            "Lanka, Varanasi",
            "221005",
            "0542 236 9000",
            facility_type="diagnostic_lab",
            district_code=187,
        ),
    )
    found.facilities["Pending Hospital"] = await facility(
        services,
        draft("Pending Hospital", "Alambagh, Lucknow", "226005", "0522 245 0000"),
        verified=False,
    )
    sanjeevani = found.facilities["Sanjeevani Multispeciality Hospital"]
    charbagh = found.facilities["Charbagh City Hospital"]
    doctors = (
        (paediatrician("Meera Saxena", "+919811100001", "UP/2012/1001", sanjeevani), True),
        (paediatrician("Arun Tiwari", "+919811100002", "UP/2012/1002", charbagh), True),
        (paediatrician("Nisha Verma", "+919811100003", "UP/2012/1003", sanjeevani), False),
        (paediatrician("Kavita Mishra", "+919811100004", "UP/2012/1004",
                       found.facilities["Kashi Pathology"]), True),
    )  # fmt: skip
    for app, verified in doctors:
        found.doctors[app.name] = await doctor(services, app, verified=verified)
    return found
