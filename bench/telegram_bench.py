"""Telegram benchmark: updates/s through `POST /telegram/webhook` for a menu step, beside a bare
aiogram echo bot on the same fake Bot API, measured in the same run.

    .venv/bin/python -m bench.telegram_bench [--chats 64] [--updates 40] [--rounds 3] [--no-redis]

The loopback Bot API fake (testing/fakes/telegram_api.py) runs in this process, with the client
that posts updates as Telegram does (JSON, the secret header, one update per chat at a time,
`--chats` chats at once). Each bot runs in a process of its own and answers a webhook call only
after its reply reached the fake (aiogram's `handle_in_background=False`, for both):

- the baseline: a bare aiogram `Dispatcher` whose one handler echoes the text back;
- Arogya: `arogya serve` with production settings (SQLite, in-process state; then Redis), where
  each chat, after a `/start` that is not timed, alternates "1" (main menu -> "Create a Health
  ID with:") and "menu" (back to the main menu): each update is one menu step of the engine,
  with its per-chat ordering, de-duplication, state lock and signed buttons.

All bots stay up while `--rounds` rounds time each of them in turn with fresh chats, so a
neighbour's load on the machine falls on every bot alike; the medians are reported, with the
server's CPU per update (from /proc), which moves less with that load than updates/s do.
Prints a markdown table (bench/all.py keeps its rows) and exits 0; nothing here passes or
fails: docs/performance.md keeps the figures. Target: Arogya >= 0.5x the echo bot.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import html
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
from aiogram import Dispatcher
from aiogram.types import Message
from aiogram.webhook.aiohttp_server import SimpleRequestHandler
from aiohttp import web

from bot.factory import create_bot
from locales import translate
from testing.fakes.telegram_api import DEFAULT_TOKEN, TelegramApiFake
from testing.fakes.telegram_updates import UpdateFactory, user
from testing.services import ROOT, ArogyaProcess, free_port, throwaway_redis, wait_for_port

SECRET = "bench-webhook-secret"  # noqa: S105 (loopback only)
PATH = "/telegram/webhook"
MENU_STEPS = ("1", "menu")
TARGET = 0.5


@dataclass
class Run:
    name: str
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    wrong: int = 0
    seconds: float = 0.0
    server_cpu: float = 0.0

    @property
    def updates_per_second(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def percentile(self, share: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000 if ordered else 0.0


# --- the bare echo bot (run as `python -m bench.telegram_bench echo ...`) ----------------------


async def echo_bot(port: int, api_base: str) -> None:
    bot = create_bot(DEFAULT_TOKEN, api_base)
    dispatcher = Dispatcher(disable_fsm=True)

    @dispatcher.message()
    async def echo(message: Message) -> None:
        await bot.send_message(message.chat.id, html.escape(message.text or ""))

    app = web.Application()
    handler = SimpleRequestHandler(dispatcher, bot, handle_in_background=False, secret_token=SECRET)
    handler.register(app, path=PATH)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    print("ready", flush=True)
    await asyncio.Event().wait()


@asynccontextmanager
async def echo_process(api_base: str) -> AsyncIterator[tuple[str, Callable[[], float]]]:
    port = free_port()
    args = [sys.executable, "-m", "bench.telegram_bench", "echo", str(port), api_base]
    process = await asyncio.create_subprocess_exec(*args, cwd=ROOT, stdout=subprocess.PIPE)
    try:
        await wait_for_port(port)
        yield f"http://127.0.0.1:{port}{PATH}", lambda: cpu_seconds(process.pid)
    finally:
        process.terminate()
        await process.wait()


@asynccontextmanager
async def arogya_process(
    api_base: str, redis_url: str | None
) -> AsyncIterator[tuple[str, Callable[[], float]]]:
    folder = tempfile.mkdtemp(prefix="arogya-telegram-bench-")
    env = {
        "DATABASE_URL": f"sqlite://{folder}/arogya.sqlite3",
        "TELEGRAM_BOT_TOKEN": DEFAULT_TOKEN,
        "AROGYA_TELEGRAM_API_BASE": api_base,
        "AROGYA_TELEGRAM_WEBHOOK_SECRET": SECRET,
        "AROGYA_SECRET_KEY": "bench-secret",
        "AROGYA_LOG_LEVEL": "WARNING",
    }
    if redis_url:
        env["REDIS_URL"] = redis_url
    process = ArogyaProcess(env)
    await process.start()
    try:
        yield f"{process.url}{PATH}", process.cpu_seconds
    finally:
        await process.stop()
        process.log.unlink(missing_ok=True)
        shutil.rmtree(folder, ignore_errors=True)


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# --- the client: Telegram's side ----------------------------------------------------------------


async def post(http: aiohttp.ClientSession, url: str, update: dict[str, Any]) -> bool:
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    async with http.post(url, json=update, headers=headers) as response:
        await response.read()
        return response.status == 200


async def drive(
    name: str,
    url: str,
    api: TelegramApiFake,
    cpu: Callable[[], float],
    *,
    chats: int,
    updates: int,
    first_id: int,
    texts: tuple[str, ...],
    expect: Callable[[str, str], bool],
) -> Run:
    """`chats` people at once, each sending `updates` texts one after another (after one
    untimed /start); every webhook call is timed, and every chat's last answer checked."""
    factory = UpdateFactory(api)
    people = [user(first_id + n, f"Bench{n}") for n in range(chats)]
    run = Run(name)
    connector = aiohttp.TCPConnector(limit=chats)
    async with aiohttp.ClientSession(connector=connector) as http:
        await asyncio.gather(*(post(http, url, factory.text(p, "/start")) for p in people))

        async def person(who: dict[str, Any]) -> None:
            for n in range(updates):
                text = texts[n % len(texts)]
                update = factory.text(who, text)
                started = time.perf_counter()
                ok = await post(http, url, update)
                run.latencies.append(time.perf_counter() - started)
                run.errors += not ok
            last = api.texts(who["id"])[-1]
            run.wrong += not expect(texts[(updates - 1) % len(texts)], last)

        cpu_before = cpu()
        started = time.perf_counter()
        await asyncio.gather(*(person(p) for p in people))
        run.seconds = time.perf_counter() - started
        run.server_cpu = cpu() - cpu_before
    return run


def echoed(sent: str, shown: str) -> bool:
    return shown == sent


def menu_answered(sent: str, shown: str) -> bool:
    """Whether the bot answered with the page the key leads to, read from the catalog (a literal
    here went stale when the labels were shortened and counted every reply as wrong)."""
    key = "flows.enrol.how" if sent == "1" else "flows.main.welcome"
    return shown.startswith(translate(key, "en"))


# --- the run --------------------------------------------------------------------------------------


@dataclass
class Contender:
    name: str
    url: str
    cpu: Callable[[], float]
    texts: tuple[str, ...]
    expect: Callable[[str, str], bool]
    runs: list[Run] = field(default_factory=list)

    def median(self) -> Run:
        return sorted(self.runs, key=lambda run: run.updates_per_second)[len(self.runs) // 2]


async def measure(args: argparse.Namespace) -> list[Contender]:
    """Every bot up at once; then `--rounds` rounds, each timing every bot in turn with fresh
    chats, so a neighbour's load on this machine falls on all of them alike. Medians count."""
    async with contextlib.AsyncExitStack() as stack:
        api = await stack.enter_async_context(TelegramApiFake().running())
        url, cpu = await stack.enter_async_context(echo_process(api.base_url))
        bots = [Contender("bare aiogram echo bot", url, cpu, ("hello", "namaste"), echoed)]
        url, cpu = await stack.enter_async_context(arogya_process(api.base_url, None))
        bots.append(Contender("Arogya, in-process state", url, cpu, MENU_STEPS, menu_answered))
        if args.redis and shutil.which("redis-server"):
            redis = await stack.enter_async_context(throwaway_redis())
            url, cpu = await stack.enter_async_context(arogya_process(api.base_url, redis.url))
            bots.append(Contender("Arogya, Redis state", url, cpu, MENU_STEPS, menu_answered))
        first_id = 1_000_000
        for _ in range(args.rounds):
            for contender in bots:
                run = await drive(
                    contender.name,
                    contender.url,
                    api,
                    contender.cpu,
                    chats=args.chats,
                    updates=args.updates,
                    first_id=first_id,
                    texts=contender.texts,
                    expect=contender.expect,
                )
                contender.runs.append(run)
                first_id += args.chats
    return bots


def table(bots: list[Contender]) -> str:
    base = bots[0].median()
    rows = [
        "| measure | updates/s | p50 / p99 ms | server CPU ms/update | vs echo bot | target |",
        "| --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for contender in bots:
        run = contender.median()
        ratio = run.updates_per_second / base.updates_per_second if base.updates_per_second else 0
        cpu_per = run.server_cpu / len(run.latencies) * 1000 if run.latencies else 0.0
        met = "met" if ratio >= TARGET else "NOT met"
        target = "baseline" if contender is bots[0] else f">= {TARGET}x: {met}"
        errors = sum(r.errors for r in contender.runs)
        wrong = sum(r.wrong for r in contender.runs)
        flaws = f" ({errors} errors, {wrong} wrong)" if errors or wrong else ""
        rows.append(
            f"| Telegram webhook, {run.name}{flaws} | {run.updates_per_second:,.0f} | "
            f"{run.percentile(0.5):.1f} / {run.percentile(0.99):.1f} | {cpu_per:.2f} | "
            f"{ratio:.2f}x | {target} |"
        )
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["echo"]:
        asyncio.run(echo_bot(int(argv[1]), argv[2]))
        return 0
    parser = argparse.ArgumentParser(
        prog="bench.telegram_bench", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--chats", type=int, default=64, help="chats talking at once")
    parser.add_argument("--updates", type=int, default=40, help="timed updates per chat")
    parser.add_argument("--rounds", type=int, default=3, help="timed rounds (medians count)")
    parser.add_argument("--no-redis", dest="redis", action="store_false", help="skip Redis")
    args = parser.parse_args(argv)
    bots = asyncio.run(measure(args))
    print(
        f"{args.chats} chats x {args.updates} updates each, menu steps, median of {args.rounds} "
        f"interleaved rounds; {os.cpu_count()} CPUs\n"
    )
    print(table(bots))
    return 0


if __name__ == "__main__":
    sys.exit(main())
