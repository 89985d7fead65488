"""The notifier's port: what a channel must do to carry a notice, and how it says it failed.

Why two failure kinds: the outbox must know whether to try again. A gateway outage or a rate
limit is *retryable* (backoff, try later); a user who blocked the bot or a number that cannot
receive SMS is *permanent* (stop, mark the notice FAILED) — retrying those only annoys the
channel's operator and burns our sending reputation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from core.notify.buttons import Button
from core.notify.models import Channel


@dataclass(frozen=True, slots=True)
class Notice:
    """A claimed notification as a deliverer sees it (a snapshot, not the database row)."""

    id: str
    channel: Channel
    address: str
    message_key: str
    params: dict[str, Any]
    lang: str
    attachment: str | None = None
    buttons: tuple[tuple[Button, ...], ...] = field(default_factory=tuple)
    #: This attempt's number, counting from 1.
    attempt: int = 1


class DeliveryError(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class RetryableDeliveryError(DeliveryError):
    """Try again later; not before `retry_after` seconds when the channel said so."""

    def __init__(self, reason: str, *, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.retry_after = retry_after


class PermanentDeliveryError(DeliveryError):
    """This notice can never be delivered on this channel to this address."""


class Deliverer(Protocol):
    async def deliver(self, notice: Notice) -> None:
        """Hand the notice to the channel; raise a DeliveryError subclass if that failed.

        Any other exception is treated as retryable (and logged as a bug)."""
        ...
