"""The ussd_airflow peer, measured with Arogya's client and load (`make bench-peer`).

    .venv/bin/python -m bench.peer_bench [--sessions 256] [--concurrency 64] [--clients 2]

The peer is ussd_airflow 0.0.6 (its last PyPI release) as that release documents a deployment:
Django 2.2, sessions in Redis through Django's cache (django-redis), gunicorn with two workers.
It is installed into a virtualenv of its own (`var/bench/peer-venv`, made on first use with
pip from PyPI), never into the project's: its pins (Django 2.2, PyYAML 5.1) would clash. It
installs on Python 3.11 but does not start there: its dependency PyConfigure 0.5.9 imports
`inspect.getargspec`, which Python 3.11 removed (ImportError at `import ussd.views`), and
Django 2.2 supports Python up to 3.9. So its virtualenv is made with a Python 3.8 (`PEER_PYTHON`,
else `python3.8` on PATH or under pyenv), the interpreter its release was made for.

The journey (bench/peer/journey.yml) has the same 12 hops as Arogya's registration, each an
input screen with a regex check, ending on a quit screen; the peer keeps no database rows per
hop, so this is its lightest possible registration. Printed: a markdown table row that
bench/all.py appends to its own (hops/s, p50/p99, server CPU per hop from /proc for the
gunicorn master and its workers, failed hops).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from bench.cpu import tree_cpu_seconds
from bench.load import drive_processes
from bench.phones import drive
from testing.services import ROOT, free_port, throwaway_redis, wait_for_port

VENV = ROOT / "var" / "bench" / "peer-venv"
PINS: tuple[str, ...] = (
    "ussd-airflow==0.0.6",
    "django==2.2.6",
    "django-redis==4.12.1",
    "redis==3.5.3",
)
PINS += ("gunicorn==20.1.0",)


def base_python() -> str:
    """A Python 3.8 for the peer's virtualenv (see the module's docstring for why not 3.11)."""
    candidates = [os.environ.get("PEER_PYTHON")]
    candidates += sorted(str(p) for p in Path.home().glob(".pyenv/versions/3.8*/bin/python3.8"))
    candidates.append(shutil.which("python3.8"))  # last: a pyenv shim refuses a non-global 3.8
    for candidate in candidates:
        if candidate and Path(candidate).exists() and _runs(candidate):
            return candidate
    raise SystemExit(
        "bench-peer needs a Python 3.8 (set PEER_PYTHON): ussd_airflow's PyConfigure does not "
        "import on Python 3.11 (inspect.getargspec was removed), and Django 2.2 stops at 3.9"
    )


def _runs(python: str) -> bool:
    """Whether `python` starts (a pyenv shim for a version not selected exits 127)."""
    done = subprocess.run([python, "-c", "pass"], capture_output=True, check=False)
    return done.returncode == 0


def peer_python() -> Path:
    """The peer's virtualenv, made and filled on first use."""
    python = VENV / "bin" / "python"
    if not (VENV / "bin" / "gunicorn").exists():
        subprocess.run([base_python(), "-m", "venv", str(VENV)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", *PINS], check=True)
    return python


async def measure(args: argparse.Namespace) -> str:
    python = peer_python()
    database = Path(tempfile.mkdtemp(prefix="arogya-peer-")) / "peer.sqlite3"
    async with throwaway_redis() as redis:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "bench.peer.settings",
            "PEER_DB": str(database),
            "PEER_REDIS_URL": redis.url,
            "PYTHONPATH": str(ROOT),
        }
        migrate = [str(python), "-m", "django", "migrate", "-v", "0"]
        await asyncio.to_thread(subprocess.run, migrate, cwd=ROOT, env=env, check=True)
        port = free_port()
        gunicorn = [
            str(VENV / "bin" / "gunicorn"),
            "-w",
            str(args.workers),
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "bench.peer.wsgi:application",
        ]
        server = await asyncio.create_subprocess_exec(*gunicorn, cwd=ROOT, env=env)
        try:
            await wait_for_port(port, 120)
            url = f"http://127.0.0.1:{port}/ussd"
            await drive(url, 8, 8, None, 990_000)  # warm up (and check it completes)
            cpu = tree_cpu_seconds(server.pid)
            run = await drive_processes(
                url, args.sessions, args.concurrency, 0, processes=args.clients, ramp=args.ramp
            )
            run.server_cpu = tree_cpu_seconds(server.pid) - cpu
        finally:
            server.terminate()
            await server.wait()
    rate = f"{run.hops_per_second:,.0f}" if run.steady else "no steady state"
    return "\n".join(
        [
            "| server | hops/s | p50 / p99 ms | server CPU ms/hop | failed |",
            "| --- | ---: | ---: | ---: | ---: |",
            f"| ussd_airflow 0.0.6 peer (Django 2.2, Redis sessions, gunicorn -w{args.workers}) "
            f"| {rate} | {run.percentile(0.5):.1f} / {run.percentile(0.99):.1f} | "
            f"{run.cpu_ms_per_hop:.3f} | {run.errors} |",
        ]
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=256)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--clients", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--ramp", type=float, default=1.0)
    print(asyncio.run(measure(parser.parse_args())))
