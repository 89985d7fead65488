"""The SMS gateway port's Africa's Talking adapter: its bulk SMS API, one recipient a call.

    POST {api_base}/version1/messaging     apiKey: <key>, Accept: application/json
    username=<app>&to=+91...&message=...&from=<sender id, optional>
    201 {"SMSMessageData": {"Message": "...", "Recipients": [{"statusCode": 101,
         "status": "Success", "number": "+91...", "messageId": "ATXid_...", "cost": "..."}]}}

AT answers 201 for the call and judges each recipient with its own `statusCode`: 100-102
(processed, sent, queued) are accepted; 405 (insufficient balance) and 500-502 (its gateways)
are "try later"; the rest (401 risk hold, 402 invalid sender id, 403 invalid number, 404
unsupported number, 406 blacklisted, 407 could not route) cannot succeed on a retry. An HTTP
401 is a wrong API key (permanent); 5xx and 429 are left to the outbox's retries.
"""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp

from core.sms.gateways import GatewayError

API_BASE = "https://api.africastalking.com"
ACCEPTED = frozenset({100, 101, 102})
TRY_LATER = frozenset({405, 500, 501, 502})


def recipient_status(answer: Any) -> int | None:
    """The one recipient's statusCode, or None when the answer is not AT's shape."""
    try:
        code = answer["SMSMessageData"]["Recipients"][0]["statusCode"]
    except (KeyError, IndexError, TypeError):
        return None
    return code if isinstance(code, int) else None


class AfricasTalkingGateway:
    def __init__(
        self,
        *,
        username: str,
        api_key: str,
        sender: str | None = None,
        api_base: str = API_BASE,
        timeout: float = 3.0,
    ) -> None:
        if not (username and api_key):
            raise ValueError("the Africa's Talking SMS gateway needs a username and an API key")
        self._url = f"{api_base.rstrip('/')}/version1/messaging"
        self._headers = {"apiKey": api_key, "Accept": "application/json"}
        self._username = username
        self._sender = sender
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._session: aiohttp.ClientSession | None = None

    def form(self, to: str, text: str) -> dict[str, str]:
        form = {"username": self._username, "to": to, "message": text}
        if self._sender:
            form["from"] = self._sender
        return form

    async def deliver(self, message_id: str, to: str, text: str, template_id: str) -> None:
        if self._session is None:
            self._session = aiohttp.ClientSession(timeout=self._timeout)
        try:
            async with self._session.post(
                self._url, data=self.form(to, text), headers=self._headers
            ) as response:
                status = response.status
                answer = await response.json(content_type=None) if status < 300 else None
        except TimeoutError as exc:
            raise GatewayError("timeout") from exc
        except (aiohttp.ClientError, ValueError) as exc:
            raise GatewayError(f"connection: {type(exc).__name__}") from exc
        if status >= 300:
            permanent = 400 <= status < 500 and status not in (408, 429)
            raise GatewayError(f"africastalking http {status}", permanent=permanent)
        code = recipient_status(answer)
        if code in ACCEPTED:
            return
        raise GatewayError(
            f"africastalking recipient status {code}",
            permanent=code is not None and code not in TRY_LATER,
        )

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            await asyncio.sleep(0)
        self._session = None
