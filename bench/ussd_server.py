"""The servers the USSD benchmark measures, each in a process of its own.

    python -m bench.ussd_server arogya --port 8301            # the real app (settings from env)
        [--workers N] [--fixed-otp] [--probe]   # N processes on the port, as `arogya serve
                                                # --workers N`; the bench OTP; per-hop probe
    python -m bench.ussd_server bare --port 8302             # answers "CON hello"
    python -m bench.ussd_server redis --port 8303 --redis URL  # Redis GET + SET, "CON hello"

The baselines parse the same form as the real callback, so the ratio measures what Arogya adds:
the engine, the state store round trips, the database and the rendering.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys

from aiohttp import web


async def bare_handler(request: web.Request) -> web.Response:
    await request.post()
    return web.Response(text="CON hello", content_type="text/plain")


def redis_app(url: str) -> web.Application:
    from redis.asyncio import Redis

    client: Redis = Redis.from_url(url)

    async def handler(request: web.Request) -> web.Response:
        form = await request.post()
        key = f"bench:{form.get('sessionId', '')}"
        await client.get(key)
        await client.set(key, str(form.get("text", "")), ex=60)
        return web.Response(text="CON hello", content_type="text/plain")

    async def close(_: web.Application) -> None:
        await client.aclose()

    app = web.Application()
    app.router.add_post("/ussd", handler)
    app.on_cleanup.append(close)
    return app


async def run_baseline(app: web.Application, port: int) -> None:
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    print("ready", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    await runner.cleanup()


async def run_arogya(port: int, index: int | None, *, fixed_otp: bool, probe: bool) -> None:
    """One Arogya process, wired as `arogya serve` wires it (background workers in process 0
    only); with `index` it is one of several sharing the port."""
    from arogya.wiring import running_system
    from bench.otp_seam import FixedOtpRandom
    from bench.probe import install_probe
    from core.settings import Settings

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    async with running_system(
        Settings(),
        port=port,
        run_workers=not index and not probe,  # the probe counts the hops' own statements
        rng=FixedOtpRandom() if fixed_otp else None,
        reuse_port=index is not None,
        configure_app=install_probe if probe else None,
        apply_migrations=index is None,  # with --workers, the parent migrated
    ):
        print("ready", flush=True)
        await stop.wait()


def arogya_processes(args: argparse.Namespace) -> int:
    """`--workers N`: migrate once, then N children on the port (arogya.processes, as serve)."""
    from arogya.processes import run_children
    from core.settings import Settings
    from core.storage import migrate

    asyncio.run(migrate(Settings().database_url))
    flags = ["--fixed-otp"] * args.fixed_otp + ["--probe"] * args.probe
    base = [sys.executable, "-m", "bench.ussd_server", "arogya", "--port", str(args.port)]
    commands = [[*base, *flags, "--index", str(index)] for index in range(args.workers)]
    return run_children(commands)  # each child prints its own "ready"


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("kind", choices=["arogya", "bare", "redis"])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--redis", default=None)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--index", type=int, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--fixed-otp", action="store_true", help="bench.otp_seam's OTP")
    parser.add_argument("--probe", action="store_true", help="bench.probe's per-hop headers")
    args = parser.parse_args(argv)
    if args.kind == "arogya" and args.workers > 1 and args.index is None:
        sys.exit(arogya_processes(args))
    elif args.kind == "arogya":
        asyncio.run(run_arogya(args.port, args.index, fixed_otp=args.fixed_otp, probe=args.probe))
    elif args.kind == "bare":
        app = web.Application()
        app.router.add_post("/ussd", bare_handler)
        asyncio.run(run_baseline(app, args.port))
    else:
        asyncio.run(run_baseline(redis_app(args.redis), args.port))


if __name__ == "__main__":
    main(sys.argv[1:])
