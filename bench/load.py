"""The load generator: USSD sessions from several client processes, merged into one `Run`.

Why several processes: one Python client tops out near the server it measures (issue 18: one
client process completed ~4,100 bare hops/s against a handler wrk drove at 11,500), so a ratio
to a bare baseline was a ratio to the client. Each process here runs `bench.phones.drive` on its
share of the sessions; they start together (a shared CLOCK_MONOTONIC instant) and report their
latencies, their finish times and their own CPU, so the report can print the client's ceiling:
how many hops a second the client could generate with every core to itself.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

from bench.phones import Run, drive

#: Seconds between launching the client processes and their common start (imports included).
START_DELAY = 3.0


@dataclass(frozen=True)
class Share:
    """One client process's part of the load."""

    url: str
    sessions: int
    concurrency: int
    first_phone: int
    ramp: float
    think: float
    otp: str | None
    start_at: float


def _run_share(share: Share) -> dict[str, Any]:
    """In a client process: wait for the common start, drive, report."""
    delay = share.start_at - time.perf_counter()
    if delay > 0:
        time.sleep(delay)
    run = asyncio.run(
        drive(
            share.url,
            share.sessions,
            share.concurrency,
            None,
            share.first_phone,
            ramp=share.ramp,
            think=share.think,
            otp=share.otp,
        )
    )
    return {
        "latencies": run.latencies,
        "finished": run.finished,
        "completed": run.completed,
        "errors": run.errors,
        "seconds": run.seconds,
        "window": run.window,
        "client_cpu": run.client_cpu,
    }


def merge(parts: list[dict[str, Any]]) -> Run:
    """One run of all the processes; its window is when every process was in steady state."""
    run = Run()
    for part in parts:
        run.latencies += part["latencies"]
        run.finished += part["finished"]
        run.completed += part["completed"]
        run.errors += part["errors"]
        run.client_cpu += part["client_cpu"]
        run.seconds = max(run.seconds, part["seconds"])
    windows = [part["window"] for part in parts]
    if windows and all(window is not None for window in windows):
        start = max(window[0] for window in windows)
        end = min(window[1] for window in windows)
        run.window = (start, end) if end > start else None
    return run


async def drive_processes(
    url: str,
    sessions: int,
    concurrency: int,
    first_phone: int,
    *,
    processes: int,
    ramp: float = 0.0,
    think: float = 0.0,
    otp: str | None = None,
) -> Run:
    """`sessions` registrations, `concurrency` at a time, from `processes` client processes
    (each at least one session at a time); the OTP is `otp` (the server's fixed-OTP seam)."""
    processes = max(1, min(processes, concurrency))
    start_at = time.perf_counter() + START_DELAY
    shares = []
    for index in range(processes):
        count = sessions // processes + (index < sessions % processes)
        each = concurrency // processes + (index < concurrency % processes)
        first = first_phone + index * (sessions // processes + 1)
        shares.append(Share(url, count, each, first, ramp, think, otp, start_at))
    context = multiprocessing.get_context("spawn")  # no copy of this process's event loop
    loop = asyncio.get_running_loop()
    with ProcessPoolExecutor(max_workers=processes, mp_context=context) as pool:
        futures = [loop.run_in_executor(pool, _run_share, share) for share in shares]
        return merge(list(await asyncio.gather(*futures)))
