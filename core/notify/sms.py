"""Carrying notices by SMS: hand them to the SMS outbox (`core.sms`), which owns the gateway.

Why hand over rather than send: `SmsService.send` writes its own outbox row and retries the
gateway itself, so once it returns the SMS is as safe as the notice was; this deliverer only has
to turn the service's refusals into the notifier's two kinds of failure. The message key must be
an SMS text with a DLT template (`core.sms.templates`); buttons and attachments do not travel by
SMS and are dropped.
"""

from __future__ import annotations

from typing import Any, Protocol

from core.notify.ports import Notice, PermanentDeliveryError, RetryableDeliveryError


class SmsSender(Protocol):
    """What the deliverer needs of `core.sms.outbox.SmsService`."""

    async def send(self, to: str, message_key: str, params: dict[str, Any], lang: str) -> str: ...


class SmsDeliverer:
    def __init__(self, sms: SmsSender) -> None:
        self._sms = sms

    async def deliver(self, notice: Notice) -> None:
        try:
            await self._sms.send(notice.address, notice.message_key, notice.params, notice.lang)
        except (ValueError, LookupError) as exc:
            # Not E.164, no DLT template, no catalog text: sending again cannot fix it.
            raise PermanentDeliveryError(f"{type(exc).__name__}: {exc}") from exc
        except Exception as exc:  # the outbox row could not be written: try again later
            raise RetryableDeliveryError(f"{type(exc).__name__}: {exc}") from exc
