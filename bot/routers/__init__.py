"""The bot's routers, one per feature, in the order an update meets them.

    groups    any chat that is not private: one pointer to a private chat, then silence
    text      typed answers (first: the most frequent update meets the fewest filters)
    commands  /start (deep links), /menu, /help, /language, /cancel, and unknown commands
    buttons   inline buttons bound to the pending question
    contact   the shared phone number (only the sender's own)
    uploads   photos and files: kept as the person's own health documents
    (extra)   later features' routers (records, consent) go here
    other     edits, stickers, voice, anything else: a word about it, progress kept
    fallback  button data nobody recognised

Routers are built per dispatcher (a Router belongs to one parent) and reach the engine only
through the `front` handed to `Dispatcher(front=...)`.
"""

from __future__ import annotations

from collections.abc import Sequence

from aiogram import Router

from bot.routers.buttons import buttons_router, fallback_router
from bot.routers.commands import commands_router
from bot.routers.contact import contact_router
from bot.routers.groups import groups_router
from bot.routers.other import other_router
from bot.routers.text import text_router
from bot.routers.uploads import uploads_router


def feature_routers(extra: Sequence[Router] = ()) -> list[Router]:
    return [
        groups_router(),
        text_router(),
        commands_router(),
        buttons_router(),
        contact_router(),
        uploads_router(),
        *extra,
        other_router(),
        fallback_router(),
    ]


__all__ = ["feature_routers"]
