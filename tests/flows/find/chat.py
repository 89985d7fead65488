"""A conversation with the real engine, without a channel in between: for the rules the
golden transcripts would take many hops to reach, and for Telegram, whose bot is built
elsewhere (the flows are channel-neutral, so a chat key is all it takes)."""

from __future__ import annotations

import itertools
import re

from core.services import Services
from flows import ConversationKey, Engine, Input, Reply
from flows.registry import health_engine
from locales import translate
from webhooks.render import render_text

_OTP = re.compile(r"\b(\d{6})\b")


class Chat:
    def __init__(self, services: Services, channel: str, subject: str) -> None:
        counter = itertools.count(1)
        self.services = services
        self.engine: Engine[Services] = health_engine(services, ids=lambda: f"c{next(counter)}")
        self.key = ConversationKey(channel, subject)
        self.last = Reply()

    async def say(self, text: str | None = None, *, contact: str | None = None) -> str:
        """Send one input; the reply as the person would read it."""
        self.last = await self.engine.handle(self.key, Input(text=text, contact=contact))
        return render_text(self.last, translate)

    async def run(self, *inputs: str) -> str:
        said = ""
        for text in inputs:
            said = await self.say(text)
        return said

    async def otp(self, mobile: str) -> str:
        """The code of the last OTP SMS sent to `mobile`."""
        sent = await self.services.sms.sent_to(mobile)
        rows = [row for row in sent if row.message_key.startswith("sms.otp")]
        found = _OTP.search(rows[-1].text)
        assert found is not None
        return found.group(1)
