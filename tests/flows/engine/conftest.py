"""Fixtures for the engine tests: the demo flows on the real state store and a frozen clock."""

from __future__ import annotations

import pytest

from core.clock import FrozenClock
from core.settings import Settings
from core.state import StateStore
from flows import Engine
from tests.flows.engine.demo import DemoServices, demo_engine


@pytest.fixture
def services() -> DemoServices:
    return DemoServices()


@pytest.fixture
def engine(
    state: StateStore, settings: Settings, clock: FrozenClock, services: DemoServices
) -> Engine[DemoServices]:
    return demo_engine(state, settings, clock, services)
