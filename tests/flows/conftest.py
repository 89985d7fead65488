"""Chats with the real engine, without a channel in between, on the whole system (`running`)."""

from __future__ import annotations

import pytest

from tests.flows.find.chat import Chat
from tests.running import Running


@pytest.fixture
def sms_chat(running: Running) -> Chat:
    """The journeys' phone, by SMS, through the engine alone."""
    return Chat(running.services, "sms", "+919876543210")


@pytest.fixture
def telegram_chat(running: Running) -> Chat:
    return Chat(running.services, "telegram", "5550001")
