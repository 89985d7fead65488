"""`arogya serve --workers N`: N processes on one port, the background work in exactly one.

Through the command line, as an operator runs it: the refusal with in-process state, and with
Redis two workers that take a whole USSD registration (a new connection every hop, so the
kernel spreads the hops between them), stop together on SIGTERM, and stop together when one
dies.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import aiohttp
import pytest

from arogya.cli import main
from testing.services import ROOT, RedisProcess, free_port, wait_for_port
from tests.evidence.system import READY, REGISTRATION, SmsGatewayFake, UssdPhone, fill, server_env

POSTGRES_URL = os.environ.get("AROGYA_TEST_DATABASE_URL")


def test_in_process_state_refuses_several_workers(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.delenv("AROGYA_REDIS_URL", raising=False)
    with pytest.raises(SystemExit) as refused:
        main(["serve", "--workers", "2", "--port", "0"])
    message = str(refused.value.code)
    assert "refuses --workers 2 with the in-process state store" in message
    assert "Set REDIS_URL" in message


def test_sqlite_refuses_several_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:1/0")
    monkeypatch.setenv("DATABASE_URL", "sqlite://var/never-opened.sqlite3")
    with pytest.raises(SystemExit) as refused:
        main(["serve", "--workers", "2", "--port", "0"])
    assert "refuses --workers 2 on SQLite" in str(refused.value.code)


def test_zero_workers_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:1/0")
    with pytest.raises(SystemExit) as refused:
        main(["serve", "--workers", "0"])
    assert "--workers must be at least 1" in str(refused.value.code)


def children(pid: int) -> list[int]:
    found = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [int(child) for child in found]


def gone(pid: int) -> bool:
    return not Path(f"/proc/{pid}").exists()


def command_line(pid: int) -> list[str]:
    return Path(f"/proc/{pid}/cmdline").read_text().rstrip("\0").split("\0")


@asynccontextmanager
async def two_workers(
    env: dict[str, str], log: Path, port: int | None = None
) -> AsyncIterator[asyncio.subprocess.Process]:
    """`arogya serve --workers 2` on `port` (a free one if None), its stderr (every process's
    log) in `log`."""
    port = free_port() if port is None else port
    serve = ["-m", "arogya", "serve", "--workers", "2", "--port", str(port)]
    with log.open("wb") as stderr:
        parent = await asyncio.create_subprocess_exec(
            sys.executable,
            *serve,
            cwd=ROOT,
            env={**os.environ, **env},
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
    try:
        await wait_for_port(port, 300)  # on a loaded 2-core machine a start takes minutes
        async with asyncio.timeout(300):
            while len(children(parent.pid)) < 2:  # noqa: ASYNC110 - /proc has no event
                await asyncio.sleep(0.05)
        yield parent
    finally:
        if parent.returncode is None:
            for child in children(parent.pid):
                os.kill(child, signal.SIGKILL)
            parent.kill()
        await parent.wait()


@pytest.fixture
def env(gateway: SmsGatewayFake, redis: RedisProcess, database_url: str) -> dict[str, str]:
    """The servers' environment: the gateway fake, the test's Redis, a fresh database."""
    return server_env(gateway.url, database_url, redis.url)


needs_postgres = pytest.mark.skipif(
    not POSTGRES_URL, reason="several workers need PostgreSQL (pass 2 of the suite)"
)


@needs_postgres
async def test_two_workers_share_the_port_and_a_registration(
    gateway: SmsGatewayFake, env: dict[str, str], tmp_path: Path
) -> None:
    port = free_port()
    async with two_workers(env, tmp_path / "serve.log", port) as parent:
        workers = children(parent.pid)
        running_background = [pid for pid in workers if "--no-worker" not in command_line(pid)]
        assert len(running_background) == 1  # outbox workers and sweepers: exactly one

        # A connection per hop: the kernel hands each to either worker; the state is in Redis.
        connector = aiohttp.TCPConnector(force_close=True)
        async with aiohttp.ClientSession(connector=connector) as http:
            phone = UssdPhone(http, f"http://127.0.0.1:{port}", "+917600000081", "workers")
            await phone.dial()
            for answer in REGISTRATION:
                otp = await gateway.otp(phone.phone) if answer == "{otp}" else None
                page = await phone.send(fill(answer, phone.phone, otp))
                assert "session has expired" not in page
        assert page.startswith("END ")
        assert READY in page

        parent.send_signal(signal.SIGTERM)
        code = await asyncio.wait_for(parent.wait(), 60)
        assert code == 0
        assert all(gone(pid) for pid in workers)  # stopped, and reaped by the parent


@needs_postgres
async def test_a_worker_that_dies_stops_the_others_and_the_parent_fails(
    env: dict[str, str], tmp_path: Path
) -> None:
    log = tmp_path / "serve.log"
    async with two_workers(env, log) as parent:
        first, second = children(parent.pid)
        os.kill(second, signal.SIGKILL)
        code = await asyncio.wait_for(parent.wait(), 60)
        assert code != 0  # a supervisor sees the failure and restarts the whole
        assert gone(first)
    assert "exited with -9; stopping the others" in log.read_text()


@needs_postgres
async def test_a_killed_parent_takes_its_workers_with_it(
    env: dict[str, str], tmp_path: Path
) -> None:
    """`kill -9` of the parent (a supervisor's hard stop) must not leave workers serving."""
    async with two_workers(env, tmp_path / "serve.log") as parent:
        workers = children(parent.pid)
        parent.kill()
        await parent.wait()
        async with asyncio.timeout(60):
            while not all(gone(pid) or zombie(pid) for pid in workers):  # noqa: ASYNC110
                await asyncio.sleep(0.1)


def zombie(pid: int) -> bool:
    """Exited, not yet reaped (its parent is gone: init reaps it when it gets to it)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except FileNotFoundError:
        return True
