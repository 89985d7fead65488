"""Throwaway servers for benchmarks and the evidence tests: Redis, PostgreSQL, `arogya serve`.

Why here: `make bench` and tests/evidence need the same real processes that a deployment runs,
started and stopped (or killed) on demand, with nothing left behind. PostgreSQL is started the
way scripts/services.sh does it (initdb into a temporary folder, `pg_ctl` on a free port, fsync
off: these are measurements of Arogya, not of a disk), as the `postgres` user when we are root.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def wait_for_port(port: int, within: float = 30.0) -> None:
    deadline = time.monotonic() + within
    while True:
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
        except OSError:
            if time.monotonic() > deadline:
                raise TimeoutError(f"nothing listens on port {port}") from None
            await asyncio.sleep(0.05)
            continue
        writer.close()
        with contextlib.suppress(OSError):
            await writer.wait_closed()
        return


class RedisProcess:
    """A redis-server on a fixed port that can be stopped and started again (fault tests)."""

    def __init__(self, *, port: int | None = None, appendonly: bool = False) -> None:
        self.port = port or free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="arogya-redis-"))
        self.appendonly = appendonly
        self.process: asyncio.subprocess.Process | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    async def start(self) -> None:
        persistence = (
            ["--appendonly", "yes", "--appendfsync", "always"]
            if self.appendonly
            else ["--appendonly", "no"]
        )
        self.process = await asyncio.create_subprocess_exec(
            "redis-server",
            "--port",
            str(self.port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--dir",
            str(self.dir),
            *persistence,
            stdout=subprocess.DEVNULL,
        )
        try:
            await wait_for_port(self.port)
        except TimeoutError:
            await self.stop()
            raise

    async def stop(self, sig: int = signal.SIGKILL) -> None:
        if self.process is not None and self.process.returncode is None:
            self.process.send_signal(sig)
            await self.process.wait()
        self.process = None

    async def close(self) -> None:
        await self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


@asynccontextmanager
async def throwaway_redis(*, appendonly: bool = False) -> AsyncIterator[RedisProcess]:
    redis = RedisProcess(appendonly=appendonly)
    await redis.start()
    try:
        yield redis
    finally:
        await redis.close()


def _pg_bin() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if not found:
        raise RuntimeError("PostgreSQL binaries not found (apt-get install postgresql)")
    return found[-1].parent


def _as_postgres(args: list[str]) -> list[str]:
    """initdb refuses to run as root: run it (and pg_ctl) as the postgres user then."""
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


class PostgresCluster:
    """A PostgreSQL cluster in a temporary folder, reached as `postgres` without a password."""

    def __init__(self) -> None:
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="arogya-pg-"))
        self.data = self.dir / "data"

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, args: list[str]) -> None:
        subprocess.run(_as_postgres(args), check=True, stdout=subprocess.DEVNULL)

    async def start(self) -> None:
        bin_dir = _pg_bin()
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
        options = (
            f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        await asyncio.to_thread(
            self._run,
            [
                str(bin_dir / "initdb"),
                "-D",
                str(self.data),
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
            ],
        )
        await asyncio.to_thread(
            self._run,
            [
                str(bin_dir / "pg_ctl"),
                "-D",
                str(self.data),
                "-l",
                str(self.dir / "pg.log"),
                "-w",
                "-t",
                "60",
                "-o",
                options,
                "start",
            ],
        )

    async def stop(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            await asyncio.to_thread(
                self._run,
                [str(_pg_bin() / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"],
            )
        shutil.rmtree(self.dir, ignore_errors=True)


@asynccontextmanager
async def throwaway_postgres() -> AsyncIterator[str]:
    """A fresh PostgreSQL; yields its URL (`AROGYA_BENCH_DATABASE_URL` is used instead when
    set, for a machine where one runs already)."""
    given = os.environ.get("AROGYA_BENCH_DATABASE_URL")
    if given:
        yield given
        return
    cluster = PostgresCluster()
    await cluster.start()
    try:
        yield cluster.url
    finally:
        await cluster.stop()


async def fresh_database(server_url: str, name: str) -> str:
    """Create (or recreate) database `name` on the server of `server_url`; returns its URL."""
    import asyncpg

    conn = await asyncpg.connect(server_url.replace("postgres://", "postgresql://", 1))
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    prefix, _, _ = server_url.rpartition("/")
    return f"{prefix}/{name}"


class ArogyaProcess:
    """`arogya serve` in a process of its own, as a deployment runs it; kill -9 and restart."""

    def __init__(
        self, env: Mapping[str, str], *, port: int | None = None, log_dir: Path | None = None
    ) -> None:
        self.port = port or free_port()
        self.env = dict(env)
        self.process: asyncio.subprocess.Process | None = None
        #: stderr (the log); in `log_dir` (a test's tmp_path) it is kept, else `stop` removes it.
        self.keep_log = log_dir is not None
        handle, name = tempfile.mkstemp(prefix="arogya-serve-", suffix=".log", dir=log_dir)
        os.close(handle)
        self.log = Path(name)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    async def start(self, within: float = 60.0) -> None:
        # One process, whatever the cores: the tests kill -9 and measure *this* pid.
        args = [sys.executable, "-m", "arogya", "serve", "--port", str(self.port), "--workers", "1"]
        with self.log.open("ab") as log:
            self.process = await asyncio.create_subprocess_exec(
                *args,
                cwd=ROOT,
                env={**os.environ, **self.env},
                stdout=subprocess.DEVNULL,
                stderr=log,
            )
        try:
            await wait_for_port(self.port, within)
        except TimeoutError:
            await self.kill()  # never leave a process behind that did not come up
            raise RuntimeError(f"arogya serve did not start:\n{self.log_text()[-3000:]}") from None

    async def kill(self) -> None:
        """SIGKILL: no cleanup, no flushing, like a machine that lost power."""
        if self.process is not None and self.process.returncode is None:
            self.process.kill()
            await self.process.wait()

    async def stop(self) -> None:
        if self.process is not None and self.process.returncode is None:
            self.process.terminate()
            try:
                await asyncio.wait_for(self.process.wait(), 20)
            except TimeoutError:
                await self.kill()
        if not self.keep_log:
            self.log.unlink(missing_ok=True)

    def cpu_seconds(self) -> float:
        """User + system CPU the process used so far (Linux /proc)."""
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")
