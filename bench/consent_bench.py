"""Consent benchmark: how long from a HIU's consent request to the holder's notice on a phone.

    .venv/bin/python -m bench.consent_bench [--rate 100] [--seconds 15] [--holders 200]
                                            [--telegram-share auto] [--postgres]

A HIU posts ABDM's consent request (`POST /api/v1/hiu/consent-requests`, its facility key, the
body of tests/fixtures/abdm/consent via testing.world) at a steady offered rate,
round-robin over `--holders` people, each with an ABHA, a linked care context (a prescription at
a HIP) and their own mobile; the verified doctor is the fixture's. The clock runs from just
before each POST until the holder's notice arrives:

- (a) as an SMS at a loopback SMS gateway (bench.phones' gateway), which `arogya serve` reaches
  through its real HTTP gateway adapter: the request's transaction queues the notice, the
  notifier worker hands it to the SMS outbox, the outbox posts it;
- (b) as a Telegram `sendMessage` at the loopback fake Bot API (testing/fakes), for the holders
  whose chat proved their mobile (core.channels), through the notifier's Telegram deliverer.

The app is `arogya serve` in its own process with production settings (bench.ussd_bench's
`arogya_env`): SQLite and in-process state by default, a throwaway PostgreSQL + Redis with
`--postgres`. The world is built before it starts, through the real services (a seeding process
on the same database). Telegram: the app paces all pushes at AROGYA_TELEGRAM_MESSAGES_PER_SECOND
(`--telegram-pace`, default Telegram's 30 msg/s); by default only a share of the holders gets a
chat, enough to keep Telegram at 25 notices/s within that pace, and the output says which share.
`--telegram-pace 1000 --telegram-share 1` measures the case the target is set for (Telegram notice
p99 <= 100 ms): every notice by Telegram at 100 requests/s, for a bot Telegram allows that rate.

The baseline, measured in the same run with the same client and bodies: a bare aiohttp handler
(its own process) that reads the same POST body and posts one message to the same SMS sink
before answering: the irreducible request + one forward hop. Nothing passes or fails here: it
prints a markdown table (bench/all.py keeps its rows) and exits 0.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import shutil
import sys
import tempfile
import time
import uuid
from collections import deque
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web

from bench.phones import GATEWAY_TOKEN, SmsInbox, sms_gateway
from bench.ussd_bench import arogya_env
from bot.sender import SendLimits
from testing.fakes.telegram_api import DEFAULT_TOKEN, TelegramApiFake
from testing.fakes.telegram_updates import user
from testing.services import (
    ROOT,
    ArogyaProcess,
    free_port,
    fresh_database,
    throwaway_postgres,
    throwaway_redis,
    wait_for_port,
)

ASK = "/api/v1/hiu/consent-requests"
TELEGRAM_SECRET = "bench-webhook-secret"  # noqa: S105 (loopback only)
#: Telegram notices/s the automatic share aims at at Telegram's 30 msg/s: under the pace.
TELEGRAM_AIM = 25.0
FIRST_CHAT = 7_000_000


# --- what arrives where ---------------------------------------------------------------------


@dataclass
class Expected:
    at: float
    alive: bool = True


@dataclass
class Probe:
    """Notices expected per recipient, oldest first (a recipient's notices are delivered in the
    order they were queued), and the latency of each that arrived."""

    pending: dict[str, deque[Expected]] = field(default_factory=dict)
    latencies: list[float] = field(default_factory=list)
    arrivals: list[float] = field(default_factory=list)
    unexpected: int = 0
    #: Set on every arrival.
    changed: asyncio.Event = field(default_factory=asyncio.Event)

    def expect(self, recipient: str, at: float) -> Expected:
        entry = Expected(at)
        self.pending.setdefault(recipient, deque()).append(entry)
        return entry

    def arrived(self, recipient: str) -> None:
        now = time.perf_counter()
        queue = self.pending.get(recipient)
        while queue and not queue[0].alive:
            queue.popleft()
        if not queue:
            self.unexpected += 1
            return
        self.latencies.append(now - queue.popleft().at)
        self.arrivals.append(now)
        self.changed.set()

    def waiting(self) -> int:
        return sum(1 for queue in self.pending.values() for entry in queue if entry.alive)

    async def drained(self, deadline: float) -> None:
        """Return when nothing more is expected, or at `deadline` (perf_counter)."""
        while self.waiting():
            self.changed.clear()
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                return
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.changed.wait(), remaining)

    def percentile(self, share: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000 if ordered else 0.0


@dataclass
class NoticeInbox(SmsInbox):
    """bench.phones' loopback SMS gateway, timing every message against `probe`."""

    probe: Probe = field(default_factory=Probe)

    async def handle(self, request: web.Request) -> web.Response:
        if request.headers.get("Authorization") != f"Bearer {GATEWAY_TOKEN}":
            return web.json_response({"error": "unauthorised"}, status=401)
        body = await request.json()
        self.probe.arrived(str(body["to"]))
        return web.json_response({"accepted": True}, status=202)


class NoticeBotApi(TelegramApiFake):
    """The loopback Bot API fake, timing every `sendMessage` it accepts against `probe`."""

    def __init__(self) -> None:
        super().__init__()
        self.probe = Probe()

    async def _handle(self, request: web.Request) -> web.Response:
        response = await super()._handle(request)
        call = self.calls_made[-1]
        if call.method == "sendMessage" and call.ok:
            self.probe.arrived(str(call.params["chat_id"]))
        return response


# --- the world: built through the real services, before the app starts -----------------------


@dataclass(frozen=True)
class Holder:
    patient: str  # the ABHA address the HIU names
    mobile: str
    chat: str | None  # a Telegram chat that proved the mobile


@dataclass(frozen=True)
class Scene:
    hiu_id: str
    api_key: str
    holders: list[Holder]


async def build_scene(env: dict[str, str], holders: int, chats: int) -> Scene:
    """A verified HIU with its key, the fixture's verified doctor, a HIP, and `holders` people
    each with a care context there; the first `chats` of them also with a Telegram chat."""
    from core.notify.models import Channel
    from core.notify.sms import SmsDeliverer
    from core.records.hitypes import HiType
    from core.services import build_services
    from core.settings import Settings
    from core.sms.gateways import LogGateway
    from core.storage import open_storage
    from testing.facilities import hospital_draft
    from testing.world import World

    settings = Settings(DATABASE_URL=env["DATABASE_URL"], secret_key=env["AROGYA_SECRET_KEY"])
    async with (
        open_storage(settings.database_url),
        build_services(settings, sms_gateway=LogGateway()) as services,
    ):
        world = World(services)
        facilities = services.facilities
        ids = []
        for name in ("Sanjeevani Hospital", "Apollo Clinic"):
            registered = await facilities.register(
                hospital_draft(name=name, callback_url=None), actor="cli", submit=True
            )
            ids.append(await facilities.verify(registered.id, admin="admin:bench"))
        hiu, hip_key = ids
        hip = await facilities.get(hip_key.facility_id)
        await world.doctor(works_at=[hiu.facility_id])
        people: list[Holder] = []
        for n in range(holders):
            mobile = f"+9175{n:08d}"
            person = await world.person(mobile, handle=f"bench.holder{n:05d}", pin=None)
            await world.record(hip, person, HiType.PRESCRIPTION, date(2025, 3, 1))
            chat = None
            if n < chats:
                chat = str(FIRST_CHAT + n)
                await services.channels.link(
                    "telegram", chat, mobile=mobile, abha_number=person.abha_number
                )
            people.append(Holder(person.address, mobile, chat))
        # The doctor's verification notice, queued above: sent here, not during the timing.
        services.notifier.register(Channel.SMS, SmsDeliverer(services.sms))
        while await services.notifier.deliver_due():
            pass
    return Scene(hiu.facility_id, hiu.api_key, people)


def request_body(scene: Scene, holder: Holder) -> dict[str, Any]:
    """The ABDM fixture's body for this holder, a fresh requestId, erase date ahead."""
    from testing.world import abdm_body

    body = abdm_body(scene.hiu_id, holder.patient)
    body["requestId"] = str(uuid.uuid4())
    body["timestamp"] = datetime.now(UTC).isoformat()
    erase_at = datetime.now(UTC) + timedelta(days=180)
    body["consent"]["permission"]["dataEraseAt"] = erase_at.isoformat()
    return body


# --- the baseline: a bare handler, one forward hop (`python -m bench.consent_bench forward`) ----


async def forwarder(port: int, sink_url: str) -> None:
    session = aiohttp.ClientSession()
    headers = {"Authorization": f"Bearer {GATEWAY_TOKEN}"}

    async def handle(request: web.Request) -> web.Response:
        body = await request.json()
        ref = body["requestId"]
        message = {
            "message_id": ref,
            "to": body["consent"]["patient"]["id"],
            "text": f"Consent requested: {ref}",
            "template_id": "bench",
        }
        async with session.post(sink_url, json=message, headers=headers) as response:
            await response.read()
        return web.json_response({"requestId": ref, "status": "REQUESTED"}, status=201)

    app = web.Application()
    app.router.add_post(ASK, handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    await asyncio.Event().wait()


@asynccontextmanager
async def forwarder_process(sink_url: str) -> AsyncIterator[str]:
    port = free_port()
    args = [sys.executable, "-m", "bench.consent_bench", "forward", str(port), sink_url]
    process = await asyncio.create_subprocess_exec(*args, cwd=ROOT)
    try:
        await wait_for_port(port)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        await process.wait()


# --- the client: a HIU asking at a steady rate -------------------------------------------------


@dataclass
class Load:
    sent: int = 0
    errors: int = 0
    post_latencies: list[float] = field(default_factory=list)
    started: float = 0.0
    sending_seconds: float = 0.0
    server_cpu: float = 0.0

    def post_percentile(self, share: float) -> float:
        ordered = sorted(self.post_latencies)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000 if ordered else 0.0


#: Where a holder's notice lands for a probe: its key there, or None (no notice expected).
Route = tuple[Probe, Callable[[Holder], str | None]]


async def offer(
    url: str, scene: Scene, routes: list[Route], rate: float, seconds: float, drain: float
) -> Load:
    """Post `rate` requests a second for `seconds` (open loop: on schedule whatever the answers),
    then wait up to `drain` seconds for the notices still on their way."""
    load = Load()
    count = max(1, round(rate * seconds))
    headers = {"Authorization": f"Bearer {scene.api_key}"}
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector) as http:

        async def one(n: int) -> None:
            holder = scene.holders[n % len(scene.holders)]
            body = request_body(scene, holder)
            started = time.perf_counter()
            expected = [
                probe.expect(key, started)
                for probe, key_of in routes
                if (key := key_of(holder)) is not None
            ]
            try:
                async with http.post(url + ASK, json=body, headers=headers) as response:
                    await response.read()
                    ok = response.status == 201
            except aiohttp.ClientError:
                ok = False
            load.post_latencies.append(time.perf_counter() - started)
            if not ok:
                load.errors += 1
                for entry in expected:
                    entry.alive = False

        tasks: list[asyncio.Task[None]] = []
        load.started = time.perf_counter()
        for n in range(count):
            delay = load.started + n / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(one(n)))
        load.sending_seconds = time.perf_counter() - load.started
        await asyncio.gather(*tasks)
    load.sent = count
    deadline = time.perf_counter() + drain
    for probe, _ in routes:
        await probe.drained(deadline)
    return load


# --- the run ------------------------------------------------------------------------------------


@dataclass
class Row:
    name: str
    probe: Probe
    load: Load

    @property
    def notices_per_second(self) -> float:
        """Notices delivered over the time from the first request to the last notice."""
        if not self.probe.arrivals:
            return 0.0
        return len(self.probe.arrivals) / (max(self.probe.arrivals) - self.load.started)

    @property
    def expected(self) -> int:
        return len(self.probe.latencies) + self.probe.waiting()


def chats_for(args: argparse.Namespace) -> int:
    share: float | None = args.telegram_share
    if share is None:
        aim = min(TELEGRAM_AIM * args.telegram_pace / SendLimits().messages_per_second, args.rate)
        share = min(1.0, aim / args.rate)
    holders: int = args.holders
    return round(share * holders)


@asynccontextmanager
async def storage(args: argparse.Namespace) -> AsyncIterator[tuple[str, str | None, str]]:
    """(database URL, Redis URL or None, description) of the app's storage."""
    if not args.postgres:
        folder = Path(tempfile.mkdtemp(prefix="arogya-consent-bench-"))
        try:
            yield f"sqlite://{folder}/arogya.sqlite3", None, "SQLite, in-process state"
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        return
    async with throwaway_postgres() as server, throwaway_redis() as redis:
        url = await fresh_database(server, "arogya_consent_bench")
        yield url, redis.url, "PostgreSQL + Redis"


async def measure(args: argparse.Namespace) -> tuple[list[Row], str, int]:
    inbox = NoticeInbox()
    chats = chats_for(args)
    async with contextlib.AsyncExitStack() as stack:
        sink = await stack.enter_async_context(sms_gateway(inbox))
        api = NoticeBotApi()
        await stack.enter_async_context(api.running())
        database_url, redis_url, described = await stack.enter_async_context(storage(args))
        env = arogya_env(sink, database_url, redis_url)
        env.update(
            {
                "TELEGRAM_BOT_TOKEN": DEFAULT_TOKEN,
                "AROGYA_TELEGRAM_API_BASE": api.base_url,
                "AROGYA_TELEGRAM_WEBHOOK_SECRET": TELEGRAM_SECRET,
                "AROGYA_TELEGRAM_MESSAGES_PER_SECOND": str(args.telegram_pace),
            }
        )
        scene = await build_scene(env, args.holders, chats)
        for holder in scene.holders:
            if holder.chat is not None:
                api.add_user(user(int(holder.chat), "Holder"))

        async def run(url: str, routes: list[Route], cpu: Callable[[], float] | None) -> Load:
            await offer(url, scene, routes, args.rate, args.warmup, args.drain)  # not timed
            for probe, _ in routes:
                probe.latencies.clear()
                probe.arrivals.clear()
                probe.unexpected = 0
            before = cpu() if cpu else 0.0
            load = await offer(url, scene, routes, args.rate, args.seconds, args.drain)
            load.server_cpu = cpu() - before if cpu else 0.0
            return load

        rows: list[Row] = []
        base_url = await stack.enter_async_context(forwarder_process(sink))
        inbox.probe = Probe()
        load = await run(base_url, [(inbox.probe, lambda h: h.patient)], None)
        rows.append(Row("bare aiohttp + one forward POST", inbox.probe, load))

        process = ArogyaProcess(env)
        await process.start()
        stack.push_async_callback(process.stop)
        inbox.probe, api.probe = Probe(), Probe()
        routes: list[Route] = [(inbox.probe, lambda h: h.mobile), (api.probe, lambda h: h.chat)]
        load = await run(process.url, routes, process.cpu_seconds)
        rows.append(Row(f"SMS notice, Arogya ({described})", inbox.probe, load))
        if chats:
            rows.append(Row(f"Telegram notice, Arogya ({described})", api.probe, load))
    return rows, described, chats


def table(rows: list[Row]) -> str:
    base = rows[0]
    lines = [
        "| measure | notices/s | request -> notice p50 / p99 ms | vs baseline p99 "
        "| POST p50 / p99 ms | server CPU ms/request | delivered |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for row in rows:
        probe, load = row.probe, row.load
        base_p99 = base.probe.percentile(0.99)
        ratio = "baseline" if row is base else f"{probe.percentile(0.99) / base_p99:.1f}x"
        cpu = f"{1000 * load.server_cpu / load.sent:.2f}" if load.server_cpu else "-"
        flaws = [f"{load.errors} POST errors"] if load.errors else []
        if probe.waiting():
            flaws.append(f"{probe.waiting()} missing")
        if probe.unexpected:
            flaws.append(f"{probe.unexpected} unexpected")
        delivered = f"{len(probe.latencies)}/{row.expected}" + (
            f" ({', '.join(flaws)})" if flaws else ""
        )
        lines.append(
            f"| consent request -> {row.name} | {row.notices_per_second:,.1f} | "
            f"{probe.percentile(0.5):.1f} / {probe.percentile(0.99):.1f} | {ratio} | "
            f"{load.post_percentile(0.5):.1f} / {load.post_percentile(0.99):.1f} | {cpu} | "
            f"{delivered} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["forward"]:
        asyncio.run(forwarder(int(argv[1]), argv[2]))
        return 0
    parser = argparse.ArgumentParser(prog="bench.consent_bench", description=__doc__.split("\n")[0])
    parser.add_argument("--rate", type=float, default=100.0, help="consent requests per second")
    parser.add_argument("--seconds", type=float, default=15.0, help="timed seconds of requests")
    parser.add_argument("--warmup", type=float, default=2.0, help="untimed seconds first")
    parser.add_argument(
        "--drain", type=float, default=30.0, help="seconds to wait for notices still on their way"
    )
    parser.add_argument("--holders", type=int, default=200, help="people asked, round-robin")
    parser.add_argument(
        "--telegram-share",
        type=float,
        default=None,
        help="share of holders with a Telegram chat (default: enough for "
        f"{TELEGRAM_AIM:.0f} notices/s; 0: no Telegram)",
    )
    parser.add_argument(
        "--telegram-pace",
        type=float,
        default=SendLimits().messages_per_second,
        help="the app's Telegram pushes per second",
    )
    parser.add_argument(
        "--postgres", action="store_true", help="a throwaway PostgreSQL + Redis instead of SQLite"
    )
    args = parser.parse_args(argv)
    rows, described, chats = asyncio.run(measure(args))
    pace = args.telegram_pace
    print(
        f"consent requests at {args.rate:g}/s offered for {args.seconds:g} s (after "
        f"{args.warmup:g} s untimed), round-robin over {args.holders} holders; app: `arogya "
        f"serve` on {described}, SMS by the http gateway adapter to a loopback sink; "
        f"Telegram: {chats} of {args.holders} holders have a linked chat (~"
        f"{args.rate * chats / args.holders:.0f} notices/s), the app's global pace is "
        f"{pace:g} msg/s (AROGYA_TELEGRAM_MESSAGES_PER_SECOND); {os.cpu_count()} CPUs\n"
    )
    print(table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
