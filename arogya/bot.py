"""`arogya bot`: the Telegram bot by long polling, for a machine Telegram cannot call back.

Same flows, same state store, same database as `arogya serve`; only the way updates arrive
differs (`getUpdates` instead of `POST /telegram/webhook`). Polling and a webhook exclude each
other at Telegram, so the webhook is removed first (pending updates are kept).

    TELEGRAM_BOT_TOKEN=123:abc arogya bot
    AROGYA_TELEGRAM_API_BASE=http://127.0.0.1:8081 arogya bot   # a self-hosted Bot API server
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sys

from aiogram import Bot

from arogya.wiring import running_core, settle_heap
from bot.dispatcher import ALLOWED_UPDATES, build_dispatcher
from core.services import Services
from core.settings import Settings
from flows.engine import Engine

log = logging.getLogger(__name__)


async def poll(
    bot: Bot,
    engine: Engine[Services],
    services: Services,
    stop: asyncio.Event,
    *,
    polling_timeout: int = 30,
) -> None:
    """Long-poll until `stop` is set (or polling fails); updates are handled as they come,
    each chat's in order (`bot.gate`)."""
    dispatcher = build_dispatcher(engine, services, retried_by_telegram=False)
    await bot.delete_webhook(drop_pending_updates=False)
    polling = asyncio.create_task(
        dispatcher.start_polling(
            bot,
            polling_timeout=polling_timeout,
            allowed_updates=ALLOWED_UPDATES,
            handle_signals=False,
            close_bot_session=False,
        ),
        name="telegram-polling",
    )
    stopped = asyncio.create_task(stop.wait())
    done, _ = await asyncio.wait({polling, stopped}, return_when=asyncio.FIRST_COMPLETED)
    if polling in done:
        stopped.cancel()
        polling.result()  # polling ended by itself: say why
        return
    try:
        await dispatcher.stop_polling()
    except RuntimeError:  # stopped before polling had begun
        polling.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await polling


async def run_bot(settings: Settings, *, run_worker: bool = True) -> int:
    if settings.telegram_bot_token is None:
        print("arogya bot needs TELEGRAM_BOT_TOKEN (see settings.example.env)", file=sys.stderr)
        return 2
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    async with running_core(settings, run_workers=run_worker) as core:
        assert core.telegram_bot is not None  # the token is set
        me = await core.telegram_bot.me()
        settle_heap()
        print(f"Arogya's Telegram bot @{me.username} is polling (Ctrl-C stops it)", flush=True)
        await poll(core.telegram_bot, core.engine, core.services, stop)
    print("stopped", flush=True)
    return 0
