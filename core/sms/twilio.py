"""The SMS gateway port's Twilio adapter: Twilio's REST API, with delivery status callbacks.

    POST {api_base}/2010-04-01/Accounts/{AccountSid}/Messages.json      (HTTP Basic: sid, token)
    To=+91...&Body=...&From=+1... (or MessagingServiceSid=MG...)&StatusCallback=<url>?id=<outbox id>

201 is accepted. Twilio answers a request it will never take (a bad number, an unverified
sender, wrong credentials: 400/401/403/404 with its own `code`) as permanent; 429 and 5xx are
"try later", left to the outbox's retries like every gateway's. The status callback URL carries
the outbox id, so the delivery reports Twilio POSTs later (`webhooks.twilio_status`, signed like
every Twilio webhook) name the message they are about.
"""

from __future__ import annotations

import asyncio
import logging

import aiohttp

from core.sms.gateways import GatewayError

log = logging.getLogger(__name__)

API_BASE = "https://api.twilio.com"
#: Twilio's "try later" answers besides 5xx.
TRANSIENT = frozenset({408, 429})


class TwilioGateway:
    def __init__(
        self,
        *,
        account_sid: str,
        auth_token: str,
        sender: str,
        api_base: str = API_BASE,
        status_callback: str | None = None,
        timeout: float = 3.0,
    ) -> None:
        if not (account_sid and auth_token and sender):
            raise ValueError("the twilio SMS gateway needs an account sid, auth token and sender")
        self._url = f"{api_base.rstrip('/')}/2010-04-01/Accounts/{account_sid}/Messages.json"
        self._auth = {"Authorization": aiohttp.encode_basic_auth(account_sid, auth_token)}
        self._sender = sender
        self._status_callback = status_callback
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._session: aiohttp.ClientSession | None = None

    def form(self, message_id: str, to: str, text: str) -> dict[str, str]:
        """The Messages resource's form: a Messaging Service (MG...) or a number sends it."""
        sender = "MessagingServiceSid" if self._sender.startswith("MG") else "From"
        form = {"To": to, "Body": text, sender: self._sender}
        if self._status_callback:
            form["StatusCallback"] = f"{self._status_callback}?id={message_id}"
        return form

    async def deliver(self, message_id: str, to: str, text: str, template_id: str) -> None:
        if self._session is None:
            self._session = aiohttp.ClientSession(timeout=self._timeout)
        try:
            async with self._session.post(
                self._url, data=self.form(message_id, to, text), headers=self._auth
            ) as response:
                status = response.status
                answer = await response.json(content_type=None) if status >= 400 else None
        except TimeoutError as exc:
            raise GatewayError("timeout") from exc
        except (aiohttp.ClientError, ValueError) as exc:
            raise GatewayError(f"connection: {type(exc).__name__}") from exc
        if status in (200, 201):
            return
        code = answer.get("code") if isinstance(answer, dict) else None
        permanent = 400 <= status < 500 and status not in TRANSIENT
        raise GatewayError(f"twilio http {status} code {code}", permanent=permanent)

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            await asyncio.sleep(0)
        self._session = None
