"""A loopback fake of Twilio's REST API (the Messages resource), speaking its wire format.

    POST /2010-04-01/Accounts/{AccountSid}/Messages.json   HTTP Basic (AccountSid, AuthToken)
      form: To, Body, From | MessagingServiceSid, StatusCallback (optional)
      201 {"sid": "SM...", "status": "queued", "to", "from", "body", ...}
      400 {"code": 21211, "message": ..., "status": 400}  (a To that is no E.164 number)
      400 {"code": 21604 / 21602}  (no sender / no body);  401 {"code": 20003}  (credentials)

After a 201 it reports delivery the way Twilio does: for each of `sent` and `delivered` it POSTs
a form to the StatusCallback URL, signed by the twilio library's own `RequestValidator` with
the auth token (X-Twilio-Signature), and keeps the status codes our server answered.
`fail_next` makes the next calls answer that status (a 503 outage, a 429).
"""

from __future__ import annotations

import asyncio
import re
import secrets
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from aiohttp import web
from aiohttp.test_utils import TestServer
from twilio.request_validator import RequestValidator

E164 = re.compile(r"\+[1-9]\d{7,14}")


@dataclass
class TwilioApiFake:
    account_sid: str
    auth_token: str
    messages: list[dict[str, str]] = field(default_factory=list)
    #: (MessageStatus, status our server answered) for each status callback.
    callbacks: list[tuple[str, int]] = field(default_factory=list)
    fail_next: list[int] = field(default_factory=list)
    server: TestServer | None = None
    _tasks: set[asyncio.Task[None]] = field(default_factory=set)

    @property
    def url(self) -> str:
        assert self.server is not None
        return str(self.server.make_url("")).rstrip("/")

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/2010-04-01/Accounts/{sid}/Messages.json", self._create)
        self.server = TestServer(app)
        await self.server.start_server()

    async def close(self) -> None:
        await self.settled()
        if self.server is not None:
            await self.server.close()

    async def settled(self) -> None:
        """Wait until every status callback has been posted."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks))

    @staticmethod
    def _error(status: int, code: int, message: str) -> web.Response:
        body = {
            "code": code,
            "message": message,
            "status": status,
            "more_info": f"https://www.twilio.com/docs/errors/{code}",
        }
        return web.json_response(body, status=status)

    async def _create(self, request: web.Request) -> web.Response:
        if self.fail_next:
            return self._error(self.fail_next.pop(0), 20500, "Internal Server Error")
        expected = aiohttp.encode_basic_auth(self.account_sid, self.auth_token)
        if request.match_info["sid"] != self.account_sid or (
            request.headers.get("Authorization") != expected
        ):
            return self._error(401, 20003, "Authenticate")
        form = {key: str(value) for key, value in (await request.post()).items()}
        if not E164.fullmatch(form.get("To", "")):
            return self._error(400, 21211, f"The 'To' number {form.get('To')} is not valid.")
        if not form.get("From") and not form.get("MessagingServiceSid"):
            return self._error(400, 21604, "A 'From' phone number is required.")
        if not form.get("Body"):
            return self._error(400, 21602, "Message body is required.")
        sid = "SM" + secrets.token_hex(16)
        self.messages.append({"sid": sid, **form})
        if form.get("StatusCallback"):
            task = asyncio.create_task(self._report(sid, form))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        return web.json_response(self._resource(sid, form, "queued"), status=201)

    def _resource(self, sid: str, form: dict[str, str], status: str) -> dict[str, Any]:
        return {
            "sid": sid,
            "account_sid": self.account_sid,
            "status": status,
            "to": form["To"],
            "from": form.get("From"),
            "messaging_service_sid": form.get("MessagingServiceSid"),
            "body": form["Body"],
            "num_segments": "1",
            "direction": "outbound-api",
            "api_version": "2010-04-01",
            "error_code": None,
            "error_message": None,
            "uri": f"/2010-04-01/Accounts/{self.account_sid}/Messages/{sid}.json",
        }

    async def _report(self, sid: str, form: dict[str, str]) -> None:
        url = form["StatusCallback"]
        validator = RequestValidator(self.auth_token)
        async with aiohttp.ClientSession() as http:
            for status in ("sent", "delivered"):
                report = {
                    "MessageSid": sid,
                    "SmsSid": sid,
                    "MessageStatus": status,
                    "SmsStatus": status,
                    "AccountSid": self.account_sid,
                    "To": form["To"],
                    "From": form.get("From", ""),
                    "ApiVersion": "2010-04-01",
                }
                headers = {"X-Twilio-Signature": validator.compute_signature(url, report)}
                async with http.post(url, data=report, headers=headers) as answer:
                    self.callbacks.append((status, answer.status))
