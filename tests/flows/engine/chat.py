"""A person talking to the engine directly (no HTTP), with replies rendered as plain text."""

from __future__ import annotations

from typing import Any

from flows import ConversationKey, Engine, Input, Reply
from tests.flows.engine.demo import DemoServices, demo_translate
from webhooks.render import render_text

PHONE = "+919876543210"


class Chat:
    def __init__(self, engine: Engine[DemoServices], channel: str = "sms", subject: str = PHONE):
        self.engine = engine
        self.key = ConversationKey(channel, subject)
        self.last = Reply()

    async def send(self, text: str | None = None, **fields: Any) -> str:
        self.last = await self.engine.handle(self.key, Input(text=text, **fields))
        return render_text(self.last, demo_translate)

    async def state(self) -> dict[str, Any]:
        raw = await self.engine.state.get_json(self.key.state_key())
        assert isinstance(raw, dict)
        return raw

    async def position(self) -> tuple[str, str, str | None]:
        raw = await self.state()
        return raw["flow"], raw["step"], raw.get("mode")
