"""A fully wired HealthIdService on the test database, clock and rng."""

from __future__ import annotations

import random

import pytest

from core.clock import FrozenClock
from core.settings import Settings
from core.state import StateStore
from testing.healthid import HealthIdWiring, build_health_id


@pytest.fixture
def health(
    db: str, settings: Settings, clock: FrozenClock, rng: random.Random, state: StateStore
) -> HealthIdWiring:
    return build_health_id(settings, clock, rng, state)
