"""The Telegram side of a conversation: a few bytes kept inside the conversation's own state,
and the one way an update holds it.

Why inside the conversation's state (`Session.channel["telegram"]`): it is read and written by
the very `engine.conversation(key)` that runs the turn, under the same lock, in the same one read
and one write (two round trips against Redis). A button press is judged against the state it
will act on; a repeated update is recognised without a store key of its own.

    async with hold_chat(engine, chat_id, update_id) as held:
        if held is None:
            return                      # this update was answered before: no second effect
        ... held.convo.handle(...), render, send ...
    # written here; a failed send is raised only now, after the turn was kept

Sending happens inside, so one chat's replies go out in the order its updates were taken, on
any number of processes. A send that fails still lets the turn be written (an OTP sent or an
ABHA made is not done twice when Telegram delivers the update again: the engine answers it
from its delivery cache) but leaves the update unmarked, and is then raised so the webhook
answers 503 and Telegram retries.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from typing import Any

from aiogram.exceptions import TelegramAPIError

from core.services import Services
from flows.engine import Engine
from flows.session import Session
from flows.types import ConversationKey

log = logging.getLogger(__name__)

CHANNEL = "telegram"
#: Updates remembered as answered (Telegram re-delivers the last few, never older ones).
ANSWERED_KEPT = 6


@dataclass(frozen=True, slots=True)
class ChatRecord:
    #: The update whose reply carries the live buttons.
    turn: int
    #: The language last stored in the channels registry.
    lang: str
    #: The contact-share reply keyboard is showing after the reply to `turn` ...
    contact: bool = False
    #: ... and was showing before it (a reply sent again must take it away again).
    before: bool = False
    #: The latest updates whose answers went out.
    answered: tuple[int, ...] = ()

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"t": self.turn, "l": self.lang}
        if self.contact:
            out["k"] = 1
        if self.before:
            out["b"] = 1
        if self.answered:
            out["a"] = list(self.answered)
        return out

    @classmethod
    def of(cls, convo: Session[Any]) -> ChatRecord | None:
        raw = convo.channel.get(CHANNEL)
        if not isinstance(raw, dict):
            return None
        try:
            answered = tuple(int(n) for n in raw.get("a", ()))
            return cls(
                int(raw["t"]), str(raw["l"]), bool(raw.get("k")), bool(raw.get("b")), answered
            )
        except (KeyError, TypeError, ValueError):
            return None

    def save(self, convo: Session[Any]) -> None:
        convo.channel[CHANNEL] = self.to_json()


@dataclass
class Held:
    convo: Session[Services]
    #: The record as the update found it (None: a conversation new to Telegram).
    record: ChatRecord | None
    update_id: int


def conversation_key(chat_id: int) -> ConversationKey:
    return ConversationKey(CHANNEL, str(chat_id))


@asynccontextmanager
async def hold_chat(
    engine: Engine[Services], chat_id: int, update_id: int
) -> AsyncIterator[Held | None]:
    """Hold the chat's conversation for one update (None: answered before, do nothing)."""
    failure: TelegramAPIError | TimeoutError | None = None
    async with engine.conversation(conversation_key(chat_id)) as convo:
        record = ChatRecord.of(convo)
        if record is not None and update_id in record.answered:
            log.info("update %s was answered before: ignored", update_id)
            yield None
            return
        try:
            yield Held(convo, record, update_id)
        except (TelegramAPIError, TimeoutError) as exc:  # the send failed (or took too long):
            failure = exc  # the turn is kept; the update stays unanswered
        else:
            done = ChatRecord.of(convo)
            if done is not None:
                answered = (*done.answered, update_id)[-ANSWERED_KEPT:]
                replace(done, answered=answered).save(convo)
    if failure is not None:
        raise failure
