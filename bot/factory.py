"""Building the aiogram `Bot`: the one place that decides which Bot API server we talk to.

Why a factory: production talks to api.telegram.org; a deployment may run its own
telegram-bot-api server (larger uploads, its own rate limits) and the tests run a loopback fake.
All three differ only in the base URL (`AROGYA_TELEGRAM_API_BASE`), which aiogram turns into
method URLs with `TelegramAPIServer.from_base` (`<base>/bot<token>/<method>`).

HTML is the default parse mode because it is the one where escaping a user's value is one
well-known call (`html.escape`), unlike MarkdownV2's eighteen reserved characters.
"""

from __future__ import annotations

from aiogram import Bot
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode


def create_bot(token: str, api_base: str | None = None) -> Bot:
    """A Bot with HTML parse mode, on `api_base` when given, else on Telegram's own servers."""
    session = (
        AiohttpSession(api=TelegramAPIServer.from_base(api_base)) if api_base else AiohttpSession()
    )
    return Bot(token, session=session, default=DefaultBotProperties(parse_mode=ParseMode.HTML))
