"""What `t.me/<bot>?start=<payload>` links open (`/start <payload>` in the chat).

    consent_<request id>   the consent request a notice is about (flows.consent answers it)

A link is a message of its own, not an answer to whatever was pending in the chat: it is handed
to the engine `unprompted`, so the consent flow's catcher takes it wherever the conversation
stands. Anything the catcher does not recognise (a mistyped or foreign id) is answered there.
"""

from __future__ import annotations

from collections.abc import Mapping

from bot.front import DeepLink, DeepLinkHandler
from flows.types import Input

#: Telegram allows 64 characters of [A-Za-z0-9_-] after `start=`.
PAYLOAD_MAX = 64


async def consent_link(link: DeepLink) -> Input | None:
    if len(link.payload) > PAYLOAD_MAX:
        return None
    return Input(text=link.payload, unprompted=True)


#: By the payload's first `_`-separated word.
DEEP_LINKS: Mapping[str, DeepLinkHandler] = {"consent": consent_link}
