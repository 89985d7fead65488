"""The facility registry on the test database, clock and rng, with the real audit log."""

from __future__ import annotations

import random

import pytest

from core.audit.service import AuditLog
from core.clock import FrozenClock
from core.facilities.service import FacilityService


@pytest.fixture
def audit(db: str, clock: FrozenClock) -> AuditLog:
    return AuditLog(clock)


@pytest.fixture
def facilities(audit: AuditLog, clock: FrozenClock, rng: random.Random) -> FacilityService:
    return FacilityService(clock, rng, audit)
