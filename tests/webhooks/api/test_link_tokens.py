"""Link tokens over HTTP: a facility links visits only with the person's say-so.

What broke before: linking needed only an ABHA number, so any facility could write records into
anyone's ABHA, and 201 against 404 told it which ABHAs exist. Now: a request (202 for every
ABHA alike), a code to the ABHA's own mobile, the token for that code (bound to the facility
and the person, six months), at most three requests per facility per person per day.
"""

from __future__ import annotations

import random

from core.clock import FrozenClock
from core.healthid import numbers
from core.healthid.views import PersonView
from core.records.models import CareContext, HealthRecord
from core.records.people import person_by_number
from testing.linking import link_token, sent_link_code
from testing.records import fixture
from tests.webhooks.api.conftest import Api

ASK = "/api/v1/hip/link-requests"
LINK = "/api/v1/hip/care-contexts"
VISIT = {
    "reference": "OPD-1",
    "display": "OPD visit",
    "hi_type": "Prescription",
    "date": "2026-01-10",
}
PRESCRIPTION = "MAXRVH9999PrescriptionDoc20160805.json"


def token_path(request_id: str) -> str:
    return f"{ASK}/{request_id}/token"


async def mobile_of(person: PersonView) -> str:
    row = await person_by_number(person.abha_number)
    assert row.mobile is not None
    return row.mobile


async def test_a_stranger_cannot_be_linked_without_their_say_so(
    api: Api, hospital: tuple[str, str], person: PersonView
) -> None:
    key = hospital[1]
    bare = await api.call(
        "POST", LINK, json_body={**VISIT, "abha_number": person.abha_number}, key=key
    )
    assert (bare.status, bare.body["error"]["paths"]) == (422, ["link_token"])
    forged = {**VISIT, "abha_number": person.abha_number, "link_token": "alt_" + "0" * 48}
    answer = await api.call("POST", LINK, json_body=forged, key=key)
    assert (answer.status, answer.code) == (403, "link.token_invalid")
    assert await CareContext.all().count() == 0


async def test_known_and_unknown_abhas_answer_alike_until_authorised(
    api: Api, hospital: tuple[str, str], person: PersonView
) -> None:
    key = hospital[1]
    unknown = numbers.format(numbers.generate(random.Random(5)))
    bodies = [
        {"abha_number": person.abha_number},
        {"abha_number": unknown},
        {"abha_address": "nobody.here@sbx"},
    ]
    answers = [await api.call("POST", ASK, json_body=body, key=key) for body in bodies]
    shapes = {(a.status, tuple(sorted(a.body)), a.body["status"]) for a in answers}
    assert shapes == {(202, ("expires_at", "id", "status"), "pending")}
    wrong = [
        await api.call("POST", token_path(a.body["id"]), json_body={"code": "000000"}, key=key)
        for a in answers
    ]
    assert {(w.status, w.code, w.body["error"]["details"]["attempts_left"]) for w in wrong} == {
        (422, "link.code_invalid", 4)
    }
    shown = [await api.call("GET", f"{ASK}/{a.body['id']}", key=key) for a in answers]
    assert {(s.status, s.body["status"]) for s in shown} == {(200, "pending")}
    # Only the real ABHA's mobile got an SMS, naming the facility.
    sent = await api.services.sms.sent_to(await mobile_of(person))
    assert [row.message_key for row in sent].count("sms.link.code") == 1


async def test_the_code_told_at_the_desk_gives_a_token_for_this_facility_and_person(
    api: Api, hospital: tuple[str, str], person: PersonView, clock: FrozenClock
) -> None:
    facility_id, key = hospital
    asked = await api.call("POST", ASK, json_body={"abha_address": person.address}, key=key)
    code = await sent_link_code(api.services, await mobile_of(person))
    facility = await api.services.facilities.get(facility_id)
    sms = (await api.services.sms.sent_to(await mobile_of(person)))[-1].text
    assert facility.name in sms
    assert f"YES {code}" in sms
    issued = await api.call("POST", token_path(asked.body["id"]), json_body={"code": code}, key=key)
    assert issued.status == 201
    assert issued.headers["Cache-Control"] == "no-store"
    token = issued.body["link_token"]
    again = await api.call("POST", token_path(asked.body["id"]), json_body={"code": code}, key=key)
    assert (again.status, again.code) == (409, "link.issued")
    linked = await api.call("POST", LINK, json_body={**VISIT, "link_token": token}, key=key)
    assert linked.status == 201
    # Another facility cannot use it, nor see the request.
    _, other_key = await api.verified(name="City Clinic")
    stolen = await api.call("POST", LINK, json_body={**VISIT, "link_token": token}, key=other_key)
    assert (stolen.status, stolen.code) == (403, "link.token_invalid")
    peek = await api.call("GET", f"{ASK}/{asked.body['id']}", key=other_key)
    assert (peek.status, peek.code) == (404, "link.not_found")
    # Six months on, the token has run out.
    clock.advance(days=184)
    late = await api.call(
        "POST", LINK, json_body={**VISIT, "reference": "OPD-2", "link_token": token}, key=key
    )
    assert (late.status, late.code) == (403, "link.token_invalid")


async def test_five_wrong_codes_end_the_request(
    api: Api, hospital: tuple[str, str], person: PersonView
) -> None:
    key = hospital[1]
    asked = await api.call("POST", ASK, json_body={"abha_number": person.abha_number}, key=key)
    code = await sent_link_code(api.services, await mobile_of(person))
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    codes = [
        (
            await api.call("POST", token_path(asked.body["id"]), json_body={"code": wrong}, key=key)
        ).code
        for _ in range(5)
    ]
    assert codes == ["link.code_invalid"] * 4 + ["link.failed"]
    right = await api.call("POST", token_path(asked.body["id"]), json_body={"code": code}, key=key)
    assert (right.status, right.code) == (403, "link.failed")


async def test_three_requests_per_facility_per_person_per_day(
    api: Api, hospital: tuple[str, str], person: PersonView, clock: FrozenClock
) -> None:
    key = hospital[1]
    unknown = numbers.format(numbers.generate(random.Random(9)))
    for body in ({"abha_number": person.abha_number}, {"abha_number": unknown}):
        statuses = [(await api.call("POST", ASK, json_body=body, key=key)).status for _ in range(4)]
        assert statuses == [202, 202, 202, 429], body
    # by address, the same person: still counted against them
    by_address = await api.call("POST", ASK, json_body={"abha_address": person.address}, key=key)
    assert (by_address.status, by_address.code) == (429, "link.rate_limited")
    sent = await api.services.sms.sent_to(await mobile_of(person))
    assert [row.message_key for row in sent].count("sms.link.code") == 3
    # Another facility has its own three.
    _, other_key = await api.verified(name="City Clinic")
    other = await api.call(
        "POST", ASK, json_body={"abha_number": person.abha_number}, key=other_key
    )
    assert other.status == 202
    clock.advance(days=1)
    next_day = await api.call("POST", ASK, json_body={"abha_number": person.abha_number}, key=key)
    assert next_day.status == 202


async def test_a_push_after_the_token_ran_out_is_refused(
    api: Api, hospital: tuple[str, str], person: PersonView, clock: FrozenClock
) -> None:
    facility_id, key = hospital
    token = await link_token(api.services, facility_id, person)
    linked = await api.call("POST", LINK, json_body={**VISIT, "link_token": token}, key=key)
    assert linked.status == 201
    clock.advance(days=184)
    pushed = await api.call(
        "POST",
        "/api/v1/hip/care-contexts/OPD-1/documents",
        data=fixture(PRESCRIPTION),
        headers={"Content-Type": "application/fhir+json"},
        key=key,
    )
    assert (pushed.status, pushed.code) == (403, "link.token_invalid")
    assert await HealthRecord.all().count() == 0
