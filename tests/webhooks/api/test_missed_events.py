"""A callback the HIU answered 400 is not lost: the facility lists it, with the payload it would
have received (still ABDM's HIUConsentNotificationEvent), and no other facility sees it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from testing.world import PIN, World, abdm_body
from tests.core.consent.hiu_server import HiuServer, hiu_server
from tests.webhooks.api.abdm_schemas import problems, schema
from tests.webhooks.api.conftest import Api

MISSED = "/api/v1/hiu/missed-events"


@pytest.fixture
async def hiu() -> AsyncIterator[HiuServer]:
    async with hiu_server() as server:
        yield server


async def test_a_refused_callback_is_listed_for_its_hiu(api: Api, hiu: HiuServer) -> None:
    world = World(api.services)
    person = await world.person()
    hiu_id, key = await api.verified(name="Sanjeevani Hospital", callback_url=hiu.url)
    await world.doctor(works_at=[hiu_id])
    _, other_key = await api.verified(name="City Clinic")
    asked = await api.call(
        "POST", "/api/v1/hiu/consent-requests", json_body=abdm_body(hiu_id, person.address), key=key
    )
    assert asked.status == 201, asked.body
    assert (await api.call("GET", MISSED, key=key)).body == {"items": []}

    consent = api.services.consent
    code = (await consent.find_by_id(person.abha_number, asked.body["id"])).code
    await consent.deny(person.abha_number, code, PIN, channel="sms")
    hiu.failures = [400]
    assert await consent.callbacks.deliver_due() == 0
    assert hiu.statuses() == ["DENIED"]  # it was offered once, and refused

    listed = await api.call("GET", MISSED, key=key)
    assert (listed.status, listed.headers["Cache-Control"]) == (200, "no-store")
    [event] = listed.body["items"]
    assert (event["consentRequestId"], event["event"], event["lastError"]) == (
        asked.body["id"],
        "DENIED",
        "HTTP 400",
    )
    assert event["payload"] == hiu.deliveries[0].body  # the very body it refused
    assert problems(schema("HIUConsentNotificationEvent"), event["payload"]) == []
    assert (await api.call("GET", MISSED, key=other_key)).body == {"items": []}
    refused = await api.call("GET", f"{MISSED}?status=FAILED", key=key)
    assert (refused.status, refused.code) == (422, "request.unknown_parameter")
