"""Consent tests run on the real services (both backends: the `db` and `state` fixtures), with a
frozen clock and a seeded random source; SMS go to the outbox through the log gateway. The
partner API client (`api`, tests/api) and the whole system (`running`, tests/journeys) are the
same fixtures their own suites use."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator

import pytest

from core.clock import FrozenClock
from core.notify.models import Channel
from core.notify.sms import SmsDeliverer
from core.services import Services, build_services
from core.sms.gateways import LogGateway
from core.state import StateStore
from testing.world import World
from tests.api.conftest import api, serve  # noqa: F401 - the partner API fixtures, reused
from tests.conftest import make_settings
from tests.journeys.conftest import running  # noqa: F401 - the whole system on loopback


@pytest.fixture
async def services(
    db: str, clock: FrozenClock, rng: random.Random, state: StateStore
) -> AsyncIterator[Services]:
    async with build_services(
        make_settings(), clock=clock, rng=rng, state=state, sms_gateway=LogGateway()
    ) as built:
        built.notifier.register(Channel.SMS, SmsDeliverer(built.sms))
        yield built


@pytest.fixture
def world(services: Services) -> World:
    return World(services)
