"""A facility's link request told in the person's Telegram chats, with Yes / No buttons.

Why chats too: a smartphone user reads Telegram before an SMS from an unknown sender, and the
consent notice already reaches them there. The chats are those `ChannelService.reach` finds:
live chats that proved this ABHA by OTP (not merely the same mobile), so a chat that never
proved this person hears nothing about them.

Why the buttons say "YES 042817" / "NO 042817": their data is the very text an SMS answer
would be (`core.notify.buttons.says`), so a tap takes the same path (`flows.linking`) as a typed
answer, and the code (which only this request's person was sent) is the proof of which request
is meant. The notice is queued once per request and chat (an idempotent repeat tells nobody
twice), and only after `LinkService.request` has drawn it from the facility's notice budget.
"""

from __future__ import annotations

from core.channels.service import ChannelService
from core.notify.buttons import says
from core.notify.service import Notifier

CHAT_KEY = "link.notice.chat"


def answer_buttons(code: str) -> list[list[dict[str, str]]]:
    """Yes / No, sending what an SMS answer would say."""
    return [
        [
            {"label": "link.button.yes", "data": says(f"YES {code}")},
            {"label": "link.button.no", "data": says(f"NO {code}")},
        ]
    ]


class LinkChats:
    def __init__(self, channels: ChannelService, notifier: Notifier) -> None:
        self._channels = channels
        self._notifier = notifier

    async def tell(
        self, abha_number: str, request_id: str, *, facility: str, code: str, minutes: int
    ) -> int:
        """Queue the notice to every chat that proved `abha_number`; how many were queued."""
        params = {"facility": facility, "code": code, "minutes": minutes}
        chats = await self._channels.reach(abha_number)
        for chat in chats:
            await self._notifier.notify(
                chat.channel,
                chat.address,
                CHAT_KEY,
                params,
                chat.lang,
                dedupe_key=f"link.request:{request_id}:{chat.channel}:{chat.address}",
                buttons=answer_buttons(code),
            )
        return len(chats)
