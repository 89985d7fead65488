"""A person's Telegram app, for tests: it posts updates to the webhook and reads the chat back.

`TelegramPhone` builds each update with the fake's `UpdateFactory` (so message ids, callback
query ids and update ids are what the fake server knows), posts it to `POST /telegram/webhook`
with the secret header, and returns what the chat shows *new* afterwards, one line per thing:

    Arogya ABHA                 a bot message, as Telegram displays it
    [Create ABHA]                            its inline buttons, one row a line
    photo 1000x630: Health ID card ...            a photo and its caption
    document OPConsultation-2024-01-04.json (...)  a file, its name and media type
    keyboard: 📱 Share my phone number            the reply keyboard appeared ...
    keyboard: removed                             ... or went away
    popup: This menu has expired. ...             a button press answered with text
    SMS: 123456 is your Arogya OTP ...            an SMS the person's phone received

It satisfies `testing.golden.Phone`; what `send` is given is read as:

    /start, 1, Asha ...          a text message              {otp}      the last OTP by SMS
    tap: <label>                 press the newest such button  tap-old: <label>  the oldest
    share / share: <phone>       share one's own contact     share-other: <phone>  someone else's
    sticker, photo, voice, document, long   (in brackets)    edit: <text>   edit the last message
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from aiogram import Bot
from aiohttp import web
from aiohttp.test_utils import TestClient

from core.clock import FrozenClock
from core.services import Services
from flows.engine import Engine
from flows.types import ConversationKey
from testing.fakes.telegram_api import TelegramApiFake
from testing.fakes.telegram_updates import UpdateFactory
from tests.webhooks.journey_phones import Inbox
from webhooks.telegram import SECRET_HEADER, WEBHOOK_PATH

WEBHOOK_SECRET = "test-webhook-secret"
OTP = re.compile(r"\b(\d{6})\b")
Client = TestClient[web.Request, web.Application]


@dataclass
class Telegram:
    api: TelegramApiFake
    bot: Bot
    client: Client
    services: Services
    clock: FrozenClock
    engine: Engine[Services]
    app: web.Application

    def __post_init__(self) -> None:
        self.updates = UpdateFactory(self.api)

    async def post(
        self, update: dict[str, Any], *, secret: str | None = WEBHOOK_SECRET
    ) -> tuple[int, Any]:
        """One webhook call as Telegram makes it; (status, JSON body or None)."""
        headers = {} if secret is None else {SECRET_HEADER: secret}
        async with self.client.post(WEBHOOK_PATH, json=update, headers=headers) as response:
            body = await response.json() if response.content_type == "application/json" else None
            return response.status, body

    def engine_key(self, chat_id: int) -> ConversationKey:
        return ConversationKey("telegram", str(chat_id))

    async def conversation(self, chat_id: int) -> dict[str, Any] | None:
        """The conversation's stored state, to show that a refused input changed nothing
        (without the list of answered updates, which every update adds to)."""
        state: dict[str, Any] | None = await self.services.state.get_json(
            f"conv:telegram:{chat_id}"
        )
        if state is not None:
            state.get("channel", {}).get("telegram", {}).pop("a", None)
        return state


class TelegramPhone:
    def __init__(self, tg: Telegram, user: dict[str, Any], mobile: str = "+919876543210") -> None:
        self.tg = tg
        self.user = user
        self.chat_id: int = user["id"]
        self.mobile = mobile
        self.inbox = Inbox(tg.services, mobile)
        self.last_seen = 0  # the newest message id already shown
        self.keyboard: dict[str, Any] | None = None
        self.last_text: dict[str, Any] | None = None
        self.statuses: list[int] = []

    # --- the golden Phone protocol ----------------------------------------------------------

    async def dial(self) -> list[str]:
        return await self.send("/start")

    async def send(self, action: str) -> list[str]:
        if "{otp}" in action:
            action = action.replace("{otp}", await self.inbox.last_otp())
        verb, _, rest = action.partition(": ")
        if verb == "tap":
            return await self.tap(rest)
        if verb == "tap-old":
            return await self.tap(rest, newest=False)
        if action == "share" or verb == "share":
            return await self.share(rest or self.mobile)
        if verb == "share-other":
            return await self.share(rest, owner_id=self.chat_id + 1)
        if verb == "edit":
            return await self.edit(rest)
        if action in ("[sticker]", "[photo]", "[voice]", "[document]"):
            build = getattr(self.tg.updates, action.strip("[]"))
            return await self.deliver(build(self.user))
        if action == "[long]":
            return await self.text("x" * 4096)
        return await self.text(action)

    def advance(self, seconds: float) -> None:
        self.tg.clock.advance(seconds)

    # --- actions ----------------------------------------------------------------------------

    async def text(self, text: str) -> list[str]:
        update = self.tg.updates.text(self.user, text)
        self.last_text = update["message"]
        return await self.deliver(update)

    async def tap(self, label: str, *, newest: bool = True) -> list[str]:
        message, data = self.button(label, newest=newest)
        return await self.deliver(self.tg.updates.callback(self.user, message, data))

    async def share(self, phone: str, *, owner_id: int | None = None) -> list[str]:
        return await self.deliver(self.tg.updates.contact(self.user, phone, owner_id=owner_id))

    async def edit(self, text: str) -> list[str]:
        assert self.last_text is not None, "nothing typed yet to edit"
        return await self.deliver(self.tg.updates.edited_text(self.user, self.last_text, text))

    async def deliver(self, update: dict[str, Any]) -> list[str]:
        """Post `update` and return what is new on screen."""
        status, _ = await self.tg.post(update)
        self.statuses.append(status)
        assert status == 200, (status, update)
        return await self.screen(update)

    # --- reading the chat -------------------------------------------------------------------

    def button(self, label: str, *, newest: bool = True) -> tuple[dict[str, Any], str]:
        """The newest (or oldest) bot message still showing a button labelled `label`, and
        its data (the bot takes the buttons off a message once one of them is pressed)."""
        sent = self.tg.api.sent(self.chat_id)
        for message in reversed(sent) if newest else sent:
            for row in message.get("reply_markup", {}).get("inline_keyboard", []):
                for button in row:
                    if button["text"] == label and "callback_data" in button:
                        return message, button["callback_data"]
        raise AssertionError(f"no button {label!r} in the chat")

    async def screen(self, update: dict[str, Any] | None = None) -> list[str]:
        lines: list[str] = []
        query = (update or {}).get("callback_query")
        if query is not None:
            answer = self.tg.api.callback_answer(query["id"])
            assert answer is not None, "the button press was not answered"
            if answer.get("text"):
                lines.append(f"popup: {answer['text']}")
        for message in self.tg.api.sent(self.chat_id):
            if message["message_id"] <= self.last_seen:
                continue
            self.last_seen = message["message_id"]
            lines.extend(self.shown(message))
        keyboard = self.tg.api.reply_keyboard(self.chat_id)
        if keyboard != self.keyboard:
            if keyboard is None:
                lines.append("keyboard: removed")
            else:
                labels = [button["text"] for row in keyboard["keyboard"] for button in row]
                lines.append("keyboard: " + " | ".join(labels))
            self.keyboard = keyboard
        lines.extend(await self.inbox.new(replies=False))
        return lines

    def shown(self, message: dict[str, Any]) -> list[str]:
        lines: list[str] = []
        if "photo" in message:
            size = message["photo"][-1]
            lines.append(f"photo {size['width']}x{size['height']}: {message.get('caption', '')}")
        elif "document" in message:
            document = message["document"]
            lines.append(f"document {document['file_name']} ({document['mime_type']})")
        elif "text" in message:
            lines.append(message["text"])
        for row in message.get("reply_markup", {}).get("inline_keyboard", []):
            lines.append(" ".join(f"[{button['text']}]" for button in row))
        return lines
