"""Pushing notices to Telegram users within Telegram's limits.

Why this exists: a reply to an update is one message to one chat, but a push (a consent request,
a new record, the outbox catching up after an outage) can be many messages at once. Telegram asks
bots to stay under about 30 messages a second overall and one a second per chat, and answers
429 with `retry_after` when they do not; a bot that keeps pushing is throttled harder. So every
push goes through one `TelegramSender`, which

- spaces all sends at least `1 / messages_per_second` apart (start to start),
- lets a chat's next message start only `chat_interval` after its previous one *finished*, so
  Telegram, which counts arrivals, never sees two closer than that, and keeps a chat's messages
  in the order they were given,
- on 429 pauses every chat for `retry_after` (the limit is the bot's) and tries again,
- turns aiogram's errors into `SendFailed`, marked permanent when retrying cannot help (the
  user blocked the bot, the chat is gone, the request is malformed).

Time is injected (`monotonic`, `sleep`) so tests can run the pacing on a virtual clock.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import TypeVar

from aiogram import Bot
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramBadRequest,
    TelegramEntityTooLarge,
    TelegramForbiddenError,
    TelegramMigrateToChat,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.methods import SendDocument, SendMessage, SendPhoto
from aiogram.methods.base import TelegramMethod
from aiogram.types import BufferedInputFile, InlineKeyboardMarkup, Message

Result = TypeVar("Result")
Sleep = Callable[[float], Awaitable[None]]

#: Past this many chats remembered, those whose spacing has run out are forgotten.
_PRUNE_AT = 1024


@dataclass(frozen=True, slots=True)
class SendLimits:
    """Telegram's published limits for bots, and how patiently to wait on a 429."""

    messages_per_second: float = 30.0
    chat_interval: float = 1.0
    #: 429 answers tolerated for one message before giving it back to the caller.
    max_retries: int = 3
    #: A `retry_after` longer than this is not slept through: the caller reschedules instead.
    max_retry_wait: float = 60.0


class SendFailed(Exception):
    """A push did not reach the chat.

    `permanent`: trying the same send again cannot succeed. Otherwise the caller may retry,
    no sooner than `retry_after` seconds when Telegram said so.
    """

    def __init__(
        self, chat_id: int, reason: str, *, permanent: bool, retry_after: float | None = None
    ) -> None:
        super().__init__(f"chat {chat_id}: {reason}")
        self.chat_id = chat_id
        self.reason = reason
        self.permanent = permanent
        self.retry_after = retry_after


class Pacer:
    """When the next send may start: globally spaced, per chat spaced from the last finish."""

    def __init__(self, limits: SendLimits, monotonic: Callable[[], float], sleep: Sleep) -> None:
        self._spacing = 1.0 / limits.messages_per_second
        self._chat_interval = limits.chat_interval
        self._monotonic = monotonic
        self._sleep = sleep
        self._next_slot = 0.0
        self._chat_ready: dict[int, float] = {}
        self._chat_locks: dict[int, asyncio.Lock] = {}
        self._chat_users: dict[int, int] = {}

    async def _sleep_until(self, moment: float) -> None:
        delay = moment - self._monotonic()
        if delay > 0:
            await self._sleep(delay)

    @asynccontextmanager
    async def chat_turn(self, chat_id: int) -> AsyncIterator[None]:
        """Exclusive use of a chat, starting once its previous message is `chat_interval` old."""
        lock = self._chat_locks.setdefault(chat_id, asyncio.Lock())
        self._chat_users[chat_id] = self._chat_users.get(chat_id, 0) + 1
        try:
            async with lock:
                await self._sleep_until(self._chat_ready.get(chat_id, 0.0))
                try:
                    yield
                finally:
                    self._chat_ready[chat_id] = self._monotonic() + self._chat_interval
        finally:
            self._chat_users[chat_id] -= 1
            if not self._chat_users[chat_id]:
                del self._chat_users[chat_id], self._chat_locks[chat_id]
            self._prune()

    async def global_slot(self) -> None:
        """Wait for this send's place in the global spacing (reserved before sleeping, so
        concurrent senders get distinct places)."""
        now = self._monotonic()
        slot = max(now, self._next_slot)
        self._next_slot = slot + self._spacing
        await self._sleep_until(slot)

    def pause(self, seconds: float) -> None:
        """Start nothing anywhere for `seconds` (Telegram's `retry_after`)."""
        self._next_slot = max(self._next_slot, self._monotonic() + seconds)

    def _prune(self) -> None:
        if len(self._chat_ready) > _PRUNE_AT:
            now = self._monotonic()
            for chat_id in [c for c, ready in self._chat_ready.items() if ready <= now]:
                del self._chat_ready[chat_id]


class TelegramSender:
    def __init__(
        self,
        bot: Bot,
        limits: SendLimits | None = None,
        *,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self._bot = bot
        self._limits = limits or SendLimits()
        self._pacer = Pacer(self._limits, monotonic, sleep)

    async def send_text(
        self, chat_id: int, text: str, *, reply_markup: InlineKeyboardMarkup | None = None
    ) -> Message:
        """`text` is HTML (the bot's parse mode): escape every user-supplied value in it."""
        return await self.call(
            chat_id, SendMessage(chat_id=chat_id, text=text, reply_markup=reply_markup)
        )

    async def send_photo(
        self,
        chat_id: int,
        photo: bytes,
        *,
        filename: str = "image.png",
        caption: str | None = None,
        reply_markup: InlineKeyboardMarkup | None = None,
    ) -> Message:
        upload = BufferedInputFile(photo, filename=filename)
        method = SendPhoto(
            chat_id=chat_id, photo=upload, caption=caption, reply_markup=reply_markup
        )
        return await self.call(chat_id, method)

    async def send_document(
        self,
        chat_id: int,
        document: bytes,
        *,
        filename: str,
        caption: str | None = None,
        reply_markup: InlineKeyboardMarkup | None = None,
    ) -> Message:
        upload = BufferedInputFile(document, filename=filename)
        method = SendDocument(
            chat_id=chat_id, document=upload, caption=caption, reply_markup=reply_markup
        )
        return await self.call(chat_id, method)

    async def call(self, chat_id: int, method: TelegramMethod[Result]) -> Result:
        """Run one API method addressed to `chat_id` within the limits; raises SendFailed."""
        async with self._pacer.chat_turn(chat_id):
            refusals = 0
            while True:
                await self._pacer.global_slot()
                try:
                    return await self._bot(method)
                except TelegramRetryAfter as exc:
                    refusals += 1
                    wait = float(exc.retry_after)
                    if refusals > self._limits.max_retries or wait > self._limits.max_retry_wait:
                        raise SendFailed(
                            chat_id, exc.message, permanent=False, retry_after=wait
                        ) from exc
                    self._pacer.pause(wait)  # the next global_slot sleeps it out
                except TelegramAPIError as exc:
                    raise SendFailed(chat_id, exc.message, permanent=_is_permanent(exc)) from exc


def _is_permanent(exc: TelegramAPIError) -> bool:
    """Blocked, kicked, chat not found, a malformed request, a file too large: permanent.
    Network trouble, Telegram's own errors, a wrong token (fixed by configuration): not."""
    if isinstance(exc, TelegramEntityTooLarge):
        return True
    if isinstance(exc, TelegramNetworkError | TelegramServerError):
        return False
    return isinstance(exc, TelegramForbiddenError | TelegramBadRequest | TelegramMigrateToChat)
