"""The whole system on a loopback server (the journeys' `running` app), with a seeded directory
of facilities and doctors to find."""

from __future__ import annotations

import pytest

from tests.find.chat import Chat
from tests.find.seed import Directory, seed
from tests.journeys.conftest import Running, running

__all__ = ["running"]


@pytest.fixture
async def directory(running: Running) -> Directory:
    return await seed(running.services)


@pytest.fixture
def sms_chat(running: Running) -> Chat:
    """The journeys' phone, by SMS, through the engine alone."""
    return Chat(running.services, "sms", "+919876543210")


@pytest.fixture
def telegram_chat(running: Running) -> Chat:
    return Chat(running.services, "telegram", "5550001")
