"""The SMS gateway port and its two adapters: a log (the embedded default) and an HTTP API.

Why a port: this machine cannot reach an operator. Embedded Arogya "delivers" into the log and
an in-memory list that `arogya chat` shows; production POSTs to an aggregator's HTTP API. The
outbox (`core.sms.outbox`) calls either one the same way and owns every retry, so a gateway
tries exactly once per call and says only "accepted" (returns) or "not accepted" (raises).
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Collection
from dataclasses import dataclass
from types import TracebackType
from typing import Protocol, Self

import aiohttp

from core.settings import Settings
from core.sms.encoding import sms_size

log = logging.getLogger(__name__)


class GatewayError(Exception):
    """The gateway did not accept the message.

    `permanent` means retrying cannot help (the gateway rejected the request itself, e.g. an
    unknown template); the outbox then gives up at once instead of backing off. The message
    never includes the SMS text: it ends up in the outbox's `last_error` column.
    """

    def __init__(self, reason: str, *, permanent: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent


class SmsGateway(Protocol):
    async def deliver(self, message_id: str, to: str, text: str, template_id: str) -> None:
        """Hand one SMS to the operator; raise `GatewayError` unless it was accepted.

        `message_id` is the outbox id, stable across retries, so a gateway can drop a repeat.
        """
        ...


def mask_number(to: str) -> str:
    """`+91******3210`: enough to tell numbers apart in a log, not enough to reach anybody."""
    if len(to) <= 7:
        return "*" * len(to)
    return to[:3] + "*" * (len(to) - 7) + to[-4:]


@dataclass(frozen=True, slots=True)
class Delivery:
    message_id: str
    to: str
    text: str
    template_id: str


class LogGateway:
    """Delivers into the log and a bounded in-memory list (what `arogya chat` prints).

    The log line carries the message id, a masked number, the template id and the size, but the
    text only for templates listed in `log_text_for`: an OTP in a log file is an OTP anybody
    with log access can use, and a name with an ABHA number is personal data.
    """

    def __init__(self, *, log_text_for: Collection[str] = (), keep: int = 1000) -> None:
        self._log_text_for = frozenset(log_text_for)
        self.deliveries: deque[Delivery] = deque(maxlen=keep)

    async def deliver(self, message_id: str, to: str, text: str, template_id: str) -> None:
        size = sms_size(text)
        if template_id in self._log_text_for:
            log.info(
                "sms %s to %s template %s (%s, %d segment(s)): %s",
                message_id,
                mask_number(to),
                template_id,
                size.encoding,
                size.segments,
                text,
            )
        else:
            log.info(
                "sms %s to %s template %s (%s, %d segment(s)); text withheld",
                message_id,
                mask_number(to),
                template_id,
                size.encoding,
                size.segments,
            )
        self.deliveries.append(Delivery(message_id, to, text, template_id))

    def delivered_to(self, to: str) -> list[Delivery]:
        return [d for d in self.deliveries if d.to == to]


class HttpGateway:
    """POSTs `{"message_id", "to", "text", "template_id"}` with a bearer token; 2xx = accepted.

    The aiohttp session is opened on first use and closed by `close()` or `async with`, so the
    composition root decides its lifetime (one pooled session for the process). The timeout is
    short because the outbox tries inline, inside a USSD hop that has only seconds to answer:
    a slow gateway costs one retry later, not the person's session.
    """

    def __init__(
        self,
        settings: Settings,
        *,
        timeout: float = 3.0,
        session: aiohttp.ClientSession | None = None,
    ) -> None:
        if not settings.sms_gateway_url or settings.sms_gateway_token is None:
            raise ValueError("the http SMS gateway needs AROGYA_SMS_GATEWAY_URL and _TOKEN")
        self._url = settings.sms_gateway_url
        self._token = settings.sms_gateway_token.get_secret_value()
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._session = session
        self._owns_session = session is None

    def _client(self) -> aiohttp.ClientSession:
        if self._session is None:
            self._session = aiohttp.ClientSession(timeout=self._timeout)
        return self._session

    async def deliver(self, message_id: str, to: str, text: str, template_id: str) -> None:
        body = {"message_id": message_id, "to": to, "text": text, "template_id": template_id}
        headers = {"Authorization": f"Bearer {self._token}"}
        try:
            async with self._client().post(
                self._url, json=body, headers=headers, timeout=self._timeout
            ) as response:
                status = response.status
                await response.read()
        except TimeoutError as exc:
            raise GatewayError("timeout") from exc
        except aiohttp.ClientError as exc:
            raise GatewayError(f"connection: {type(exc).__name__}") from exc
        if 200 <= status < 300:
            return
        # 408 and 429 are "try later"; any other 4xx is our request being wrong.
        permanent = 400 <= status < 500 and status not in (408, 429)
        raise GatewayError(f"http {status}", permanent=permanent)

    async def close(self) -> None:
        if self._session is not None and self._owns_session:
            await self._session.close()
            # Give the connector's transports a loop turn to close cleanly (aiohttp's advice).
            await asyncio.sleep(0)
        self._session = None

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()
