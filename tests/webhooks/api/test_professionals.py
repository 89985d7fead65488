"""Doctors on the partner API: prove the mobile, register, are verified, are found.

Every answer is checked against the OpenAPI document the server serves
(tests/webhooks/api/conftest).
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from core.clock import FrozenClock
from core.notify.models import Notification
from core.professionals.models import Professional
from tests.flows.find.seed import REGISTRAR, doctor, draft, facility, paediatrician
from tests.webhooks.api.conftest import Api, Serve

OTP = "/api/v1/professionals/mobile-otp"
VERIFY = "/api/v1/professionals/mobile-otp/verify"
DOCTORS = "/api/v1/professionals"
MOBILE = "+919876543210"
SCRIPT = "<script>alert('x')</script> & <b>Sons</b> Medical College"


async def sent_code(api: Api, mobile: str = MOBILE) -> str:
    texts = [row.text for row in await api.services.sms.sent_to(mobile)]
    found = re.search(r"\b(\d{6})\b", texts[-1])
    assert found is not None, texts
    return found.group(1)


async def proof(api: Api, mobile: str = "98765 43210") -> str:
    """The two calls a doctor makes before registering; the proof they answer."""
    started = await api.call("POST", OTP, json_body={"mobile": mobile, "language": "hi"})
    assert started.status == 201, started.body
    assert started.body["masked_mobile"] == "******" + mobile[-4:]
    assert started.headers["Cache-Control"] == "no-store"
    code = await sent_code(api, "+91" + "".join(mobile.split())[-10:])
    checked = await api.call(
        "POST", VERIFY, json_body={"txn_id": started.body["txn_id"], "otp": code}
    )
    assert checked.status == 200, checked.body
    return str(checked.body["mobile_proof"])


def registration(mobile_proof: str, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": "Asha Rao",
        "mobile": "98765 43210",
        "council": "UP",
        "registration_number": "UP/2014/0042",
        "registration_year": 2014,
        "qualifications": [
            {"degree": "MBBS", "institution": SCRIPT, "university": "KGMU", "year": 2012}
        ],
        "specialisation": "paediatrics",
        "years_of_experience": 9,
        "language": "hi",
        "mobile_proof": mobile_proof,
    }
    body.update(overrides)
    return body


@pytest.fixture
async def lucknow(api: Api) -> str:
    """A verified hospital in Lucknow (district 162, PIN 226004)."""
    spec = draft("Sanjeevani Hospital", "12 Station Road, Lucknow", "226004", "0522 263 5000")
    return await facility(api.services, spec)


async def test_a_doctor_registers_is_verified_and_becomes_public(api: Api, lucknow: str) -> None:
    body = registration(await proof(api), facility_ids=[lucknow], email="asha@example.org")
    answer = await api.call("POST", DOCTORS, json_body=body)
    assert answer.status == 201, answer.body
    record = answer.body
    assert (record["status"], record["council"], record["mobile"]) == (
        "PENDING",
        "UP",
        "******3210",
    )
    assert record["qualifications"][0]["institution"] == SCRIPT  # stored exactly as sent
    hpr_id = record["hpr_id"]
    assert re.fullmatch(r"[1-9]\d{13}", hpr_id)
    assert (await api.call("GET", f"{DOCTORS}/{hpr_id}")).code == "hpr.not_found"

    await api.services.professionals.verify(hpr_id, REGISTRAR, channel="web")
    shown = await api.call(
        "GET", f"{DOCTORS}/{hpr_id[:2]}-{hpr_id[2:6]}-{hpr_id[6:10]}-{hpr_id[10:]}"
    )
    assert shown.status == 200
    assert not {"mobile", "email"} & set(shown.body)
    assert shown.body["council_name"] == "Uttar Pradesh Medical Council"
    assert shown.body["qualifications"][0]["institution"] == SCRIPT
    assert [(p["id"], p["district_name"]) for p in shown.body["places"]] == [(lucknow, "Lucknow")]
    notice = await Notification.get(address=MOBILE)  # the decision, by SMS, in Hindi
    assert (notice.channel, notice.message_key, notice.lang) == ("sms", "hpr.notice.verified", "hi")


async def test_the_mobile_must_be_proved_once_recently_and_for_this_number(
    api: Api, clock: FrozenClock
) -> None:
    started = await api.call("POST", OTP, json_body={"mobile": "98765 43210"})
    unverified = await api.call("POST", DOCTORS, json_body=registration(started.body["txn_id"]))
    assert (unverified.status, unverified.code) == (403, "hpr.mobile_unverified")
    wrong = await api.call(
        "POST", VERIFY, json_body={"txn_id": started.body["txn_id"], "otp": "000000"}
    )
    assert (wrong.status, wrong.code) == (422, "otp.invalid")
    assert wrong.body["error"]["details"]["attempts_left"] == 4
    unknown = await api.call("POST", VERIFY, json_body={"txn_id": "no-such-txn", "otp": "123456"})
    assert (unknown.status, unknown.code) == (404, "otp.unknown")

    other = await proof(api, "98111 00009")
    answer = await api.call("POST", DOCTORS, json_body=registration(other))
    assert (answer.status, answer.code) == (403, "hpr.mobile_unverified")  # another mobile's

    stale = await proof(api)
    clock.advance(minutes=31)
    answer = await api.call("POST", DOCTORS, json_body=registration(stale))
    assert (answer.status, answer.code) == (403, "hpr.mobile_unverified")

    fresh = await proof(api)
    assert (await api.call("POST", DOCTORS, json_body=registration(fresh))).status == 201
    again = registration(fresh, registration_number="UP/2014/0043")
    answer = await api.call("POST", DOCTORS, json_body=again)
    assert (answer.status, answer.code) == (409, "hpr.mobile_proof_used")
    assert await Professional.all().count() == 1


async def test_duplicates_unknown_councils_and_bad_fields_are_refused_and_store_nothing(
    serve: Serve,
) -> None:
    api = await serve(registrations_per_hour=50)
    lucknow = await facility(
        api.services,
        draft("Sanjeevani Hospital", "Station Road, Lucknow", "226004", "0522 263 5000"),
    )
    taken = paediatrician("Meera Saxena", "+919811100001", "UP/2014/0042", lucknow)
    await doctor(api.services, taken, verified=False)
    refusals = {
        "duplicate": (registration(await proof(api), registration_number=" up / 2014 / 0042 "),
                      409, "hpr.duplicate_registration", None),
        "council": (registration(await proof(api), council="XX"), 422, "hpr.council_unknown",
                    None),
        "name": (registration(await proof(api), name="<b>Asha</b>"), 422, "hpr.invalid", "name"),
        "place": (registration(await proof(api), facility_ids=["IN0999999999"]), 422,
                  "hpr.facility_unknown", None),
        "year": (registration(await proof(api), registration_year=2031), 422, "hpr.invalid",
                 "registration_year"),
    }  # fmt: skip
    for what, (body, status, code, field) in refusals.items():
        answer = await api.call("POST", DOCTORS, json_body=body)
        assert (answer.status, answer.code, answer.body["error"].get("field")) == (
            status,
            code,
            field,
        ), what
    shaped = await api.call(
        "POST",
        DOCTORS,
        json_body={**registration("x"), "year": "2014", "registration_year": "2014"},
    )
    assert (shaped.status, shaped.code) == (422, "request.invalid")
    assert set(shaped.body["error"]["paths"]) == {"year", "registration_year"}
    assert await Professional.all().count() == 1  # only the seeded one


async def test_search_lists_verified_doctors_in_the_area_page_by_page(
    api: Api, lucknow: str
) -> None:
    varanasi = await facility(
        api.services,
        draft("Kashi Clinic", "Lanka, Varanasi", "221005", "0542 236 9000", district_code=187),
    )
    names = ["Arun Tiwari", "Bela Singh", "Chitra Rao"]
    for n, name in enumerate(names):
        app = paediatrician(name, f"+91981110001{n}", f"UP/2015/{n}", lucknow)
        await doctor(api.services, app)
    await doctor(
        api.services,
        paediatrician("Dev Pending", "+919811100020", "UP/2015/20", lucknow),
        verified=False,
    )
    await doctor(api.services, paediatrician("Esha Far", "+919811100021", "UP/2015/21", varanasi))

    first = await api.call("GET", f"{DOCTORS}?specialisation=paediatrics&district=162&page_size=2")
    assert [item["name"] for item in first.body["items"]] == names[:2]
    assert first.body["items"][0]["facility"]["phone"] == "+915222635000"
    assert first.body["items"][0]["degrees"] == ["MBBS", "MD (Paediatrics)"]
    second = await api.call("GET", first.body["next"])
    assert [item["name"] for item in second.body["items"]] == names[2:]
    assert (second.body["total"], second.body["next"]) == (3, None)
    by_pin = await api.call("GET", f"{DOCTORS}?specialisation=paediatrics&pincode=221005")
    assert [item["name"] for item in by_pin.body["items"]] == ["Esha Far"]
    none = await api.call("GET", f"{DOCTORS}?specialisation=cardiology&district=162")
    assert (none.status, none.body["items"], none.body["total"]) == (200, [], 0)


@pytest.mark.parametrize(
    ("query", "code", "field"),
    [
        ("district=162", "hpr.invalid", "specialisation"),
        ("specialisation=heart&district=162", "hpr.invalid", "specialisation"),
        ("specialisation=paediatrics", "hpr.invalid", "area"),
        ("specialisation=paediatrics&district=162&pincode=226004", "hpr.invalid", "area"),
        ("specialisation=paediatrics&district=Lucknow", "hpr.invalid", "district"),
        ("specialisation=paediatrics&district=999999998", "hpr.invalid", "district"),
        ("specialisation=paediatrics&pincode=22600", "hpr.invalid", "pincode"),
        ("specialisation=paediatrics&district=162&page_size=51", "hpr.invalid", "page_size"),
        ("specialisation=paediatrics&district=162&page=0", "hpr.invalid", "page"),
        ("specialisation=paediatrics&district=162&district=187", "hpr.invalid", "district"),
        ("specialisation=paediatrics&pin=226004", "request.unknown_parameter", "pin"),
    ],
)
async def test_a_malformed_search_is_refused_naming_the_parameter(
    api: Api, query: str, code: str, field: str
) -> None:
    answer = await api.call("GET", f"{DOCTORS}?{query}")
    assert (answer.status, answer.code, answer.body["error"]["field"]) == (422, code, field)


async def test_unknown_or_malformed_ids_are_not_found(api: Api) -> None:
    for hpr_id in ("12345678901234", "not-an-id", "<script>"):
        answer = await api.call("GET", f"{DOCTORS}/{hpr_id}")
        assert (answer.status, answer.code) == (404, "hpr.not_found")


async def test_otps_and_registrations_share_a_per_address_limit(serve: Serve) -> None:
    api = await serve(registrations_per_hour=2)
    for mobile in ("98765 43210", "98111 00009"):
        assert (await api.call("POST", OTP, json_body={"mobile": mobile})).status == 201
    refused = await api.call("POST", OTP, json_body={"mobile": "98111 00008"})
    assert (refused.status, refused.code) == (429, "request.rate_limited")
    assert int(refused.headers["Retry-After"]) > 0
    refused = await api.call("POST", DOCTORS, json_body=registration("x"))
    assert (refused.status, refused.code) == (429, "request.rate_limited")
