"""Linking a care context: who may, to whom, and the refusals of a bad request.

Every link carries a link token the person authorised (tests/webhooks/api/test_link_tokens.py shows
how one is asked for); here the token is taken with the code the person's SMS holds.
"""

from __future__ import annotations

import random
from typing import Any

import pytest

from core.facilities.models import Facility, FacilityStatus
from core.healthid import numbers
from core.healthid.views import PersonView
from core.records.models import CareContext
from testing.linking import link_token
from tests.webhooks.api.conftest import ADMIN_TOKEN, Api
from tests.webhooks.api.test_admin import ADMIN

LINK = "/api/v1/hip/care-contexts"


def link_body(
    person: PersonView | None = None,
    token: str = "alt_none",  # noqa: S107 (a token that names nobody)
    **overrides: Any,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "link_token": token,
        "reference": "OPD-2026-0001",
        "display": "OPD visit, General Medicine",
        "hi_type": "Prescription",
        "date": "2026-01-10",
    }
    if person is not None:
        body["abha_number"] = person.abha_number
    body.update(overrides)
    return body


async def test_a_visit_is_linked_by_abha_number_or_address(
    api: Api, hospital: tuple[str, str], person: PersonView
) -> None:
    facility_id, key = hospital
    token = await link_token(api.services, facility_id, person)
    by_number = await api.call("POST", LINK, json_body=link_body(person, token), key=key)
    assert by_number.status == 201
    assert by_number.body["reference"] == "OPD-2026-0001"
    assert by_number.body["hi_type"] == "Prescription"
    assert "abha_number" not in by_number.body  # the ABHA is not echoed to a facility
    by_address = await api.call(
        "POST",
        LINK,
        key=key,
        json_body=link_body(token=token, reference="LAB-7", abha_address=person.address),
    )
    assert by_address.status == 201
    contexts = await CareContext.all().prefetch_related("person")
    assert {c.person.abha_number for c in contexts} == {numbers.compact(person.abha_number)}


async def test_linking_again_is_harmless_but_changing_it_is_refused(
    api: Api, hospital: tuple[str, str], person: PersonView
) -> None:
    facility_id, key = hospital
    token = await link_token(api.services, facility_id, person)
    first = await api.call("POST", LINK, json_body=link_body(person, token), key=key)
    again = await api.call("POST", LINK, json_body=link_body(person, token), key=key)
    assert again.body["id"] == first.body["id"]
    changed = await api.call(
        "POST", LINK, json_body=link_body(person, token, hi_type="DiagnosticReport"), key=key
    )
    assert (changed.status, changed.code) == (409, "records.care_context_exists")
    assert changed.body["error"]["details"] == {"reference": "OPD-2026-0001"}


async def test_an_abha_other_than_the_tokens_is_refused(
    api: Api, hospital: tuple[str, str], person: PersonView
) -> None:
    facility_id, key = hospital
    token = await link_token(api.services, facility_id, person)
    unknown_number = numbers.format(numbers.generate(random.Random(5)))
    for body, status, code in [
        (link_body(token=token, abha_number=unknown_number), 403, "link.token_invalid"),
        (link_body(token=token, abha_address="nobody.here@sbx"), 403, "link.token_invalid"),
        (link_body(token=token, abha_number="91-5555-1234-5670"), 422, "abha.invalid"),
        (link_body(person), 403, "link.token_invalid"),  # no real token
        (link_body(person, token[:-1] + "0"), 403, "link.token_invalid"),
    ]:
        answer = await api.call("POST", LINK, json_body=body, key=key)
        assert (answer.status, answer.code) == (status, code), body
    assert await CareContext.all().count() == 0


async def test_an_inactive_abha_is_refused(
    api: Api, hospital: tuple[str, str], person: PersonView
) -> None:
    token = await link_token(api.services, hospital[0], person)
    await api.services.healthid.deactivate(person.abha_number, channel="sms")
    answer = await api.call("POST", LINK, json_body=link_body(person, token), key=hospital[1])
    assert (answer.status, answer.code) == (403, "link.token_invalid")


@pytest.mark.parametrize(
    ("overrides", "status", "where"),
    [
        ({"reference": "OPD 1"}, 422, {"field": "reference"}),
        ({"date": "2026-03-01"}, 422, {"field": "date"}),  # after the frozen today
        ({"abha_address": "sunita.devi@sbx"}, 422, {"field": "abha"}),  # both given
        ({"hi_type": "prescription"}, 422, {"paths": ["hi_type"]}),
        ({"date": "10/01/2026"}, 422, {"paths": ["date"]}),
        ({"display": 42, "extra": True}, 422, {"paths": ["display", "extra"]}),
    ],
)
async def test_a_bad_link_request_says_where(
    api: Api,
    hospital: tuple[str, str],
    person: PersonView,
    overrides: dict[str, Any],
    status: int,
    where: dict[str, Any],
) -> None:
    token = await link_token(api.services, hospital[0], person)
    body = link_body(person, token, **overrides)
    answer = await api.call("POST", LINK, json_body=body, key=hospital[1])
    assert answer.status == status
    error = answer.body["error"]
    found = {name: sorted(error[name]) if name == "paths" else error.get(name) for name in where}
    assert found == where
    assert await CareContext.all().count() == 0


async def test_the_token_alone_names_the_person(
    api: Api, hospital: tuple[str, str], person: PersonView
) -> None:
    token = await link_token(api.services, hospital[0], person)
    answer = await api.call("POST", LINK, json_body=link_body(token=token), key=hospital[1])
    assert answer.status == 201
    context = await CareContext.get(id=answer.body["id"]).prefetch_related("person")
    assert context.person.abha_number == numbers.compact(person.abha_number)


async def test_linking_needs_a_good_key_of_a_verified_facility(
    api: Api, hospital: tuple[str, str], person: PersonView
) -> None:
    facility_id, key = hospital
    token = await link_token(api.services, facility_id, person)
    body = link_body(person, token)
    tampered = key[:-1] + ("b" if key.endswith("a") else "a")
    refusals = [
        ({}, 401, "facility.key_missing"),
        ({"Authorization": "Bearer afk_nope"}, 401, "facility.key_invalid"),
        ({"Authorization": f"Basic {key}"}, 401, "facility.key_invalid"),
        ({"Authorization": f"Bearer {tampered}"}, 401, "facility.key_invalid"),
        ({"X-API-Key": key, "Authorization": "Bearer afk_other"}, 400,
         "request.conflicting_credentials"),
    ]  # fmt: skip
    for headers, status, code in refusals:
        answer = await api.call("POST", LINK, json_body=body, headers=headers)
        assert (answer.status, answer.code) == (status, code), headers
    both = await api.call("POST", LINK, json_body=body, headers={"X-API-Key": key}, key=key)
    assert both.status == 201
    # An administrator suspends the facility: its key no longer lets it act.
    await Facility.filter(id=facility_id).update(status=FacilityStatus.SUBMITTED)
    answer = await api.call(
        "POST", LINK, json_body=link_body(person, token, reference="X-2"), key=key
    )
    assert (answer.status, answer.code) == (403, "facility.not_verified")
    assert await CareContext.all().count() == 1


async def test_a_registered_but_unverified_facility_has_no_key_to_use(
    api: Api, person: PersonView
) -> None:
    facility_id = await api.register()
    rotate = await api.call("POST", f"{ADMIN}/{facility_id}/keys/rotate", admin=ADMIN_TOKEN)
    assert rotate.code == "facility.not_verified"
    answer = await api.call("POST", LINK, json_body=link_body(person))
    assert (answer.status, answer.code) == (401, "facility.key_missing")
