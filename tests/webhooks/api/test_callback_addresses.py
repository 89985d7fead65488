"""Callback URLs reach the public internet only: no private, link-local or metadata addresses,
neither when a facility registers one nor when a callback is sent (SSRF)."""

from __future__ import annotations

import pytest

from core.consent.models import CallbackStatus, ConsentCallback
from core.facilities.models import Facility
from core.services import Services
from testing.world import PIN, World, ask
from tests.core.consent.test_callbacks import scene
from tests.webhooks.api.conftest import Api, registration

REFUSED = [
    "https://169.254.169.254/latest/meta-data/",  # cloud metadata
    "https://10.0.0.5/abdm/notify",
    "https://192.168.1.20/cb",
    "https://[fd00:ec2::254]/",
    "https://[fe80::1]/cb",
    "https://0.0.0.0/cb",
    "http://hiu.example.in/cb",  # plain http off loopback
]


@pytest.mark.parametrize("url", REFUSED)
async def test_a_private_callback_url_is_refused_at_registration(api: Api, url: str) -> None:
    answer = await api.call("POST", "/api/v1/facilities", json_body=registration(callback_url=url))
    assert (answer.status, answer.body["error"].get("field")) == (422, "callback_url")


async def test_a_private_address_stored_earlier_is_not_called(
    services: Services, world: World
) -> None:
    person, hiu_view = await scene(world, "https://hiu.example.in/notify")
    await Facility.filter(id=hiu_view.id).update(callback_url="https://169.254.169.254/x")
    requested = (await services.consent.request(hiu_view, ask(hiu_view, person.address))).request
    await services.consent.grant(person.abha_number, requested.code, PIN, channel="sms")
    assert await services.consent.callbacks.deliver_due() == 0
    row = await ConsentCallback.get()
    assert row.status is CallbackStatus.FAILED
    assert row.last_error == "callback address not allowed"
