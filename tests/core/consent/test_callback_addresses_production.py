"""Outside development a callback never reaches this machine: a loopback URL stored in
development (or written behind the API's back) is not called at send time, and a name is
resolved only to public addresses (core.netcheck.PublicResolver)."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator

import pytest

from core.clock import FrozenClock
from core.consent.models import CallbackStatus, ConsentCallback
from core.facilities.models import Facility
from core.netcheck import PublicResolver
from core.notify.models import Channel
from core.notify.sms import SmsDeliverer
from core.services import Services, build_services
from core.sms.gateways import LogGateway
from core.state import StateStore
from testing.world import PIN, World, ask
from tests.conftest import make_settings
from tests.core.consent.hiu_server import HiuServer, hiu_server
from tests.core.consent.test_callbacks import scene


@pytest.fixture
async def production(
    db: str, clock: FrozenClock, rng: random.Random, state: StateStore
) -> AsyncIterator[Services]:
    settings = make_settings(env="production")
    async with build_services(
        settings, clock=clock, rng=rng, state=state, sms_gateway=LogGateway()
    ) as built:
        built.notifier.register(Channel.SMS, SmsDeliverer(built.sms))
        yield built


@pytest.fixture
async def hiu() -> AsyncIterator[HiuServer]:
    async with hiu_server() as server:
        yield server


@pytest.mark.parametrize("spelling", ["127.0.0.1", "localhost"])
async def test_a_loopback_callback_is_not_called_outside_development(
    production: Services, hiu: HiuServer, spelling: str
) -> None:
    world = World(production)
    person, hiu_view = await scene(world, "https://hiu.example.in/notify")
    url = hiu.url.replace("127.0.0.1", spelling)
    await Facility.filter(id=hiu_view.id).update(callback_url=url)
    requested = (await production.consent.request(hiu_view, ask(hiu_view, person.address))).request
    await production.consent.grant(person.abha_number, requested.code, PIN, channel="sms")
    assert await production.consent.callbacks.deliver_due() == 0
    row = await ConsentCallback.get()
    assert row.status is CallbackStatus.FAILED
    assert row.last_error == "callback address not allowed"
    assert hiu.deliveries == []


async def test_the_resolver_drops_loopback_answers_outside_development() -> None:
    with pytest.raises(OSError, match="may not reach"):
        await PublicResolver().resolve("localhost", 443)
    found = await PublicResolver(allow_loopback=True).resolve("localhost", 443)
    assert {entry["host"] for entry in found} <= {"127.0.0.1", "::1"}
