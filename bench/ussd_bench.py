"""USSD benchmark: complete Health ID registrations over HTTP, many sessions at once.

    .venv/bin/python -m bench.ussd_bench [--sessions 256] [--concurrency 64] [--workers 1]
                                         [--clients 2] [--database-url URL]

Every session is a whole registration without Aadhaar (12 hops: dial, menu, way, OTP, name,
gender, year, PIN code, address, PIN twice, confirm) from its own phone number, against the real
app in processes of its own (`--workers`, as `arogya serve --workers N`), driven by `--clients`
client processes (bench/load.py). The OTP is the bench's fixed one (bench/otp_seam.py); the app
still sends it through its real HTTP gateway adapter to a loopback sink. Two baselines are
measured in the same run with the same client and the same hop pattern: a bare aiohttp handler
answering `CON hello`, and one doing a Redis GET + SET. Figures: hops/s (in the steady-state
window only), p50/p99 per hop, registrations/s, server CPU per hop (every server process, from
/proc), the client's own CPU per hop, and the per-hop probe (bench/hop_kinds.py). Nothing here
is a pass/fail test: it prints, and docs/performance.md keeps the figures.
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

from bench.cpu import tree_cpu_seconds
from bench.hop_kinds import Probe, probe
from bench.load import drive_processes
from bench.otp_seam import BENCH_OTP
from bench.phones import GATEWAY_TOKEN, USSD_SECRET, Run, SmsInbox, Weigh, drive, sms_gateway
from testing.services import ROOT, free_port


@asynccontextmanager
async def server(
    kind: str,
    env: dict[str, str],
    redis_url: str | None,
    *,
    workers: int = 1,
    probe: bool = False,
) -> AsyncIterator[tuple[str, int]]:
    """A baseline (`bare`, `redis`) or Arogya from bench.ussd_server in a process of its own
    (Arogya: `workers` processes on one port, wired as `arogya serve --workers N`, with the
    bench's fixed OTP); yields the USSD callback URL and the pid whose process tree is the
    server (its CPU: bench.cpu)."""
    port = free_port()
    args = [sys.executable, "-m", "bench.ussd_server", kind, "--port", str(port)]
    if redis_url and kind != "arogya":
        args += ["--redis", redis_url]
    if kind == "arogya":
        args += ["--workers", str(workers), "--fixed-otp"] + ["--probe"] * probe
    process = await asyncio.create_subprocess_exec(
        *args, cwd=ROOT, env={**os.environ, **env}, stdout=subprocess.PIPE
    )
    assert process.stdout is not None
    try:
        for _ in range(workers if kind == "arogya" else 1):  # each process says "ready"
            line = await asyncio.wait_for(process.stdout.readline(), 180)
            if b"ready" not in line:
                raise RuntimeError(f"{kind} server did not start: {line!r}")
        yield f"http://127.0.0.1:{port}/ussd", process.pid
    finally:
        if process.returncode is None:
            process.terminate()
        await process.wait()


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
    env: dict[str, str],
    sessions: int,
    concurrency: int,
    phone_base: int,
    *,
    ramp: float = 0.0,
    think: float = 0.0,
    workers: int = 1,
    clients: int = 2,
) -> Run:
    """Warm up, then drive registrations from `clients` processes against Arogya in `workers`
    processes, measuring the CPU of every server process. With `think`, a second run of
    `concurrency` sessions typing that slowly gives `think_run`."""
    async with server("arogya", env, None, workers=workers) as (url, pid):
        await drive(url, 8, 8, None, phone_base + 900_000, otp=BENCH_OTP)  # warm up
        cpu = tree_cpu_seconds(pid)
        run = await drive_processes(
            url, sessions, concurrency, phone_base, processes=clients, ramp=ramp, otp=BENCH_OTP
        )
        run.server_cpu = tree_cpu_seconds(pid) - cpu
        if think:
            run.think_run = await drive_processes(
                url,
                concurrency,
                concurrency,
                phone_base + 500_000,
                processes=clients,
                ramp=think,
                think=think,
                otp=BENCH_OTP,
            )
    return run


async def measure_hops(
    env: dict[str, str], registrations: int, phone_base: int, redis_url: str | None = None
) -> tuple[Probe, Run]:
    """The per-hop probe (one process, one hop at a time) and, with Redis, the bytes of one
    conversation's state at its fullest step."""
    weighed = Run()
    async with server("arogya", env, None, probe=True) as (url, _):
        await drive(url, 2, 2, None, phone_base + 900_000, otp=BENCH_OTP)  # warm up
        found = await probe(url, registrations, phone_base, BENCH_OTP)
        if redis_url:
            weigh = state_weigher(redis_url, weighed)
            await drive(url, 4, 4, None, phone_base + 1000, weigh, otp=BENCH_OTP)
    return found, weighed


async def measure_baselines(
    redis_url: str, sessions: int, concurrency: int, ramp: float = 0.0, clients: int = 2
) -> dict[str, Run]:
    """The bare handler and the Redis GET+SET one, each driven by `clients` processes; and
    the bare handler by one client process, to show what the extra processes add."""
    results: dict[str, Run] = {}
    async with server("bare", {}, None) as (url, pid):
        await drive(url, 16, concurrency, None, 0)  # warm up
        cpu = tree_cpu_seconds(pid)
        results["bare"] = await drive_processes(
            url, sessions, concurrency, 0, processes=clients, ramp=ramp
        )
        results["bare"].server_cpu = tree_cpu_seconds(pid) - cpu
        results["bare-one-client"] = await drive_processes(
            url, sessions, concurrency, 0, processes=1, ramp=ramp
        )
    async with server("redis", {}, redis_url) as (url, pid):
        await drive(url, 16, concurrency, None, 0)
        cpu = tree_cpu_seconds(pid)
        results["redis"] = await drive_processes(
            url, sessions, concurrency, 0, processes=clients, ramp=ramp
        )
        results["redis"].server_cpu = tree_cpu_seconds(pid) - cpu
    return results


def ratio(run: Run, baseline: Run | None) -> str:
    """A throughput ratio, only between two runs that each had a steady-state window."""
    if baseline is None:
        return "-"
    if not (run.steady and baseline.steady):
        return "no steady state (raise --sessions)"
    return f"{run.hops_per_second / baseline.hops_per_second:.2f}x"


def row(name: str, run: Run, baseline: Run | None) -> str:
    regs = f"{run.registrations_per_second:.1f}" if run.completed else "-"
    cpu = f"{run.cpu_ms_per_hop:.3f}" if run.server_cpu else "-"
    rate = f"{run.hops_per_second:,.0f}" if run.steady else "no steady state"
    return (
        f"| {name} | {rate} | {ratio(run, baseline)} | {run.percentile(0.5):.1f} | "
        f"{run.percentile(0.99):.1f} | {regs} | {cpu} | {run.client_cpu_ms_per_hop:.3f} | "
        f"{run.errors} |"
    )


async def main(args: argparse.Namespace) -> None:
    inbox = SmsInbox()
    tmp = Path(tempfile.mkdtemp(prefix="arogya-bench-"))
    probes: dict[str, Probe] = {}
    async with sms_gateway(inbox) as gateway_url, redis_server() as redis_url:
        results = await measure_baselines(
            redis_url, args.sessions, args.concurrency, args.ramp, args.clients
        )
        configs: list[tuple[str, str | None]] = [("memory", None)]
        if not args.memory_only:
            configs.append(("redis", redis_url))
        for label, state_url in configs:
            database = args.database_url or f"sqlite://{tmp}/bench-{label}.sqlite3"
            env = arogya_env(gateway_url, database, state_url)
            phone_base = 10_000 if label == "memory" else 20_000
            probes[label], weighed = await measure_hops(
                env, args.probe, phone_base + 700_000, state_url
            )
            results[f"arogya-{label}"] = await measure_arogya(
                env,
                args.sessions,
                args.concurrency,
                phone_base,
                ramp=args.ramp,
                workers=args.workers if state_url and database.startswith("postgres") else 1,
                clients=args.clients,
            )
            results[f"arogya-{label}"].state_json_bytes = weighed.state_json_bytes
            results[f"arogya-{label}"].state_memory_bytes = weighed.state_memory_bytes
    shutil.rmtree(tmp, ignore_errors=True)
    print_table(args, results, probes)


def print_table(
    args: argparse.Namespace, results: dict[str, Run], probes: dict[str, Probe]
) -> None:
    print(f"\nUSSD benchmark: {args.sessions} registrations, {args.concurrency} at once")
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print(
        "\n| server | hops/s | ratio | p50 ms | p99 ms | registrations/s | server CPU ms/hop "
        "| client CPU ms/hop | errors |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    print(row("bare aiohttp `CON hello`, 1 client process", results["bare-one-client"], None))
    print(row(f"bare aiohttp `CON hello`, {args.clients} client processes", results["bare"], None))
    print(row("bare + one Redis GET+SET", results["redis"], results["bare"]))
    if "arogya-memory" in results:
        print(row("Arogya, in-process state (vs bare)", results["arogya-memory"], results["bare"]))
    if "arogya-redis" in results:
        run = results["arogya-redis"]
        print(row("Arogya, Redis state (vs Redis baseline)", run, results["redis"]))
        if run.state_json_bytes:
            print(
                f"\nstate per conversation (at its fullest step): JSON "
                f"{statistics.median(run.state_json_bytes):.0f} B median; Redis MEMORY USAGE "
                f"{statistics.median(run.state_memory_bytes):.0f} B median"
            )
    for label, found in probes.items():
        print(f"\nper hop, {label} state ({found.registrations} registrations, one hop at a time):")
        print(found.table())
        print(
            f"registration: {found.per_registration_ms():.1f} ms server CPU, statements "
            f"{dict(found.statements())}"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=256)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument(
        "--workers", type=int, default=1, help="Arogya processes (Redis + PostgreSQL)"
    )
    parser.add_argument("--clients", type=int, default=2, help="client processes")
    parser.add_argument("--probe", type=int, default=10, help="registrations probed per hop")
    parser.add_argument("--database-url", default=None, help="default: a fresh SQLite file")
    parser.add_argument("--memory-only", action="store_true")
    parser.add_argument(
        "--ramp",
        type=float,
        default=0.0,
        help="seconds over which the first wave of sessions starts",
    )
    asyncio.run(main(parser.parse_args()))
