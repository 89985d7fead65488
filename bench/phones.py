"""The benchmark's phones: USSD sessions that register over HTTP, and the SMS gateway they
read their OTP from.

Why separate from the benchmark: bench.ussd_bench and bench.all drive the same registration
the same way, and the server under test must be measured against one client, whatever it is.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

import aiohttp
from aiohttp import web

from testing.services import free_port

OTP = re.compile(r"\b(\d{6})\b")
GATEWAY_TOKEN = "bench-gateway-token"  # noqa: S105 (loopback only)

#: The shared secret the benches run the server with (/ussd is closed without one).
USSD_SECRET = "bench-ussd-secret"  # noqa: S105 (a bench value)


@dataclass
class SmsInbox:
    """The loopback SMS gateway: what the app sent to each phone."""

    otp: dict[str, str] = field(default_factory=dict)
    waiters: dict[str, asyncio.Event] = field(default_factory=dict)

    async def handle(self, request: web.Request) -> web.Response:
        if request.headers.get("Authorization") != f"Bearer {GATEWAY_TOKEN}":
            return web.json_response({"error": "unauthorised"}, status=401)
        body = await request.json()
        found = OTP.search(body["text"])
        if found:
            self.otp[body["to"]] = found.group(1)
            self.waiters.setdefault(body["to"], asyncio.Event()).set()
        return web.json_response({"accepted": True}, status=202)

    async def wait_otp(self, phone: str) -> str:
        event = self.waiters.setdefault(phone, asyncio.Event())
        await asyncio.wait_for(event.wait(), 10)
        event.clear()
        return self.otp[phone]


@asynccontextmanager
async def sms_gateway(inbox: SmsInbox) -> AsyncIterator[str]:
    app = web.Application()
    app.router.add_post("/sms", inbox.handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    try:
        yield f"http://127.0.0.1:{port}/sms"
    finally:
        await runner.cleanup()


HOPS = ["1", "2", "{otp}", "Asha", "2", "1990", "110001", "1", "4826", "4826", "1"]


@dataclass
class Run:
    latencies: list[float] = field(default_factory=list)
    completed: int = 0
    errors: int = 0
    seconds: float = 0.0
    #: CPU seconds the server used during the run (0 when not measured).
    server_cpu: float = 0.0
    state_json_bytes: list[int] = field(default_factory=list)
    state_memory_bytes: list[int] = field(default_factory=list)
    #: When each hop finished (perf_counter), and the window in which all sessions were busy.
    finished: list[float] = field(default_factory=list)
    window: tuple[float, float] | None = None
    #: The same server measured with sessions that pause between inputs, as people do.
    think_run: Run | None = None
    #: CPU seconds the client itself used (all its processes), for its own ceiling.
    client_cpu: float = 0.0

    @property
    def steady(self) -> bool:
        """Whether the run had a steady-state window (more sessions than run at once, and long
        enough to count): without one, a throughput is the ramp's, not the server's."""
        return self.window is not None and self.window[1] - self.window[0] > 0.5

    @property
    def hops_per_second(self) -> float:
        """Over the window in which `concurrency` sessions were running (ramp-up and the last
        sessions' tail excluded), else over the whole run (then `steady` is False and no ratio
        may be taken of it)."""
        if self.window is not None and self.steady:
            start, end = self.window
            return sum(start <= t <= end for t in self.finished) / (end - start)
        return len(self.latencies) / self.seconds

    @property
    def client_cpu_ms_per_hop(self) -> float:
        return 1000 * self.client_cpu / max(1, len(self.latencies))

    @property
    def registrations_per_second(self) -> float:
        return self.completed / self.seconds

    @property
    def cpu_ms_per_hop(self) -> float:
        return 1000 * self.server_cpu / max(1, len(self.latencies))

    def percentile(self, q: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


Weigh = Callable[[str], Awaitable[None]]


async def one_session(
    http: aiohttp.ClientSession,
    url: str,
    phone: str,
    inbox: SmsInbox | None,
    run: Run,
    weigh: Weigh | None,
    think: float = 0.0,
    otp: str | None = None,
) -> None:
    """One registration; `think` seconds pass before each input, as a person types. The OTP
    is `otp` (a server with the bench's fixed-OTP seam) or read from `inbox`."""
    inputs: list[str] = []
    session_id = f"bench-{phone}"

    async def hop(text: str) -> str:
        form = {
            "sessionId": session_id,
            "serviceCode": "*384#",
            "phoneNumber": phone,
            "networkCode": "40445",
            "text": text,
        }
        if think and text:
            await asyncio.sleep(think)
        started = time.perf_counter()
        headers = {"X-Ussd-Secret": USSD_SECRET}
        async with http.post(url, data=form, headers=headers) as response:
            body = await response.text()
        done = time.perf_counter()
        run.latencies.append(done - started)
        run.finished.append(done)
        if response.status != 200:
            run.errors += 1
        return body

    await hop("")
    for index, step in enumerate(HOPS):
        if step == "Asha":  # a name of its own, so the suggested addresses do not collide
            step = "Asha" + "".join(chr(ord("a") + int(d)) for d in phone[-6:])
        if step == "{otp}":
            step = otp or (await inbox.wait_otp(phone) if inbox else "123456")
        inputs.append(step)
        body = await hop("*".join(inputs))
        if weigh is not None and index == 11:  # at the address step: the fullest state
            await weigh(phone)
    if (inbox is None and otp is None) or body.startswith("END"):
        run.completed += 1
    else:
        run.errors += 1


async def drive(
    url: str,
    sessions: int,
    concurrency: int,
    inbox: SmsInbox | None,
    first_phone: int,
    weigh: Weigh | None = None,
    *,
    ramp: float = 0.0,
    think: float = 0.0,
    otp: str | None = None,
) -> Run:
    """`sessions` registrations, `concurrency` at a time. With `ramp` seconds, the first wave
    starts spread over that time, as callers arrive, instead of all in the same millisecond (a
    wave started together stays together, and every one of its hops queues behind 63 others)."""
    run = Run()
    gate = asyncio.Semaphore(concurrency)
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as http:
        last_start = [0.0]

        async def guarded(n: int) -> None:
            if ramp and n < concurrency:
                await asyncio.sleep(ramp * n / concurrency)
            async with gate:
                last_start[0] = time.perf_counter()
                phone = f"+9170{first_phone + n:08d}"
                await one_session(http, url, phone, inbox, run, weigh, think, otp)

        started = time.perf_counter()
        cpu = time.process_time()
        await asyncio.gather(*(guarded(n) for n in range(sessions)))
        run.seconds = time.perf_counter() - started
        run.client_cpu = time.process_time() - cpu
        if sessions > concurrency:
            run.window = (started + ramp, last_start[0])
    return run
