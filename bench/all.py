"""`make bench`: every benchmark, one table, each figure beside a baseline from the same run.

    .venv/bin/python -m bench.all [--sessions 4096] [--concurrency 64] [--persons 1000000]
                                  [--output var/bench/latest.md]

What runs, in order (all on this machine, client and servers sharing its cores):
1. the baselines: a bare aiohttp handler answering `CON hello`, and one doing a Redis GET + SET,
   driven by `--clients` client processes (bench/load.py), and the bare one by a single client
   process too: with the client's own CPU per hop, the client's ceiling;
2. the per-hop probe (bench/hop_kinds.py): registrations one hop at a time, for server CPU and
   SQL statements by hop kind (state-only, DB, PIN) and per registration;
3. Arogya (production settings, wired as `arogya serve`, the bench's fixed OTP) on SQLite with
   in-process state (one process), then with Redis on `--workers` processes;
4. Arogya on a throwaway PostgreSQL + Redis on `--workers` processes with 1,000 people
   registered, then with `--persons` (bulk-loaded with generate_series, the load timed), for
   registrations/s and the registration hop p99 at both sizes;
4. any other benchmark module beside this one that prints a markdown table
   (`bench/telegram_bench.py`, `bench/consent_bench.py`): run as a script, its rows appended.
Throughput and its ratios are taken only over a steady-state window (more sessions than run at
once); a run without one prints "no steady state" instead of a ratio. Server CPU is read from
/proc for every server process. Nothing here passes or fails: docs/performance.md keeps the
figures and says what they mean.
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

from bench.hop_kinds import Probe
from bench.phones import Run, SmsInbox, sms_gateway
from bench.population import count_persons, load_persons
from bench.ussd_bench import arogya_env, measure_arogya, measure_baselines, measure_hops
from testing.services import ROOT, fresh_database, throwaway_postgres, throwaway_redis

#: Other benchmarks, run if present, with their arguments; each prints a markdown table whose
#: rows are kept. The consent bench runs the case its target is set for (Telegram notice p99
#: <= 100 ms with every holder on Telegram at 100 requests/s), so the bot must be allowed that
#: pace (Telegram's default is 30/s). The peer (bench/peer_bench.py) is driven by the same
#: client processes as Arogya.
OTHER_BENCHES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("telegram_bench", ()),
    ("consent_bench", ("--telegram-pace", "1000", "--telegram-share", "1")),
    ("peer_bench", ()),  # the ussd_airflow peer, same client, same load, same run
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


def unsteady(measure: str, run: Run, base: Run) -> Line:
    """What is printed instead of a ratio when either run had no steady-state window (as many
    sessions as run at once: the figure would be the ramp's, not the server's)."""
    which = "Arogya" if not run.steady else "baseline"
    return Line(measure, "no steady state", f"({which} run: raise --sessions)", "-", "-", "-")


def throughput_line(
    measure: str, run: Run, base_name: str, base: Run, target: float | None
) -> Line:
    if not (run.steady and base.steady):
        return unsteady(measure, run, base)
    return ratio_line(
        measure, run.hops_per_second, "hops/s", base_name, base.hops_per_second, target
    )


def hop_lines(name: str, run: Run, base_name: str, base: Run, target: float) -> list[Line]:
    lines = [
        throughput_line(f"USSD hops/s, {name}", run, base_name, base, target),
        Line(
            f"USSD hop p50 / p99, {name} (64 sessions)",
            f"{run.percentile(0.5):.1f} / {run.percentile(0.99):.1f} ms",
            f"{base_name}: {base.percentile(0.5):.1f} / {base.percentile(0.99):.1f} ms",
            f"{run.percentile(0.99) / base.percentile(0.99):.1f}x p99",
            "p99 <= 25 ms",
            "yes" if run.percentile(0.99) <= 25 else "no",
        ),
        Line(
            f"server CPU per hop, {name} (all server processes, under load)",
            f"{run.cpu_ms_per_hop:.3f} ms",
            f"{base_name}: {base.cpu_ms_per_hop:.3f} ms",
            f"{run.cpu_ms_per_hop / base.cpu_ms_per_hop:.1f}x" if base.server_cpu else "-",
            "-",
            "-",
        ),
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


def client_lines(base: dict[str, Run], clients: int) -> list[Line]:
    """The client's own ceiling: hops a second it could generate with a core to itself (its
    CPU per hop, from its processes), beside what it drove against the bare handler with one
    process and with `clients`: a reader sees whether the client or the server was the limit."""
    bare, one = base["bare"], base["bare-one-client"]
    ceiling = 1000 / bare.client_cpu_ms_per_hop if bare.client_cpu else 0.0
    one_rate = f"{one.hops_per_second:,.0f} hops/s" if one.steady else "no steady state"
    many_rate = f"{bare.hops_per_second:,.0f} hops/s" if bare.steady else "no steady state"
    return [
        Line(
            f"client ceiling: hops/s per client core (client CPU {bare.client_cpu_ms_per_hop:.3f}"
            f" ms a hop, {clients} processes)",
            f"{ceiling:,.0f} hops/s per core",
            f"bare handler driven by 1 / {clients} client processes: {one_rate} / {many_rate}",
            "-",
            "-",
            "-",
        )
    ]


def probe_lines(name: str, probe: Probe) -> list[Line]:
    """CPU per hop by kind and per registration, and the SQL statements of a registration."""
    kinds = probe.by_kind()
    per_kind = "; ".join(
        f"{kind} {ms:.2f} ms x {count}" for kind, (count, ms) in kinds.items() if count
    )
    registration = probe.per_registration_ms()
    statements = probe.statements()
    state_only = kinds["state-only"][1]
    return [
        Line(
            f"server CPU by hop kind, {name} (one hop at a time, median)",
            per_kind,
            "-",
            "-",
            "state-only <= 0.2 ms",
            "yes" if state_only <= 0.2 else "no",
        ),
        Line(
            f"server CPU per registration, {name} (sum of its hops' medians)",
            f"{registration:.1f} ms",
            "-",
            "-",
            "<= 12 ms",
            "yes" if registration <= 12 else "no",
        ),
        Line(
            f"SQL statements per registration, {name}",
            f"{sum(statements.values())} ("
            + ", ".join(f"{k} {v}" for k, v in statements.most_common())
            + ")",
            "-",
            "-",
            "<= 10",
            "yes" if sum(statements.values()) <= 10 else "no",
        ),
    ]


async def ussd_and_sqlite(args: argparse.Namespace, gateway: str) -> list[Line]:
    tmp = Path(tempfile.mkdtemp(prefix="arogya-bench-"))
    async with throwaway_redis() as redis:
        base = await measure_baselines(
            redis.url, args.sessions, args.concurrency, args.ramp, args.clients
        )
        memory_env = arogya_env(gateway, f"sqlite://{tmp}/memory.sqlite3", None)
        redis_env = arogya_env(gateway, f"sqlite://{tmp}/redis.sqlite3", redis.url)
        memory_probe, _ = await measure_hops(memory_env, args.probe, 60_000)
        redis_probe, weighed = await measure_hops(redis_env, args.probe, 70_000, redis.url)
        memory = await measure_arogya(
            memory_env,
            args.sessions,
            args.concurrency,
            10_000,
            ramp=args.ramp,
            think=args.think,
            clients=args.clients,
        )
        with_redis = await measure_arogya(
            redis_env,
            args.sessions,
            args.concurrency,
            20_000,
            ramp=args.ramp,
            think=args.think,
            clients=args.clients,
        )  # one process: SQLite takes one writer (`serve --workers` refuses more on it)
    shutil.rmtree(tmp, ignore_errors=True)
    bare, redis_base = base["bare"], base["redis"]
    lines = [
        *client_lines(base, args.clients),
        *probe_lines("in-process state, SQLite", memory_probe),
        *probe_lines("Redis state, SQLite", redis_probe),
        *hop_lines("in-process state, SQLite", memory, "bare aiohttp", bare, 0.4),
        *hop_lines("Redis state, SQLite", with_redis, "bare + Redis GET+SET", redis_base, 0.7),
    ]
    if memory.steady and bare.steady:
        lines.append(
            ratio_line(
                "registrations/s, SQLite + in-process state",
                memory.registrations_per_second,
                "/s",
                "bare 12-hop sessions",
                bare.registrations_per_second,
                None,
                fmt=".1f",
            )
        )
    if weighed.state_memory_bytes:
        used = statistics.median(weighed.state_memory_bytes)
        json_bytes = statistics.median(weighed.state_json_bytes)
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


async def postgres_at_scale(args: argparse.Namespace, gateway: str) -> list[Line]:
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
        found, _ = await measure_hops(env, args.probe, 80_000)
        small = await measure_arogya(
            env,
            args.sessions,
            args.concurrency,
            30_000,
            ramp=args.ramp,
            think=args.think,
            workers=args.workers,
            clients=args.clients,
        )
        big_load = await load_persons(url, 1001, args.persons)
        people = await count_persons(url)
        big = await measure_arogya(
            env,
            args.sessions,
            args.concurrency,
            40_000,
            ramp=args.ramp,
            workers=args.workers,
            clients=args.clients,
        )
    p99_small, p99_big = small.percentile(0.99), big.percentile(0.99)
    rate = f"registrations/s, PostgreSQL + Redis, {args.workers} worker processes (1,000 people)"
    return [
        *probe_lines("PostgreSQL + Redis", found),
        ratio_line(rate, small.registrations_per_second, "/s", "target", 150, 1.0, fmt=".1f")
        if small.steady
        else Line(rate, "no steady state", "(raise --sessions)", "-", "-", "-"),
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
            "server CPU per hop, PostgreSQL + Redis (all server processes, under load)",
            f"{small.cpu_ms_per_hop:.3f} ms",
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


def other_benches(args: argparse.Namespace) -> list[Line]:
    """Rows of the markdown tables that other benchmark modules print (if they exist); the
    peer gets this run's load."""
    lines: list[Line] = []
    same_load: tuple[str, ...] = (
        "--sessions",
        str(args.sessions),
        "--concurrency",
        str(args.concurrency),
    )
    same_load += ("--clients", str(args.clients), "--ramp", str(args.ramp))
    for name, arguments in OTHER_BENCHES:
        if not (ROOT / "bench" / f"{name}.py").exists():
            continue
        if name == "peer_bench":
            arguments = (*arguments, *same_load)
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
    inbox = SmsInbox()  # the app's SMS land here; the client types the bench's fixed OTP
    lines: list[Line] = []
    async with sms_gateway(inbox) as gateway:
        lines += await ussd_and_sqlite(args, gateway)
        if not args.skip_postgres:
            lines += await postgres_at_scale(args, gateway)
    print(f"\nUSSD part (the other benchmarks follow):\n{table(lines)}\n", flush=True)
    if not args.skip_others:
        lines += other_benches(args)
    report = (
        f"machine: {machine()}\nload: {args.sessions} USSD registrations (12 hops each), "
        f"{args.concurrency} at once from {args.clients} client processes, first wave ramped "
        f"over {args.ramp} s; PostgreSQL runs on {args.workers} worker processes\n\n"
        f"{table(lines)}\n"
    )
    print("\n" + report)
    if args.output:
        write(Path(args.output), report)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=4096)
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
    parser.add_argument("--skip-others", action="store_true", help="only the USSD benchmarks")
    parser.add_argument(
        "--workers", type=int, default=os.cpu_count() or 1, help="processes, PostgreSQL runs"
    )
    parser.add_argument("--clients", type=int, default=2, help="client processes")
    parser.add_argument("--probe", type=int, default=10, help="registrations probed hop by hop")
    parser.add_argument("--output", default="var/bench/latest.md")
    asyncio.run(main(parser.parse_args()))
