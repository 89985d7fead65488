"""Every update passes the gate: one chat's updates are taken one at a time, in arrival order.

Why an outer middleware on `update`: it runs before any router, for every kind of update, and
(in aiogram's polling, which starts a task per update in arrival order) before the first point
where a task could yield, so its per-chat FIFO lock is taken in arrival order.

- `ChatTurns`: an `asyncio.Lock` per chat (FIFO), dropped when nobody holds or waits for it.
  Across processes the engine's conversation lock in the state store keeps turns apart, and a
  repeated update is recognised inside the conversation (`bot.record`).
- Failures: behind the webhook, a store or Telegram outage is raised, so the webhook answers
  503 and Telegram delivers the update again later. Long polling has no second delivery: the
  person is told to try again. A refusal no retry can cure (the user blocked the bot, a request
  Telegram rejects) is logged and the update counts as handled.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.exceptions import TelegramAPIError, TelegramBadRequest, TelegramForbiddenError
from aiogram.types import Chat, TelegramObject, Update, User

from core.errors import Unavailable
from locales import normalise_language, translate

log = logging.getLogger(__name__)

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


class ChatTurns:
    def __init__(self) -> None:
        self._locks: dict[int, asyncio.Lock] = {}
        self._users: dict[int, int] = {}

    @asynccontextmanager
    async def turn(self, chat_id: int) -> AsyncIterator[None]:
        lock = self._locks.setdefault(chat_id, asyncio.Lock())
        self._users[chat_id] = self._users.get(chat_id, 0) + 1
        try:
            async with lock:
                yield
        finally:
            self._users[chat_id] -= 1
            if not self._users[chat_id]:
                del self._users[chat_id], self._locks[chat_id]

    def __len__(self) -> int:
        """Chats with an update in hand or waiting (0 when idle: nothing leaks)."""
        return len(self._locks)


class UpdateGate(BaseMiddleware):
    def __init__(self, *, retried_by_telegram: bool) -> None:
        self.turns = ChatTurns()
        #: Webhook: raise on outages so Telegram delivers again. Polling: apologise instead.
        self.retried_by_telegram = retried_by_telegram

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        assert isinstance(event, Update)
        bot: Bot = data["bot"]
        chat: Chat | None = data.get("event_chat")
        user: User | None = data.get("event_from_user")
        chat_id = chat.id if chat else user.id if user else 0
        async with self.turns.turn(chat_id):
            try:
                return await handler(event, data)
            except (TelegramForbiddenError, TelegramBadRequest) as refusal:
                log.warning("update %s: Telegram refused: %s", event.update_id, refusal)
                return None
            except (Unavailable, TimeoutError, TelegramAPIError):
                if self.retried_by_telegram:
                    raise
                log.warning("update %s not handled", event.update_id, exc_info=True)
                await self._apologise(bot, chat_id, user)
                return None

    @staticmethod
    async def _apologise(bot: Bot, chat_id: int, user: User | None) -> None:
        lang = normalise_language(user.language_code if user else None)
        try:
            await bot.send_message(chat_id, translate("engine.try_again", lang))
        except TelegramAPIError:
            log.warning("chat %s could not even be told to try again", chat_id)
