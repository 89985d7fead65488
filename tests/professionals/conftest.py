"""The professionals registry on the test database, clock and rng."""

from __future__ import annotations

import random

import pytest

from core.clock import FrozenClock
from core.settings import Settings
from tests.professionals.helpers import Wiring, build


@pytest.fixture
def hpr(db: str, settings: Settings, clock: FrozenClock, rng: random.Random) -> Wiring:
    return build(settings, clock, rng)
