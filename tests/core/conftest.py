"""Core services wired as production wires them, on the real test database and a LogGateway."""

from __future__ import annotations

import random

import pytest

from core.audit.service import AuditLog
from core.clock import FrozenClock
from core.otp.service import OtpService
from core.settings import Settings
from core.sms.gateways import LogGateway
from core.sms.outbox import SmsService
from core.state import StateStore


@pytest.fixture
def log_gateway() -> LogGateway:
    return LogGateway()


@pytest.fixture
def sms(
    db: str, settings: Settings, clock: FrozenClock, log_gateway: LogGateway, rng: random.Random
) -> SmsService:
    return SmsService(settings, clock, log_gateway, rng)


@pytest.fixture
def otp(
    settings: Settings,
    clock: FrozenClock,
    rng: random.Random,
    sms: SmsService,
    state: StateStore,
) -> OtpService:
    """On the state store under test (Redis when configured): OTP strikes and send counts."""
    return OtpService(settings, clock, rng, sms, state=state)


@pytest.fixture
def audit(db: str, clock: FrozenClock) -> AuditLog:
    return AuditLog(clock)
