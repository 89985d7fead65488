"""The Telegram front: an update in, the engine's turn, the reply out. No flow logic here.

Why it is shaped like this:

- Every update holds its chat's conversation (`bot.record.hold_chat`): the engine's lock, one
  read, one write, with the Telegram side's few bytes (`ChatRecord`) inside the same state. So
  a button press is judged against the very state it will act on, and a repeated update is
  recognised there (no second effect).
- The `update_id` is the engine's delivery id: an update Telegram delivers again because our
  send failed is answered from the engine's cache (no second OTP, no second ABHA) and the same
  reply is sent again.
- The language of a new conversation: the one this chat chose before (core's channels
  registry, which outlives the conversation), else Telegram's `language_code`.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import CallbackQuery, Message, User

from bot.buttons import ButtonSigner, StepButton
from bot.delivery import REPLY_BUDGET, REPLY_TIMEOUT, contact_keyboard, deliver
from bot.notify_deliverer import render_html
from bot.record import CHANNEL, ChatRecord, Held, hold_chat
from bot.render import Outgoing, render_reply
from core.services import Services
from flows.engine import Engine
from flows.session import Session
from flows.types import Input, Reply
from flows.types import Message as Said
from locales import normalise_language

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class DeepLink:
    """`t.me/<bot>?start=<payload>`: who opened it, and the payload after `/start `."""

    chat_id: int
    user_id: int
    payload: str


#: Turns a deep link into the engine input it stands for (None: not ours, plain /start).
DeepLinkHandler = Callable[[DeepLink], Awaitable[Input | None]]


class TelegramFront:
    def __init__(
        self,
        engine: Engine[Services],
        services: Services,
        *,
        deep_links: Mapping[str, DeepLinkHandler] | None = None,
    ) -> None:
        self.engine = engine
        self.services = services
        self.signer = ButtonSigner(services.settings.secret_key.get_secret_value())
        #: Handlers by the payload's first `_`-separated word (`consent_ab12` -> `consent`).
        self.deep_links = dict(deep_links or {})

    # --- the three ways an update meets the engine -----------------------------------------

    async def converse(
        self,
        bot: Bot,
        chat_id: int,
        user: User | None,
        update_id: int,
        answer: Input,
        *,
        first: Said | None = None,
    ) -> None:
        """Hand one input to the engine and send its reply (`first` said before it)."""
        async with hold_chat(self.engine, chat_id, update_id) as held:
            if held is None:
                return
            convo, record = held.convo, held.record
            if record is None:
                answer = replace(answer, lang=await self.hint(chat_id, user))
            handled = await convo.handle(replace(answer, delivery_id=str(update_id)))
            reply = handled.reply.after(first) if first else handled.reply
            resend = record is not None and record.turn == update_id  # delivered again
            outgoing = await self._show(convo, record, reply, update_id, chat_id, resend=resend)
            await deliver(bot, chat_id, outgoing, self.services)

    async def press(
        self, bot: Bot, query: CallbackQuery, button: StepButton, update_id: int
    ) -> None:
        """A button: taken only if it belongs to the question pending now. An older one is
        answered "expired" and the pending question is shown again; one we never issued is
        answered as such and changes nothing."""
        message = query.message if isinstance(query.message, Message) else None
        chat_id = message.chat.id if message else query.from_user.id
        async with hold_chat(self.engine, chat_id, update_id) as held:
            if held is None:
                return
            verdict, outgoing = await self._judge(held, button, chat_id, query.from_user)
            lang = outgoing.lang if outgoing else held.convo.lang
            async with asyncio.timeout(REPLY_BUDGET):
                await self._answer(bot, query, verdict, lang)
                if verdict != "forged" and message is not None and message.reply_markup:
                    await self._close_buttons(bot, message)
                if outgoing is not None:
                    await deliver(bot, chat_id, outgoing, self.services)

    async def say(self, bot: Bot, query: CallbackQuery, text: str, update_id: int) -> None:
        """A notice's button that says words for the person ("YES 4F7K"): taken as their own
        message, unprompted, wherever the conversation stands. The notice keeps its buttons
        only until one is pressed (a second press would be answered "already approved")."""
        message = query.message if isinstance(query.message, Message) else None
        chat_id = message.chat.id if message else query.from_user.id
        # a live press is answered without words, so no language needs looking up
        await self._answer(bot, query, "live", normalise_language(None))
        if message is not None and message.reply_markup:
            await self._close_buttons(bot, message)
        answer = Input(text=text, unprompted=True)
        await self.converse(bot, chat_id, query.from_user, update_id, answer)

    async def unrecognised(self, bot: Bot, query: CallbackQuery, update_id: int) -> None:
        """Button data no router knows: answered as not ours, nothing else."""
        message = query.message
        chat_id = message.chat.id if message else query.from_user.id
        async with hold_chat(self.engine, chat_id, update_id) as held:
            if held is None:
                return
            record = held.record
            lang = record.lang if record else await self.hint(chat_id, query.from_user)
            await self._answer(bot, query, "forged", lang)

    async def _judge(
        self, held: Held, button: StepButton, chat_id: int, user: User
    ) -> tuple[str, Outgoing | None]:
        convo, record, update_id = held.convo, held.record, held.update_id
        if record is not None and record.turn == update_id:  # this very press again:
            handled = await convo.handle(Input(delivery_id=str(update_id)))  # its reply failed
            return "live", await self._show(
                convo, record, handled.reply, update_id, chat_id, resend=True
            )
        live = record is not None and button.turn == record.turn
        if live and not self.signer.genuine(chat_id, button, convo.position):
            return "forged", None
        if record is not None and button.turn > record.turn:
            return "forged", None  # a turn this chat has not reached: not ours
        if not live:
            return "stale", await self._again(convo, record, chat_id, user, update_id)
        picked = Input(choice=button.choice, delivery_id=str(update_id))
        handled = await convo.handle(picked)
        return "live", await self._show(convo, record, handled.reply, update_id, chat_id)

    async def start(self, bot: Bot, message: Message, payload: str | None, update_id: int) -> None:
        """`/start`: like dialling again (an unfinished conversation is offered to resume);
        with a deep-link payload, whatever its handler makes of it."""
        answer = Input(new_session=True)
        user = message.from_user
        if payload:
            handler = self.deep_links.get(payload.split("_", 1)[0])
            link = DeepLink(message.chat.id, user.id if user else message.chat.id, payload)
            found = await handler(link) if handler else None
            if found is None:
                log.info("deep link %r is not one of ours: a plain /start", payload[:16])
            answer = found or answer
        await self.converse(bot, message.chat.id, user, update_id, answer)

    # --- answers that are not the engine's --------------------------------------------------

    async def notice(
        self,
        bot: Bot,
        chat_id: int,
        user: User | None,
        update_id: int,
        key: str,
        *,
        reask: bool = False,
        **params: Any,
    ) -> None:
        """A translated word about the update itself (a sticker, an edit, a foreign contact):
        the conversation stays where it was. The contact keyboard, if showing, stays too.
        `reask`: the pending question, if any, follows the word (its buttons at the bottom
        again, still live: they are bound to the same turn)."""
        async with hold_chat(self.engine, chat_id, update_id) as held:
            if held is None:
                return
            record = held.record
            lang = record.lang if record else await self.hint(chat_id, user)
            pending = await self._pending(held, chat_id) if reask else None
            showing = record is not None and record.contact and pending is None
            markup = contact_keyboard(lang) if showing else None
            text = render_html(key, lang, params)
            async with asyncio.timeout(REPLY_BUDGET):
                await bot.send_message(
                    chat_id, text, reply_markup=markup, request_timeout=REPLY_TIMEOUT
                )
                if pending is not None:
                    await deliver(bot, chat_id, pending, self.services)

    async def hint(self, chat_id: int, user: User | None) -> str:
        """The language for a new conversation: the chat's earlier choice, else Telegram's."""
        remembered = await self.services.channels.language(CHANNEL, str(chat_id))
        return remembered or normalise_language(user.language_code if user else None)

    # --- helpers ------------------------------------------------------------------------------

    async def _again(
        self,
        convo: Session[Services],
        record: ChatRecord | None,
        chat_id: int,
        user: User | None,
        update_id: int,
    ) -> Outgoing:
        """The pending question once more: the engine's own cached reply to the turn that
        asked it (no effect), or, with nothing pending, the conversation started afresh."""
        if record is not None and convo.position is not None:
            handled = await convo.handle(Input(delivery_id=str(record.turn)))
            return await self._show(convo, record, handled.reply, record.turn, chat_id)
        fresh = Input(lang=await self.hint(chat_id, user), delivery_id=str(update_id))
        handled = await convo.handle(fresh)
        return await self._show(convo, record, handled.reply, update_id, chat_id)

    async def _pending(self, held: Held, chat_id: int) -> Outgoing | None:
        """The pending question as it was asked (the engine's cached reply to the turn that
        asked it, without its card or file), or None when nothing is pending."""
        convo, record = held.convo, held.record
        if record is None or convo.position is None:
            return None
        handled = await convo.handle(Input(delivery_id=str(record.turn)))
        reply = replace(handled.reply, attachments=())
        return await self._show(convo, record, reply, record.turn, chat_id)

    async def _show(
        self,
        convo: Session[Services],
        record: ChatRecord | None,
        reply: Reply,
        turn: int,
        chat_id: int,
        *,
        resend: bool = False,
    ) -> Outgoing:
        """Render `reply` with buttons bound to `turn` at the conversation's position now, and
        note what the chat will show in the conversation's state. `resend`: Telegram delivered
        the record's turn again (sending our reply failed), so the reply is judged against what
        the chat showed before that turn, as it was the first time."""
        shown = (record.before if resend else record.contact) if record else False
        position = convo.position
        outgoing = render_reply(
            reply,
            data_for=lambda choice: self.signer.button(chat_id, turn, position, choice),
            contact_shown=shown,
        )
        if record is None or record.lang != reply.lang:
            await self.services.channels.remember_language(CHANNEL, str(chat_id), reply.lang)
        showing = outgoing.ask_contact or (shown and not outgoing.hide_contact)
        answered = record.answered if record else ()
        ChatRecord(turn, reply.lang, showing, shown, answered).save(convo)
        return outgoing

    @staticmethod
    async def _answer(bot: Bot, query: CallbackQuery, verdict: str, lang: str) -> None:
        """Stop the button's spinner; a query Telegram no longer knows (answered by an earlier
        delivery of this update, or too old) is no reason to lose the reply."""
        text = None
        if verdict != "live":
            key = "telegram.button.expired" if verdict == "stale" else "telegram.button.forged"
            text = render_html(key, lang, {})
        try:
            await bot.answer_callback_query(
                query.id,
                text=text,
                show_alert=verdict == "forged" or None,
                request_timeout=REPLY_TIMEOUT,
            )
        except TelegramBadRequest as refusal:
            log.info("button press %s not answered: %s", query.id, refusal.message)

    @staticmethod
    async def _close_buttons(bot: Bot, message: Message) -> None:
        """Take the buttons off a pressed message; an old message Telegram will not edit any
        more keeps them (pressing them again is answered "expired")."""
        try:
            await bot.edit_message_reply_markup(
                chat_id=message.chat.id,
                message_id=message.message_id,
                reply_markup=None,
                request_timeout=REPLY_TIMEOUT,
            )
        except TelegramBadRequest as refusal:
            log.debug("buttons of message %s stay: %s", message.message_id, refusal.message)
