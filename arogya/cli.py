"""`arogya`: the command line. Reads top to bottom: parse -> settings -> logging -> command."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from collections.abc import Sequence

from arogya.admin import add_admin_commands, run_admin
from core.settings import Settings
from core.storage import migrate


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="arogya",
        description="Arogya: a national Health ID (ABHA) on any phone — USSD, SMS and Telegram.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    commands.add_parser("migrate", help="apply database migrations and exit")

    serve = commands.add_parser(
        "serve", help="run the web app (USSD, SMS, Telegram webhook, partner API)"
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on")
    serve.add_argument("--port", type=int, default=8080, help="port to listen on")
    serve.add_argument("--no-worker", action="store_true", help="do not run the outbox worker")
    serve.add_argument(
        "--workers",
        type=int,
        default=None,
        help="server processes sharing the port (default: one per core with REDIS_URL, else 1)",
    )
    serve.add_argument("--worker-index", type=int, default=None, help=argparse.SUPPRESS)

    telegram = commands.add_parser(
        "bot", help="run the Telegram bot by long polling (instead of the webhook of serve)"
    )
    telegram.add_argument("--no-worker", action="store_true", help="do not run the outbox worker")

    chat = commands.add_parser("chat", help="play a USSD or SMS conversation in this terminal")
    chat.add_argument("--channel", choices=["ussd", "sms"], default="ussd")
    chat.add_argument("--phone", default="+919876543210", help="the phone you pretend to be")
    chat.add_argument("--lang", choices=["en", "hi"], default="en")
    chat.add_argument("--url", default=None, help="talk to a running server instead of in-process")
    chat.add_argument("--service-code", default="*384*2222#", help="the USSD code dialled")
    add_admin_commands(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    settings = Settings()
    # The terminal phone's screen is for the conversation: only warnings go to the log there.
    quiet = args.command == "chat" and "AROGYA_LOG_LEVEL" not in os.environ
    logging.basicConfig(
        level="WARNING" if quiet else settings.log_level.upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    if args.command == "migrate":
        asyncio.run(migrate(settings.database_url))
        print("migrations applied")
        return 0
    if args.command == "serve":
        from arogya.serve import serve, serve_workers, worker_count

        run_worker = not args.no_worker
        if args.worker_index is None:
            workers = worker_count(settings, args.workers)
            if workers > 1:
                return serve_workers(settings, args.host, args.port, workers, run_worker=run_worker)
        asyncio.run(
            serve(
                settings,
                args.host,
                args.port,
                run_worker=run_worker,
                worker_index=args.worker_index,
            )
        )
        return 0
    if args.command == "bot":
        from arogya.bot import run_bot

        return asyncio.run(run_bot(settings, run_worker=not args.no_worker))
    if args.command == "chat":
        from arogya.chat import chat

        return asyncio.run(
            chat(
                settings,
                channel=args.channel,
                phone=args.phone,
                lang=args.lang,
                url=args.url,
                service_code=args.service_code,
            )
        )
    if args.command == "admin":
        return asyncio.run(run_admin(args, settings))
    raise AssertionError(f"unhandled command {args.command}")
