"""A callback URL stored before the address rules (or changed behind the API's back) is checked
again when a callback is sent: a private, link-local or metadata address is never called (SSRF)."""

from __future__ import annotations

from core.consent.models import CallbackStatus, ConsentCallback
from core.facilities.models import Facility
from core.services import Services
from testing.world import PIN, World, ask
from tests.core.consent.test_callbacks import scene


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
