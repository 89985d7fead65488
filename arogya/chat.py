"""`arogya chat`: a feature phone in the terminal, for a newcomer's first minute with Arogya.

It speaks the real wire (Africa's Talking USSD callbacks, the JSON SMS webhook) to the app, either
started in this process on a loopback port or already running at `--url`. Each page is shown as
a phone shows it, with its length, encoding and budget (USSD) or segments (SMS); every SMS the
system sends to this phone (the OTP) is shown too: in-process from the outbox, with `--url` from a
development server's `GET /dev/sms` (webhooks.devsms).

    $ arogya chat --channel ussd --phone +919876543210
    ┌─ USSD · CON · 92/182 GSM-7
    │ Arogya ABHA
    │ 1. Create ABHA ...
    > 1
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

import aiohttp
from pydantic import SecretStr

from arogya.wiring import running_system
from core.healthid import mobile as mobiles
from core.services import Services
from core.settings import Settings
from core.sms.encoding import Encoding, encoding_of, length_in_units, sms_size
from core.sms.templates import REPLY_TEMPLATE_KEY

CHAT_SMS_TOKEN = "arogya-chat-local-token"  # noqa: S105 (loopback only, in-process runs)
QUIT_WORDS = frozenset({"quit", "exit", ":q"})


#: Reads the next thing the person types (None at end of input).
LineReader = Callable[[str], Awaitable[str | None]]


@dataclass
class Screen:
    """Where the phone's pages and SMS go (stdout; a test passes a list's append)."""

    write: Callable[[str], None] = field(default=lambda line: print(line, flush=True))

    def page(self, title: str, text: str) -> None:
        self.write(f"┌─ {title}")
        for line in text.splitlines() or [""]:
            self.write(f"│ {line}")
        self.write("└─")

    def note(self, text: str) -> None:
        self.write(f"  ({text})")


def ussd_title(body: str, settings: Settings) -> str:
    page = body[4:]
    encoding = encoding_of(page)
    budget = (
        settings.ussd_gsm7_page_chars
        if encoding is Encoding.GSM7
        else settings.ussd_ucs2_page_chars
    )
    return f"USSD · {body[:3]} · {length_in_units(page, encoding)}/{budget} {encoding}"


def sms_title(text: str, label: str) -> str:
    size = sms_size(text)
    return f"{label} · {size.units} chars {size.encoding} · {size.segments} segment(s)"


@dataclass
class Phone:
    http: aiohttp.ClientSession
    base_url: str
    settings: Settings
    channel: str
    number: str
    service_code: str
    screen: Screen
    services: Services | None
    seen_sms: int = 0
    session: int = 0
    inputs: list[str] = field(default_factory=list)
    sms_ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    async def dial(self) -> bool:
        self.session += 1
        self.inputs = []
        return await self.ussd("")

    async def ussd(self, text: str) -> bool:
        """One hop; False when the session ended."""
        form = {
            "sessionId": f"chat-{self.number[-4:]}-{self.session}",
            "serviceCode": self.service_code,
            "phoneNumber": self.number,
            "networkCode": "40445",  # an English circle: --lang decides the language
            "text": text,
        }
        headers = {}
        if self.settings.ussd_secret:
            headers["X-Ussd-Secret"] = self.settings.ussd_secret.get_secret_value()
        async with self.http.post(f"{self.base_url}/ussd", data=form, headers=headers) as resp:
            body = await resp.text()
        if resp.status != 200:
            self.screen.note(f"HTTP {resp.status}: {body}")
            return False
        self.screen.page(ussd_title(body, self.settings), body[4:])
        await self.show_new_sms()
        return body.startswith("CON ")

    async def sms(self, text: str) -> None:
        token = self.settings.sms_api_token
        headers = {"Authorization": f"Bearer {token.get_secret_value()}"} if token else {}
        payload = {"id": f"chat-{next(self.sms_ids)}", "from": self.number, "to": "AROGYA"}
        payload["text"] = text
        async with self.http.post(f"{self.base_url}/sms", json=payload, headers=headers) as resp:
            receipt = await resp.json(content_type=None)
        if resp.status != 200:
            self.screen.note(f"HTTP {resp.status}: {receipt}")
            return
        reply = receipt.get("reply") or ""  # webhooks.sms answers {"reply": ...} (review D2)
        if reply:
            self.screen.page(sms_title(reply, "SMS reply"), reply)
        await self.show_new_sms()

    async def show_new_sms(self) -> None:
        """Every SMS the system sent this phone since the last look: from the outbox in-process,
        else from a development server's `GET /dev/sms` (webhooks.devsms)."""
        if self.services is None:
            await self.show_remote_sms()
            return
        sent = await self.services.sms.sent_to(self.number)
        for row in sent[self.seen_sms :]:
            if row.message_key != REPLY_TEMPLATE_KEY:
                self.screen.page(sms_title(row.text, "SMS to your phone"), row.text)
        self.seen_sms = len(sent)

    async def skip_old_remote_sms(self) -> None:
        """Only what this chat causes is shown, not the phone's history on the server."""
        async with self.http.get(f"{self.base_url}/dev/sms", params={"phone": self.number}) as r:
            if r.status == 200:
                self.seen_sms = int((await r.json())["count"])

    async def show_remote_sms(self) -> None:
        """A server on a real secret key has no such route (404): nothing to show, no noise."""
        url = f"{self.base_url}/dev/sms"
        async with self.http.get(url, params={"phone": self.number}) as resp:
            if resp.status != 200:
                return
            listing = await resp.json()
        for row in listing["sms"]:
            if row["seq"] >= self.seen_sms:
                self.screen.page(sms_title(row["text"], "SMS to your phone"), row["text"])
        self.seen_sms = int(listing["count"])


@asynccontextmanager
async def target(settings: Settings, url: str | None) -> AsyncIterator[tuple[str, Services | None]]:
    if url:
        yield url.rstrip("/"), None
        return
    async with running_system(settings, port=0) as system:
        yield system.url, system.services


async def read_line(prompt: str) -> str | None:
    try:
        return await asyncio.to_thread(input, prompt)
    except EOFError:
        return None


async def chat(
    settings: Settings,
    *,
    channel: str,
    phone: str,
    lang: str,
    url: str | None,
    service_code: str,
    screen: Screen | None = None,
    lines: AsyncIterator[str] | None = None,
) -> int:
    """Run the terminal phone until `quit` or end of input; returns the exit status."""
    screen = screen or Screen()
    number = mobiles.parse(phone)
    if url is None and not settings.sms_api_token:
        settings = settings.model_copy(update={"sms_api_token": SecretStr(CHAT_SMS_TOKEN)})

    async def next_line(prompt: str) -> str | None:
        if lines is not None:
            return await anext(lines, None)
        return await read_line(prompt)

    async with target(settings, url) as (base_url, services), aiohttp.ClientSession() as http:
        device = Phone(http, base_url, settings, channel, number, service_code, screen, services)
        if services is not None:
            device.seen_sms = len(await services.sms.sent_to(number))
        else:
            await device.skip_old_remote_sms()
        screen.note(f"you are {number} on {channel.upper()}; type 'quit' to leave")
        if channel == "ussd":
            await run_ussd(device, lang, next_line)
        else:
            await run_sms(device, lang, next_line)
    return 0


async def run_ussd(device: Phone, lang: str, next_line: LineReader) -> None:
    live = await device.dial()
    if lang == "hi" and live:
        device.inputs.append("HINDI")
        live = await device.ussd("*".join(device.inputs))
    while True:
        prompt = "> " if live else "(session ended: Enter to dial again) "
        line = await next_line(prompt)
        if line is None or line.strip().lower() in QUIT_WORDS:
            return
        if not live:
            live = await device.dial()
            continue
        device.inputs.append(line)
        live = await device.ussd("*".join(device.inputs))


async def run_sms(device: Phone, lang: str, next_line: LineReader) -> None:
    await device.sms("हिंदी" if lang == "hi" else "ABHA")
    while True:
        line = await next_line("SMS> ")
        if line is None or line.strip().lower() in QUIT_WORDS:
            return
        await device.sms(line)
