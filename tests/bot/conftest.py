"""The Telegram fake's fixtures, shared with these tests."""

from testing.fakes.fixtures import telegram_api, telegram_bot

__all__ = ["telegram_api", "telegram_bot"]
