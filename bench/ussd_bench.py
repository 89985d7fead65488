"""USSD benchmark: complete Health ID registrations over HTTP, many sessions at once.

    .venv/bin/python -m bench.ussd_bench [--sessions 256] [--concurrency 64] [--database-url URL]

Every session is a whole registration without Aadhaar (16 hops: menu, mobile, OTP, profile,
state, district, PIN code, address, PIN twice, confirm) from its own phone number, against the
real app in its own process, with the OTP read from a loopback SMS gateway that the app reaches
through its real HTTP gateway adapter. Two baselines are measured in the same run with the same
client and the same hop pattern: a bare aiohttp handler answering `CON hello`, and a bare
handler doing one Redis GET + SET. Figures: hops/s, p50/p99 per hop, registrations/s, and the
bytes of one conversation's state in Redis (its JSON and `MEMORY USAGE`). Nothing here is a
pass/fail test: it prints, and docs/performance.md keeps the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
from aiohttp import web

ROOT = Path(__file__).resolve().parents[1]
OTP = re.compile(r"\b(\d{6})\b")
GATEWAY_TOKEN = "bench-gateway-token"  # noqa: S105 (loopback only)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


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


@asynccontextmanager
async def server(kind: str, env: dict[str, str], redis_url: str | None) -> AsyncIterator[str]:
    port = free_port()
    args = [sys.executable, "-m", "bench.ussd_server", kind, "--port", str(port)]
    if redis_url:
        args += ["--redis", redis_url]
    process = await asyncio.create_subprocess_exec(
        *args, cwd=ROOT, env={**os.environ, **env}, stdout=subprocess.PIPE
    )
    assert process.stdout is not None
    line = await asyncio.wait_for(process.stdout.readline(), 60)
    if b"ready" not in line:
        raise RuntimeError(f"{kind} server did not start: {line!r}")
    try:
        yield f"http://127.0.0.1:{port}/ussd"
    finally:
        process.terminate()
        await process.wait()


@asynccontextmanager
async def redis_server() -> AsyncIterator[str]:
    if os.environ.get("REDIS_URL"):
        yield os.environ["REDIS_URL"]
        return
    port = free_port()
    process = await asyncio.create_subprocess_exec(
        "redis-server", "--port", str(port), "--save", "", "--appendonly", "no",
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    await asyncio.sleep(0.3)
    try:
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        await process.wait()


#: One registration without Aadhaar; "{otp}" is read from the SMS gateway.
HOPS = ["1", "2", "1", "{otp}", "Asha", "0", "2", "1990", "1", "1", "110001", "1", "4826",
        "4826", "1"]  # fmt: skip


@dataclass
class Run:
    latencies: list[float] = field(default_factory=list)
    completed: int = 0
    errors: int = 0
    seconds: float = 0.0
    state_json_bytes: list[int] = field(default_factory=list)
    state_memory_bytes: list[int] = field(default_factory=list)

    @property
    def hops_per_second(self) -> float:
        return len(self.latencies) / self.seconds

    def percentile(self, q: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


async def one_session(
    http: aiohttp.ClientSession,
    url: str,
    phone: str,
    inbox: SmsInbox | None,
    run: Run,
    weigh: Callable[[str], asyncio.Future[None]] | None,
) -> None:
    inputs: list[str] = []
    session_id = f"bench-{phone}"

    async def hop(text: str) -> str:
        form = {"sessionId": session_id, "serviceCode": "*384#", "phoneNumber": phone,
                "networkCode": "40410", "text": text}  # fmt: skip
        started = time.perf_counter()
        async with http.post(url, data=form) as response:
            body = await response.text()
        run.latencies.append(time.perf_counter() - started)
        if response.status != 200:
            run.errors += 1
        return body

    await hop("")
    for index, step in enumerate(HOPS):
        if step == "Asha":  # a name of its own, so the suggested addresses do not collide
            step = "Asha" + "".join(chr(ord("a") + int(d)) for d in phone[-6:])
        if step == "{otp}":
            step = await inbox.wait_otp(phone) if inbox else "123456"
        inputs.append(step)
        body = await hop("*".join(inputs))
        if weigh is not None and index == 11:  # at the address step: the fullest state
            await weigh(phone)
    if inbox is None or body.startswith("END"):
        run.completed += 1
    else:
        run.errors += 1


async def drive(
    url: str,
    sessions: int,
    concurrency: int,
    inbox: SmsInbox | None,
    first_phone: int,
    weigh: Callable[[str], asyncio.Future[None]] | None = None,
) -> Run:
    run = Run()
    gate = asyncio.Semaphore(concurrency)
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as http:

        async def guarded(n: int) -> None:
            async with gate:
                await one_session(http, url, f"+9170{first_phone + n:08d}", inbox, run, weigh)

        started = time.perf_counter()
        await asyncio.gather(*(guarded(n) for n in range(sessions)))
        run.seconds = time.perf_counter() - started
    return run


def row(name: str, run: Run, baseline: Run | None) -> str:
    ratio = f"{run.hops_per_second / baseline.hops_per_second:.2f}x" if baseline else "-"
    regs = f"{run.completed / run.seconds:.1f}" if run.completed else "-"
    return (
        f"| {name} | {run.hops_per_second:,.0f} | {ratio} | {run.percentile(0.5):.1f} | "
        f"{run.percentile(0.99):.1f} | {regs} | {run.errors} |"
    )


async def main(args: argparse.Namespace) -> None:
    inbox = SmsInbox()
    tmp = Path(tempfile.mkdtemp(prefix="arogya-bench-"))
    async with sms_gateway(inbox) as gateway_url, redis_server() as redis_url:
        base_env = {
            "AROGYA_SMS_GATEWAY": "http",
            "AROGYA_SMS_GATEWAY_URL": gateway_url,
            "AROGYA_SMS_GATEWAY_TOKEN": GATEWAY_TOKEN,
            "AROGYA_LOG_LEVEL": "WARNING",
            "AROGYA_OTP_SENDS_PER_MOBILE_PER_HOUR": "1000",
            "AROGYA_SECRET_KEY": "bench-secret",
        }
        results: dict[str, Run] = {}
        async with server("bare", {}, None) as url:
            await drive(url, 16, args.concurrency, None, 0)  # warm up
            results["bare"] = await drive(url, args.sessions, args.concurrency, None, 0)
        async with server("redis", {}, redis_url) as url:
            results["redis"] = await drive(url, args.sessions, args.concurrency, None, 0)
        configs = [("memory", None)]
        if not args.memory_only:
            configs.append(("redis", redis_url))
        for label, state_url in configs:
            database = args.database_url or f"sqlite://{tmp}/bench-{label}.sqlite3"
            env = {**base_env, "DATABASE_URL": database}
            if state_url:
                env["REDIS_URL"] = state_url
            weigh = None
            if state_url:
                from redis.asyncio import Redis

                redis = Redis.from_url(state_url)

                async def weigh_state(
                    phone: str, redis: Redis = redis, run_label: str = label
                ) -> None:
                    key = f"arogya:conv:ussd:{phone}"
                    size = await redis.strlen(key)
                    memory = await redis.memory_usage(key)
                    results_run = results.get(f"arogya-{run_label}")
                    if results_run is not None:
                        results_run.state_json_bytes.append(int(size))
                        results_run.state_memory_bytes.append(int(memory or 0))

                weigh = weigh_state  # type: ignore[assignment]
            phone_base = 10_000 if label == "memory" else 20_000
            async with server("arogya", env, None) as url:
                await drive(url, 8, 8, inbox, phone_base + 90_000)  # warm up (and migrate)
                results[f"arogya-{label}"] = Run()
                run = await drive(url, args.sessions, args.concurrency, inbox, phone_base, weigh)
                run.state_json_bytes = results[f"arogya-{label}"].state_json_bytes
                run.state_memory_bytes = results[f"arogya-{label}"].state_memory_bytes
                results[f"arogya-{label}"] = run
    shutil.rmtree(tmp, ignore_errors=True)
    print_table(args, results)


def print_table(args: argparse.Namespace, results: dict[str, Run]) -> None:
    print(f"\nUSSD benchmark: {args.sessions} registrations, {args.concurrency} at once")
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}")  # fmt: skip
    print("\n| server | hops/s | ratio | p50 ms | p99 ms | registrations/s | errors |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    print(row("bare aiohttp `CON hello`", results["bare"], None))
    print(row("bare + one Redis GET+SET", results["redis"], results["bare"]))
    if "arogya-memory" in results:
        print(row("Arogya, in-process state (vs bare)", results["arogya-memory"], results["bare"]))
    if "arogya-redis" in results:
        redis_run = results["arogya-redis"]
        print(row("Arogya, Redis state (vs Redis baseline)", redis_run, results["redis"]))
        run = results["arogya-redis"]
        if run.state_json_bytes:
            print(
                f"\nstate per conversation (at its fullest step): JSON "
                f"{statistics.median(run.state_json_bytes):.0f} B median, "
                f"{max(run.state_json_bytes)} B max; Redis MEMORY USAGE "
                f"{statistics.median(run.state_memory_bytes):.0f} B median"
            )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=256)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--database-url", default=None, help="default: a fresh SQLite file")
    parser.add_argument("--memory-only", action="store_true")
    asyncio.run(main(parser.parse_args()))
