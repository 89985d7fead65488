"""Pytest fixtures for the Telegram fake; a conftest imports the ones its tests use."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession

from bot.factory import create_bot
from testing.fakes.telegram_api import TelegramApiFake


async def close_bot(bot: Bot) -> None:
    """Close the Bot's HTTP session without aiogram's 250 ms grace for TLS connections.

    `AiohttpSession.close()` sleeps a quarter second so TLS sockets can shut down cleanly;
    the fake speaks plain HTTP on loopback, and the suite would pay that sleep in every test.
    Closing the aiohttp session it hands out leaves aiogram nothing to wait for.
    """
    session = bot.session
    assert isinstance(session, AiohttpSession), session
    http = await session.create_session()  # the session in use (or a fresh, idle one)
    await http.close()
    await session.close()


@pytest.fixture
async def telegram_api() -> AsyncIterator[TelegramApiFake]:
    """The fake Bot API, listening on a loopback port for this test."""
    async with TelegramApiFake().running() as api:
        yield api


@pytest.fixture
async def telegram_bot(telegram_api: TelegramApiFake) -> AsyncIterator[Bot]:
    """A real aiogram Bot, built as production builds it, pointed at the fake."""
    bot = create_bot(telegram_api.token, telegram_api.base_url)
    try:
        yield bot
    finally:
        await close_bot(bot)
