"""Public registration (open, rate-limited, strictly parsed) and the public look-up."""

from __future__ import annotations

import json

from core.clock import FrozenClock
from core.facilities.models import Facility
from tests.webhooks.api.conftest import ADMIN_TOKEN, Api, Serve, registration

REGISTER = "/api/v1/facilities"


async def test_registration_is_submitted_for_the_administrator(api: Api) -> None:
    answer = await api.call("POST", REGISTER, json_body=registration())
    assert answer.status == 201
    facility = answer.body
    assert facility["id"].startswith("IN09")
    assert facility["status"] == "SUBMITTED"
    assert facility["phone"] == "+915222635000"  # normalised by core
    assert (facility["state_name"], facility["district_name"]) == ("Uttar Pradesh", "Lucknow")
    events = await api.services.audit.events(subject=facility["id"])
    assert [(e.action, e.actor, e.channel) for e in events] == [
        ("facility.registered", "api:public", "api")
    ]


async def test_a_body_of_the_wrong_shape_names_every_failing_path(api: Api) -> None:
    body = registration(state_code="9", pin_code="226004")
    del body["name"]
    answer = await api.call("POST", REGISTER, json_body=body)
    assert (answer.status, answer.code) == (422, "request.invalid")
    assert sorted(answer.body["error"]["paths"]) == ["name", "pin_code", "state_code"]
    assert await Facility.all().count() == 0


async def test_a_rule_core_enforces_names_its_field(api: Api) -> None:
    wrong_pin = await api.call("POST", REGISTER, json_body=registration(pincode="026004"))
    assert (wrong_pin.status, wrong_pin.code) == (422, "facility.invalid")
    assert wrong_pin.body["error"]["field"] == "pincode"
    assert "pincode" in wrong_pin.body["error"]["message"]
    elsewhere = await api.call("POST", REGISTER, json_body=registration(district_code=79))
    assert elsewhere.body["error"]["field"] == "district_code"  # New Delhi is not in UP
    bad_type = await api.call("POST", REGISTER, json_body=registration(facility_type="spa"))
    assert (bad_type.status, bad_type.body["error"]["paths"]) == (422, ["facility_type"])


async def test_malformed_json_wrong_type_and_oversized_bodies_are_refused(api: Api) -> None:
    headers = {"Content-Type": "application/json"}
    broken = await api.call("POST", REGISTER, data=b'{"name": "Sanj', headers=headers)
    assert (broken.status, broken.code) == (400, "request.malformed_json")
    not_utf8 = await api.call("POST", REGISTER, data=b'{"name": "\xff"}', headers=headers)
    assert (not_utf8.status, not_utf8.code) == (400, "request.malformed_json")
    form_type = {"Content-Type": "application/x-www-form-urlencoded"}
    form = await api.call("POST", REGISTER, data=b"name=x", headers=form_type)
    assert (form.status, form.code) == (415, "request.unsupported_media_type")
    latin = await api.call(
        "POST",
        REGISTER,
        data=json.dumps(registration()).encode(),
        headers={"Content-Type": "application/json; charset=latin-1"},
    )
    assert latin.status == 415
    huge = registration(services=["x" * 1000] * 100)  # ~100 KB, over the 64 KiB JSON cap
    too_big = await api.call("POST", REGISTER, json_body=huge)
    assert (too_big.status, too_big.code) == (413, "request.too_large")
    assert too_big.body["error"]["details"] == {"max_kb": 64}
    array = await api.call("POST", REGISTER, json_body=[registration()])
    assert (array.status, array.code) == (422, "request.invalid")
    assert await Facility.all().count() == 0


async def test_registrations_are_limited_per_client_address_per_hour(
    serve: Serve, clock: FrozenClock
) -> None:
    api = await serve(registrations_per_hour=2)
    for _ in range(2):
        assert (await api.call("POST", REGISTER, json_body=registration())).status == 201
    refused = await api.call("POST", REGISTER, json_body=registration())
    assert (refused.status, refused.code) == (429, "request.rate_limited")
    assert refused.headers["Retry-After"] == "1800"  # the frozen clock is at 09:30
    assert refused.body["error"]["details"] == {"retry_after": 1800}
    assert (await api.call("POST", REGISTER, data=b"{", headers={})).status == 429
    clock.advance(minutes=30)
    assert (await api.call("POST", REGISTER, json_body=registration())).status == 201
    assert await Facility.all().count() == 3


async def test_a_facility_is_public_only_once_verified(api: Api) -> None:
    facility_id = await api.register()
    hidden = await api.call("GET", f"/api/v1/facilities/{facility_id}")
    assert (hidden.status, hidden.code) == (404, "facility.not_found")
    verify = f"/api/v1/admin/facilities/{facility_id}/verify"
    assert (await api.call("POST", verify, admin=ADMIN_TOKEN)).status == 200
    shown = await api.call("GET", f"/api/v1/facilities/{facility_id}")
    assert shown.status == 200
    assert shown.body["name"] == "Sanjeevani Multispeciality Hospital"
    assert "status" not in shown.body
    assert "callback_url" not in shown.body
    for pincode in ("2260041", "22600", "abcdef"):
        answer = await api.call("GET", f"/api/v1/facilities?pincode={pincode}")
        assert (answer.status, answer.body["error"]["field"]) == (422, "pincode")
    found = await api.call("GET", "/api/v1/facilities?pincode=226%20004")
    assert [item["name"] for item in found.body["items"]] == ["Sanjeevani Multispeciality Hospital"]
    for wrong in ("IN0900000000", "not-an-id", "%20"):
        answer = await api.call("GET", f"/api/v1/facilities/{wrong}")
        assert (answer.status, answer.code) == (404, "facility.not_found")


async def test_errors_speak_hindi_when_asked(api: Api) -> None:
    answer = await api.call(
        "POST",
        REGISTER,
        json_body=registration(pincode="1"),
        headers={"Accept-Language": "hi-IN,hi;q=0.9,en;q=0.8"},
    )
    assert answer.code == "facility.invalid"
    assert any("\u0900" <= char <= "\u097f" for char in answer.body["error"]["message"])
