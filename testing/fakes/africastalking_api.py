"""A loopback fake of Africa's Talking's bulk SMS API, speaking its wire format.

    POST /version1/messaging   headers apiKey, Accept: application/json
      form: username, to (comma-separated), message, from (optional)
      201 {"SMSMessageData": {"Message": "Sent to 1/1 Total Cost: INR 0.2000",
           "Recipients": [{"statusCode": 101, "number", "status": "Success", "cost",
                           "messageId": "ATXid_..."}]}}
      401 "The supplied authentication is invalid" (text/plain, as AT answers)

A number that is not E.164 gets recipient statusCode 403 (InvalidPhoneNumber) inside a 201, as
AT does; `recipient_codes` makes the next calls carry other codes (405 InsufficientBalance).
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field

from aiohttp import web
from aiohttp.test_utils import TestServer

E164 = re.compile(r"\+[1-9]\d{7,14}")
STATUS_NAMES = {
    100: "Processed",
    101: "Success",
    102: "Queued",
    403: "InvalidPhoneNumber",
    405: "InsufficientBalance",
    406: "UserInBlacklist",
    500: "InternalServerError",
}


@dataclass
class AfricasTalkingFake:
    username: str
    api_key: str
    messages: list[dict[str, str]] = field(default_factory=list)
    recipient_codes: list[int] = field(default_factory=list)
    server: TestServer | None = None

    @property
    def url(self) -> str:
        assert self.server is not None
        return str(self.server.make_url("")).rstrip("/")

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/version1/messaging", self._send)
        self.server = TestServer(app)
        await self.server.start_server()

    async def close(self) -> None:
        if self.server is not None:
            await self.server.close()

    async def _send(self, request: web.Request) -> web.Response:
        form = {key: str(value) for key, value in (await request.post()).items()}
        if request.headers.get("apiKey") != self.api_key or form.get("username") != self.username:
            return web.Response(status=401, text="The supplied authentication is invalid")
        if not form.get("to") or not form.get("message"):
            return web.Response(status=400, text="Missing to or message")
        recipients = []
        for number in form["to"].split(","):
            code = (
                self.recipient_codes.pop(0)
                if self.recipient_codes
                else (101 if E164.fullmatch(number) else 403)
            )
            if code == 101:
                self.messages.append({**form, "to": number})
            recipients.append(
                {
                    "statusCode": code,
                    "number": number,
                    "status": STATUS_NAMES.get(code, "Failed"),
                    "cost": "INR 0.2000" if code == 101 else "0",
                    "messageId": f"ATXid_{secrets.token_hex(16)}" if code == 101 else "None",
                }
            )
        sent = sum(1 for r in recipients if r["statusCode"] == 101)
        summary = f"Sent to {sent}/{len(recipients)} Total Cost: INR {0.2 * sent:.4f}"
        body = {"SMSMessageData": {"Message": summary, "Recipients": recipients}}
        return web.json_response(body, status=201)
