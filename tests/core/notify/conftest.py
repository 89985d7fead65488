"""The notifier under test, with a recording deliverer on its Telegram channel."""

from __future__ import annotations

import random

import pytest

from core.clock import FrozenClock
from core.notify.models import Channel
from core.notify.service import Notifier
from tests.core.notify.support import RecordingDeliverer


@pytest.fixture
def telegram() -> RecordingDeliverer:
    return RecordingDeliverer()


@pytest.fixture
def notifier(
    db: str, clock: FrozenClock, rng: random.Random, telegram: RecordingDeliverer
) -> Notifier:
    notifier = Notifier(clock, rng)
    notifier.register(Channel.TELEGRAM, telegram)
    return notifier
