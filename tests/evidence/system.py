"""The real system for the evidence tests: `arogya serve` processes, a loopback SMS gateway and
phones that speak the gateways' wire formats over HTTP.

Why real processes: a `kill -9`, a Redis restart or a second web process only mean something
against the processes a deployment runs. The SMS gateway is the one fake (this machine reaches
no operator): an aiohttp server speaking `HttpGateway`'s wire format on a fixed port, so it can
go down and come back where the app expects it.
"""

from __future__ import annotations

import asyncio
import collections
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from aiohttp import web

from testing.services import free_port

FULL = os.environ.get("AROGYA_EVIDENCE") == "full"
GATEWAY_TOKEN = "evidence-gateway-token"
SMS_TOKEN = "evidence-sms-token"
USSD_SECRET = "evidence-ussd-secret"
OTP = re.compile(r"(?<!\d)(\d{6})(?!\d)")
#: A registration without Aadhaar after the main menu: the inputs a person types.
REGISTRATION = ["1", "2", "{otp}", "{name}", "2", "1990", "110001", "1", "4826", "4826", "1"]
#: The same by SMS, which asks "this number?" (USSD does not: the operator proves the caller).
SMS_REGISTRATION = [*REGISTRATION[:2], "1", *REGISTRATION[2:]]
READY = "ABHA ready!"
OTP_SMS = "is your Arogya OTP"


def name_for(phone: str) -> str:
    """A first name of letters only, unique per phone in its first letters (an ABHA address is
    at most 18 characters, so suggestions keep only the start of a long name)."""
    letters = "".join(chr(ord("a") + int(digit)) for digit in reversed(phone[-9:]))
    return letters.capitalize()


def server_env(
    gateway_url: str, database_url: str, redis_url: str | None, **extra: str
) -> dict[str, str]:
    env = {
        "DATABASE_URL": database_url,
        "AROGYA_SECRET_KEY": "evidence-secret-key-0123456789",
        "AROGYA_AADHAAR_HMAC_KEY": "evidence-aadhaar-key-0123456789",
        "AROGYA_SMS_GATEWAY": "http",
        "AROGYA_SMS_GATEWAY_URL": gateway_url,
        "AROGYA_SMS_GATEWAY_TOKEN": GATEWAY_TOKEN,
        "AROGYA_SMS_API_TOKEN": SMS_TOKEN,
        "AROGYA_USSD_SECRET": USSD_SECRET,
        "AROGYA_PIN_HASH_COST": "16",
        "AROGYA_PASSWORD_HASH_COST": "16",
        "AROGYA_OTP_SENDS_PER_MOBILE_PER_HOUR": "1000",
        "AROGYA_LOG_LEVEL": "INFO",
    }
    if redis_url:
        env["REDIS_URL"] = redis_url
    env.update(extra)
    return env


@dataclass
class Delivery:
    message_id: str
    to: str
    text: str


@dataclass
class SmsGatewayFake:
    """What the app's HttpGateway posts to; `stop()` makes it unreachable, `start()` returns."""

    port: int = field(default_factory=free_port)
    deliveries: list[Delivery] = field(default_factory=list)
    _runner: web.AppRunner | None = None
    _arrived: asyncio.Event = field(default_factory=asyncio.Event)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/sms"

    async def _accept(self, request: web.Request) -> web.Response:
        if request.headers.get("Authorization") != f"Bearer {GATEWAY_TOKEN}":
            return web.json_response({"error": "unauthorised"}, status=401)
        body = await request.json()
        self.deliveries.append(Delivery(body["message_id"], body["to"], body["text"]))
        self._arrived.set()
        return web.json_response({"accepted": True}, status=202)

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/sms", self._accept)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", self.port).start()

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    def to(self, phone: str) -> list[Delivery]:
        return [d for d in self.deliveries if d.to == phone]

    def duplicates(self) -> list[str]:
        counts = collections.Counter(d.message_id for d in self.deliveries)
        return [message_id for message_id, n in counts.items() if n > 1]

    async def wait_for(self, count: int, *, within: float) -> None:
        """Until at least `count` messages arrived."""
        async with asyncio.timeout(within):
            while len(self.deliveries) < count:
                self._arrived.clear()
                await self._arrived.wait()

    async def otp(self, phone: str, *, after: int = 0, within: float = 30.0) -> str:
        """The newest OTP sent to `phone` among the messages after the first `after`."""
        async with asyncio.timeout(within):
            while True:
                for delivery in reversed(self.to(phone)[after:]):
                    if OTP_SMS in delivery.text and (found := OTP.search(delivery.text)):
                        return found.group(1)
                self._arrived.clear()
                await self._arrived.wait()


class UssdPhone:
    """One USSD session, as Africa's Talking posts it; `base` may change between hops."""

    def __init__(self, http: aiohttp.ClientSession, base: str, phone: str, session_id: str) -> None:
        self.http = http
        self.base = base
        self.phone = phone
        self.session_id = session_id
        self.inputs: list[str] = []
        self.pages: list[str] = []

    async def post(self, text: str) -> tuple[int, str]:
        form = {
            "sessionId": self.session_id,
            "serviceCode": "*384#",
            "phoneNumber": self.phone,
            "networkCode": "40445",
            "text": text,
        }
        async with self.http.post(
            f"{self.base}/ussd", data=form, headers={"X-Ussd-Secret": USSD_SECRET}
        ) as response:
            return response.status, await response.text()

    async def dial(self) -> str:
        status, page = await self.post("")
        assert status == 200, page
        self.pages.append(page)
        return page

    async def send(self, answer: str) -> str:
        """Type `answer`; the page is kept only once the server answered (a lost request is
        sent again by `resend`)."""
        text = "*".join([*self.inputs, answer])
        status, page = await self.post(text)
        assert status == 200, page
        self.inputs.append(answer)
        self.pages.append(page)
        return page


class SmsPhone:
    """A phone talking over `POST /sms` (JSON, bearer token); replies arrive at the gateway."""

    def __init__(self, http: aiohttp.ClientSession, base: str, phone: str) -> None:
        self.http = http
        self.base = base
        self.phone = phone
        self.sent = 0

    async def post(self, text: str, message_id: str) -> tuple[int, Mapping[str, Any]]:
        body = {"id": message_id, "from": self.phone, "to": "+919000000000", "text": text}
        headers = {"Authorization": f"Bearer {SMS_TOKEN}"}
        async with self.http.post(f"{self.base}/sms", json=body, headers=headers) as response:
            return response.status, await response.json()

    async def send(self, text: str) -> str:
        self.sent += 1
        status, receipt = await self.post(text, f"{self.phone}-{self.sent}")
        assert status == 200, receipt
        return str(receipt.get("reply") or "")


def fill(answer: str, phone: str, otp: str | None = None) -> str:
    if answer == "{name}":
        return name_for(phone)
    if answer == "{otp}":
        assert otp is not None
        return otp
    return answer
