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
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from bench.phones import GATEWAY_TOKEN, USSD_SECRET, Run, SmsInbox, Weigh, drive, sms_gateway
from testing.services import ROOT, ArogyaProcess, free_port


@asynccontextmanager
async def server(kind: str, env: dict[str, str], redis_url: str | None) -> AsyncIterator[str]:
    """A baseline (`bare`, `redis`) from bench.ussd_server, or Arogya as `arogya serve` runs it
    in production (outbox workers included); yields the USSD callback URL."""
    if kind == "arogya":
        async with arogya_server(env) as (url, _):
            yield url
        return
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
async def arogya_server(env: dict[str, str]) -> AsyncIterator[tuple[str, ArogyaProcess]]:
    process = ArogyaProcess(env)
    await process.start()
    try:
        yield f"{process.url}/ussd", process
    finally:
        await process.stop()


@asynccontextmanager
async def redis_server() -> AsyncIterator[str]:
    if os.environ.get("REDIS_URL"):
        yield os.environ["REDIS_URL"]
        return
    port = free_port()
    process = await asyncio.create_subprocess_exec(
        "redis-server",
        "--port",
        str(port),
        "--save",
        "",
        "--appendonly",
        "no",
        stdout=subprocess.DEVNULL,
    )
    await asyncio.sleep(0.3)
    try:
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        await process.wait()


#: One registration without Aadhaar; "{otp}" is read from the SMS gateway.
def arogya_env(gateway_url: str, database_url: str, redis_url: str | None) -> dict[str, str]:
    """Production settings (PIN hash cost included) with the loopback SMS gateway."""
    env = {
        "AROGYA_SMS_GATEWAY": "http",
        "AROGYA_SMS_GATEWAY_URL": gateway_url,
        "AROGYA_SMS_GATEWAY_TOKEN": GATEWAY_TOKEN,
        "AROGYA_LOG_LEVEL": "WARNING",
        "AROGYA_OTP_SENDS_PER_MOBILE_PER_HOUR": "1000",
        "AROGYA_SECRET_KEY": "bench-secret",
        "AROGYA_USSD_SECRET": USSD_SECRET,
        "DATABASE_URL": database_url,
    }
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


def state_weigher(redis_url: str, into: Run) -> Weigh:
    """Record the bytes of a conversation's state in Redis: its JSON and `MEMORY USAGE`."""
    from redis.asyncio import Redis

    redis = Redis.from_url(redis_url)

    async def weigh(phone: str) -> None:
        key = f"arogya:conv:ussd:{phone}"
        into.state_json_bytes.append(int(await redis.strlen(key)))
        into.state_memory_bytes.append(int(await redis.memory_usage(key) or 0))

    return weigh


async def measure_arogya(
    inbox: SmsInbox,
    env: dict[str, str],
    sessions: int,
    concurrency: int,
    phone_base: int,
    *,
    ramp: float = 0.0,
    redis_url: str | None = None,
    think: float = 0.0,
) -> Run:
    """Warm up, then drive registrations against `arogya serve`, measuring its CPU. With
    `think`, a second run of `concurrency` sessions typing that slowly gives `think_run`."""
    weighed = Run()
    weigh = state_weigher(redis_url, weighed) if redis_url else None
    async with arogya_server(env) as (url, process):
        await drive(url, 8, 8, inbox, phone_base + 900_000)  # warm up (and migrate)
        cpu = process.cpu_seconds()
        run = await drive(url, sessions, concurrency, inbox, phone_base, weigh, ramp=ramp)
        run.server_cpu = process.cpu_seconds() - cpu
        if think:
            run.think_run = await drive(
                url, concurrency, concurrency, inbox, phone_base + 500_000, ramp=think, think=think
            )
    run.state_json_bytes, run.state_memory_bytes = (
        weighed.state_json_bytes,
        weighed.state_memory_bytes,
    )
    return run


async def measure_baselines(
    redis_url: str, sessions: int, concurrency: int, ramp: float = 0.0
) -> dict[str, Run]:
    results: dict[str, Run] = {}
    async with server("bare", {}, None) as url:
        await drive(url, 16, concurrency, None, 0)  # warm up
        results["bare"] = await drive(url, sessions, concurrency, None, 0, ramp=ramp)
    async with server("redis", {}, redis_url) as url:
        await drive(url, 16, concurrency, None, 0)
        results["redis"] = await drive(url, sessions, concurrency, None, 0, ramp=ramp)
    return results


def row(name: str, run: Run, baseline: Run | None) -> str:
    ratio = f"{run.hops_per_second / baseline.hops_per_second:.2f}x" if baseline else "-"
    regs = f"{run.registrations_per_second:.1f}" if run.completed else "-"
    cpu = f"{run.cpu_ms_per_hop:.2f}" if run.server_cpu else "-"
    return (
        f"| {name} | {run.hops_per_second:,.0f} | {ratio} | {run.percentile(0.5):.1f} | "
        f"{run.percentile(0.99):.1f} | {regs} | {cpu} | {run.errors} |"
    )


async def main(args: argparse.Namespace) -> None:
    inbox = SmsInbox()
    tmp = Path(tempfile.mkdtemp(prefix="arogya-bench-"))
    async with sms_gateway(inbox) as gateway_url, redis_server() as redis_url:
        results = await measure_baselines(redis_url, args.sessions, args.concurrency, args.ramp)
        configs: list[tuple[str, str | None]] = [("memory", None)]
        if not args.memory_only:
            configs.append(("redis", redis_url))
        for label, state_url in configs:
            database = args.database_url or f"sqlite://{tmp}/bench-{label}.sqlite3"
            env = arogya_env(gateway_url, database, state_url)
            phone_base = 10_000 if label == "memory" else 20_000
            results[f"arogya-{label}"] = await measure_arogya(
                inbox,
                env,
                args.sessions,
                args.concurrency,
                phone_base,
                ramp=args.ramp,
                redis_url=state_url,
            )
    shutil.rmtree(tmp, ignore_errors=True)
    print_table(args, results)


def print_table(args: argparse.Namespace, results: dict[str, Run]) -> None:
    print(f"\nUSSD benchmark: {args.sessions} registrations, {args.concurrency} at once")
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print("\n| server | hops/s | ratio | p50 ms | p99 ms | registrations/s | CPU ms/hop | errors |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    print(row("bare aiohttp `CON hello`", results["bare"], None))
    print(row("bare + one Redis GET+SET", results["redis"], results["bare"]))
    if "arogya-memory" in results:
        print(row("Arogya, in-process state (vs bare)", results["arogya-memory"], results["bare"]))
    if "arogya-redis" in results:
        run = results["arogya-redis"]
        print(row("Arogya, Redis state (vs Redis baseline)", run, results["redis"]))
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
    parser.add_argument(
        "--ramp",
        type=float,
        default=0.0,
        help="seconds over which the first wave of sessions starts",
    )
    asyncio.run(main(parser.parse_args()))
