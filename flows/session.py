"""One conversation held exclusively: loaded once, turned, saved once, under its lock.

Why a unit of its own: a channel often has bookkeeping that must change together with the
conversation (USSD remembers which part of the gateway's `text` it consumed and which page of
the last reply is showing). Keeping that small record *inside* the conversation's state, and
writing both in one `set`, means one lock and one read and one write per hop, and no moment at
which the conversation has moved on but the channel's record has not.

    async with engine.conversation(key) as convo:
        convo.channel["ussd"] = ...          # the channel's own small JSON, saved with the state
        handled = await convo.handle(Input(text="1"))
"""

from __future__ import annotations

import logging
import re
from dataclasses import replace
from typing import Any, Generic

from core.errors import ArogyaError, RemoteUnavailable, Unavailable
from core.state import StateStore
from flows.conversation import Conversation
from flows.flow import S
from flows.normalise import normalise
from flows.turn import Runtime, Turn
from flows.types import ConversationKey, Handled, Input, Reply, msg
from locales import normalise_language

log = logging.getLogger(__name__)

#: How long an answered delivery id is remembered (gateway retries come within minutes).
DELIVERY_TTL_SECONDS = 60 * 60
#: An opt-out is kept for a year, not for a conversation's TTL: STOP must stay stopped.
OPT_OUT_TTL_SECONDS = 365 * 24 * 60 * 60
DEVANAGARI = re.compile("[\u0900-\u097f]")


class Session(Generic[S]):
    def __init__(
        self,
        rt: Runtime[S],
        store: StateStore,
        key: ConversationKey,
        raw: dict[str, Any] | None,
    ) -> None:
        self._rt = rt
        self._store = store
        self.key = key
        self._raw = raw
        self._loaded_channel = dict(raw.get("channel") or {}) if raw else {}
        #: The channel's own small JSON record, saved with the conversation (keep it small).
        self.channel: dict[str, Any] = dict(self._loaded_channel)
        self._changed = False
        self._replies: dict[str, Reply] = {}

    @property
    def lang(self) -> str:
        """The conversation's language (the default for one that has not started)."""
        return normalise_language(
            str(self._raw.get("lang")) if self._raw else self._rt.default_lang
        )

    @property
    def fresh(self) -> bool:
        """No conversation is stored for this key yet (a first contact, or one long gone)."""
        return self._raw is None

    @property
    def opted_out(self) -> bool:
        return bool(self._raw and self._raw.get("opted_out"))

    @property
    def position(self) -> str | None:
        """Where the conversation waits: `flow.step`, or `mode:<name>` while the engine asks
        its own question; None when nothing is pending (new or ended). Read-only: a channel
        binds its buttons to it, so a button from an older question is never taken here."""
        raw = self._raw
        if not raw or raw.get("idle"):
            return None
        if raw.get("mode"):
            return f"mode:{raw['mode']}"
        return f"{raw.get('flow')}.{raw.get('step')}"

    async def handle(self, answer: Input) -> Handled:
        """One turn. A delivery id seen before is answered from cache, with no effect."""
        text = normalise(answer.text) if answer.text is not None else None
        answer = replace(answer, text=text)
        if answer.delivery_id:
            cached = self._replies.get(answer.delivery_id) or await self._cached(answer.delivery_id)
            if cached is not None:
                return Handled(cached, duplicate=True)
        conv = self._load(answer)
        turn = Turn(self._rt, self.key, conv, self._rt.now())
        try:
            reply = replace(await turn.run(answer), lang=conv.lang)
        except RemoteUnavailable as error:  # ABDM, while asking: said, nothing is saved
            log.info("turn waits on a remote service for %s: %r", self.key.state_key(), error)
            return Handled(Reply((msg(f"error.{error.code}", **error.params),), lang=conv.lang))
        except Unavailable:
            raise
        except ArogyaError as error:  # raised while asking: nothing is saved
            log.info("turn refused for %s: %r", self.key.state_key(), error)
            return Handled(Reply((msg(f"error.{error.code}", **error.params),), lang=conv.lang))
        except Exception:  # a bug in a step must not take the channel down; nothing is saved
            log.exception("turn failed for %s at %s.%s", self.key.state_key(), conv.flow, conv.step)
            return Handled(Reply((msg("engine.try_again"),), end=True, lang=conv.lang))
        if turn.save:
            conv.updated = self._rt.now()
            self._raw = conv.to_json()
            self._changed = True
        if answer.delivery_id:
            self._replies[answer.delivery_id] = reply
        return Handled(reply)

    def writes(self) -> list[tuple[str, Any, float]]:
        """What to save as `(key, value, ttl)`: the state (if anything changed) and the replies
        to the deliveries answered. The engine writes them together as it lets go of the lock."""
        out: list[tuple[str, Any, float]] = []
        if self._raw is not None and (self._changed or self.channel != self._loaded_channel):
            value = dict(self._raw)
            value.pop("channel", None)
            if self.channel:
                value["channel"] = self.channel
            opted_out = bool(value.get("opted_out"))
            ttl = OPT_OUT_TTL_SECONDS if opted_out else 2 * self._rt.conversation_ttl
            out.append((self.key.state_key(), value, ttl))
        for delivery_id, reply in self._replies.items():
            out.append((self._delivery_key(delivery_id), reply.to_json(), DELIVERY_TTL_SECONDS))
        return out

    def _delivery_key(self, delivery_id: str) -> str:
        return ConversationKey(self.key.channel, delivery_id).state_key("dlv")

    async def _cached(self, delivery_id: str) -> Reply | None:
        raw = await self._store.get_json(self._delivery_key(delivery_id))
        return None if raw is None else Reply.from_json(raw)

    def _load(self, answer: Input) -> Conversation:
        if self._raw is not None:
            try:
                return Conversation.from_json(self._raw)
            except (KeyError, TypeError, ValueError):
                log.warning("unreadable conversation state for %s; starting afresh", self.key)
        now = self._rt.now()
        root = self._rt.flows[self._rt.root]
        return Conversation(
            flow=root.name,
            step=root.entry,
            lang=self._first_language(answer),
            id=self._rt.ids(),
            started=now,
            updated=now,
        )

    def _first_language(self, answer: Input) -> str:
        """A new conversation speaks the channel's hint, else the script of the first words
        (someone whose first SMS is "मदद" reads Hindi), else the default."""
        if answer.lang:
            return normalise_language(answer.lang)
        if answer.text and DEVANAGARI.search(answer.text):
            return "hi"
        return self._rt.default_lang
