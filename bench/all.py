"""`make bench`: every benchmark, one table, each figure beside a baseline from the same run.

    .venv/bin/python -m bench.all [--sessions 256] [--concurrency 64] [--persons 1000000]
                                  [--output var/bench/latest.md]

What runs, in order (all on this machine, client and servers sharing its cores):
1. the baselines: a bare aiohttp handler answering `CON hello`, and one doing a Redis GET + SET;
2. Arogya (`arogya serve`, production settings) on SQLite with in-process state, then with Redis;
3. Arogya on a throwaway PostgreSQL + Redis with 1,000 people registered, then with
   `--persons` (bulk-loaded with generate_series, the load timed), for registrations/s and the
   registration hop p99 at both sizes;
4. any other benchmark module beside this one that prints a markdown table
   (`bench/telegram_bench.py`, `bench/consent_bench.py`): run as a script, its rows appended.
Nothing here passes or fails: docs/performance.md keeps the figures and says what they mean.
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
from dataclasses import dataclass
from pathlib import Path

from bench.phones import Run, SmsInbox, sms_gateway
from bench.population import count_persons, load_persons
from bench.ussd_bench import arogya_env, measure_arogya, measure_baselines
from testing.services import ROOT, fresh_database, throwaway_postgres, throwaway_redis

#: Other benchmarks, run if present, with their arguments; each prints a markdown table whose
#: rows are kept. The consent bench runs the case its target is set for (Telegram notice p99
#: <= 100 ms with every holder on Telegram at 100 requests/s), so the bot must be allowed that
#: pace (Telegram's default is 30/s).
OTHER_BENCHES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("telegram_bench", ()),
    ("consent_bench", ("--telegram-pace", "1000", "--telegram-share", "1")),
)


@dataclass(frozen=True)
class Line:
    measure: str
    value: str
    baseline: str
    ratio: str
    target: str
    met: str


def ratio_line(
    measure: str,
    value: float,
    unit: str,
    base_name: str,
    base: float,
    target: float | None,
    *,
    higher_is_better: bool = True,
    fmt: str = ",.0f",
) -> Line:
    ratio = value / base if base else 0.0
    met = "-"
    if target is not None:
        met = "yes" if (ratio >= target if higher_is_better else ratio <= target) else "no"
    sign = ">=" if higher_is_better else "<="
    return Line(
        measure,
        f"{value:{fmt}} {unit}",
        f"{base_name}: {base:{fmt}} {unit}",
        f"{ratio:.2f}x",
        f"{sign} {target}x" if target is not None else "-",
        met,
    )


def hop_lines(name: str, run: Run, base_name: str, base: Run, target: float) -> list[Line]:
    lines = [
        ratio_line(
            f"USSD hops/s, {name}",
            run.hops_per_second,
            "hops/s",
            base_name,
            base.hops_per_second,
            target,
        ),
        Line(
            f"USSD hop p50 / p99, {name} (64 sessions)",
            f"{run.percentile(0.5):.1f} / {run.percentile(0.99):.1f} ms",
            f"{base_name}: {base.percentile(0.5):.1f} / {base.percentile(0.99):.1f} ms",
            f"{run.percentile(0.99) / base.percentile(0.99):.1f}x p99",
            "p99 <= 25 ms",
            "yes" if run.percentile(0.99) <= 25 else "no",
        ),
        Line(f"server CPU per hop, {name}", f"{run.cpu_ms_per_hop:.2f} ms", "-", "-", "-", "-"),
    ]
    paced = run.think_run
    if paced is not None:
        lines.append(
            Line(
                f"USSD hop p50 / p99, {name}, 64 sessions typing (1 s per input)",
                f"{paced.percentile(0.5):.1f} / {paced.percentile(0.99):.1f} ms",
                "-",
                "-",
                "p99 <= 25 ms",
                "yes" if paced.percentile(0.99) <= 25 else "no",
            )
        )
    return lines


async def ussd_and_sqlite(args: argparse.Namespace, inbox: SmsInbox, gateway: str) -> list[Line]:
    tmp = Path(tempfile.mkdtemp(prefix="arogya-bench-"))
    async with throwaway_redis() as redis:
        base = await measure_baselines(redis.url, args.sessions, args.concurrency, args.ramp)
        memory = await measure_arogya(
            inbox,
            arogya_env(gateway, f"sqlite://{tmp}/memory.sqlite3", None),
            args.sessions,
            args.concurrency,
            10_000,
            ramp=args.ramp,
            think=args.think,
        )
        with_redis = await measure_arogya(
            inbox,
            arogya_env(gateway, f"sqlite://{tmp}/redis.sqlite3", redis.url),
            args.sessions,
            args.concurrency,
            20_000,
            ramp=args.ramp,
            redis_url=redis.url,
            think=args.think,
        )
    shutil.rmtree(tmp, ignore_errors=True)
    bare, redis_base = base["bare"], base["redis"]
    lines = [
        *hop_lines("in-process state, SQLite", memory, "bare aiohttp", bare, 0.4),
        *hop_lines("Redis state, SQLite", with_redis, "bare + Redis GET+SET", redis_base, 0.7),
        ratio_line(
            "registrations/s, SQLite + in-process state",
            memory.registrations_per_second,
            "/s",
            "bare 16-hop sessions",
            bare.registrations_per_second,
            None,
            fmt=".1f",
        ),
    ]
    if with_redis.state_memory_bytes:
        used = statistics.median(with_redis.state_memory_bytes)
        json_bytes = statistics.median(with_redis.state_json_bytes)
        lines.append(
            ratio_line(
                f"state per conversation, Redis MEMORY USAGE (JSON {json_bytes:.0f} B)",
                used,
                "B",
                "target",
                1024,
                1.0,
                higher_is_better=False,
            )
        )
    errors = sum(run.errors for run in (memory, with_redis))
    lines.append(
        Line(
            "failed hops or registrations (all runs above)",
            str(errors),
            "-",
            "-",
            "0",
            "yes" if errors == 0 else "no",
        )
    )
    return lines


async def postgres_at_scale(args: argparse.Namespace, inbox: SmsInbox, gateway: str) -> list[Line]:
    async with throwaway_postgres() as server, throwaway_redis() as redis:
        url = await fresh_database(server, "arogya_bench")
        env = arogya_env(gateway, url, redis.url)
        migrate = [sys.executable, "-m", "arogya", "migrate"]
        await asyncio.to_thread(
            subprocess.run,
            migrate,
            cwd=ROOT,
            env={**os.environ, **env},
            check=True,
            stdout=subprocess.DEVNULL,
        )
        small_load = await load_persons(url, 1, 1000)
        small = await measure_arogya(
            inbox,
            env,
            args.sessions,
            args.concurrency,
            30_000,
            ramp=args.ramp,
            redis_url=redis.url,
            think=args.think,
        )
        big_load = await load_persons(url, 1001, args.persons)
        people = await count_persons(url)
        big = await measure_arogya(
            inbox, env, args.sessions, args.concurrency, 40_000, ramp=args.ramp, redis_url=redis.url
        )
    p99_small, p99_big = small.percentile(0.99), big.percentile(0.99)
    return [
        ratio_line(
            "registrations/s, PostgreSQL + Redis (1,000 people)",
            small.registrations_per_second,
            "/s",
            "target",
            300,
            1.0,
            fmt=".1f",
        ),
        Line(
            "USSD hop p50 / p99, PostgreSQL + Redis",
            f"{small.percentile(0.5):.1f} / {p99_small:.1f} ms",
            "-",
            "-",
            "p99 <= 25 ms",
            "yes" if p99_small <= 25 else "no",
        ),
        *(
            [
                Line(
                    "USSD hop p50 / p99, PostgreSQL + Redis, 64 sessions typing (1 s per input)",
                    f"{small.think_run.percentile(0.5):.1f} / "
                    f"{small.think_run.percentile(0.99):.1f} ms",
                    "-",
                    "-",
                    "p99 <= 25 ms",
                    "yes" if small.think_run.percentile(0.99) <= 25 else "no",
                )
            ]
            if small.think_run
            else []
        ),
        Line(
            f"registration hop p99 with {people:,} people",
            f"{p99_big:.1f} ms",
            f"with 1,000 people: {p99_small:.1f} ms",
            f"{p99_big / p99_small:.2f}x",
            "<= 1.2x",
            "yes" if p99_big <= 1.2 * p99_small else "no",
        ),
        Line(
            f"bulk load of {args.persons - 1000:,} people (generate_series + ANALYZE)",
            f"{big_load:.1f} s",
            f"1,000 people: {small_load:.2f} s",
            "-",
            "-",
            "-",
        ),
        Line(
            "server CPU per hop, PostgreSQL + Redis",
            f"{small.cpu_ms_per_hop:.2f} ms",
            "-",
            "-",
            "-",
            "-",
        ),
        Line(
            "failed hops or registrations (PostgreSQL runs)",
            str(small.errors + big.errors),
            "-",
            "-",
            "0",
            "yes" if small.errors + big.errors == 0 else "no",
        ),
    ]


def other_benches() -> list[Line]:
    """Rows of the markdown tables that other benchmark modules print (if they exist)."""
    lines: list[Line] = []
    for name, arguments in OTHER_BENCHES:
        if not (ROOT / "bench" / f"{name}.py").exists():
            continue
        done = subprocess.run(
            [sys.executable, "-m", f"bench.{name}", *arguments],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        rows = [line for line in done.stdout.splitlines() if line.startswith("|")]
        if done.returncode != 0 or len(rows) < 3:
            lines.append(Line(f"{name}", f"failed (exit {done.returncode})", "-", "-", "-", "no"))
            continue
        header = [cell.strip() for cell in rows[0].strip("|").split("|")]
        for row in rows[2:]:  # after the header and its separator
            cells = [cell.strip() for cell in row.strip("|").split("|")]
            named = "; ".join(f"{h} {c}" for h, c in zip(header[1:], cells[1:], strict=False))
            lines.append(Line(f"{name}: {cells[0]}", named, "-", "-", "-", "-"))
    return lines


def table(lines: list[Line]) -> str:
    out = [
        "| measure | Arogya | baseline (same run) | ratio | target | met |",
        "| --- | ---: | ---: | ---: | --- | --- |",
    ]
    out += [
        f"| {x.measure} | {x.value} | {x.baseline} | {x.ratio} | {x.target} | {x.met} |"
        for x in lines
    ]
    return "\n".join(out)


def machine() -> str:
    cpu = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        names = [
            ln.split(":", 1)[1].strip()
            for ln in cpuinfo.read_text().splitlines()
            if ln.startswith("model name")
        ]
        cpu = names[0] if names else cpu
    return (
        f"{platform.machine()}, {os.cpu_count()} cores ({cpu}), {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}"
    )


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


async def main(args: argparse.Namespace) -> None:
    inbox = SmsInbox()
    lines: list[Line] = []
    async with sms_gateway(inbox) as gateway:
        lines += await ussd_and_sqlite(args, inbox, gateway)
        if not args.skip_postgres:
            lines += await postgres_at_scale(args, inbox, gateway)
    lines += other_benches()
    report = (
        f"machine: {machine()}\nload: {args.sessions} USSD registrations (16 hops each), "
        f"{args.concurrency} at once, first wave ramped over {args.ramp} s\n\n"
        f"{table(lines)}\n"
    )
    print("\n" + report)
    if args.output:
        write(Path(args.output), report)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=256)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--ramp", type=float, default=1.0)
    parser.add_argument(
        "--think",
        type=float,
        default=1.0,
        help="seconds per input in the paced latency runs (0: skip them)",
    )
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--output", default="var/bench/latest.md")
    asyncio.run(main(parser.parse_args()))
