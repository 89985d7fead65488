"""Turning a channel-neutral `Reply` into text: its messages and numbered choices as lines.

Why here: flows say message keys; only the channel knows its words and its screen. USSD and
SMS render a reply the same way (a message per line, then "1. ..." per choice); how a long one
is cut into pages is `webhooks.pager`'s job. (Telegram, in `bot/`, lays out its own.)
"""

from __future__ import annotations

import logging
from typing import Any, Protocol

from flows.types import Message, Reply, keyed, numbered
from locales import MissingMessage

log = logging.getLogger(__name__)


class Translate(Protocol):
    """`locales.translate`, or a test catalog layered over it."""

    def __call__(self, key: str, lang: str | None = None, /, **params: Any) -> str: ...


def render_message(message: Message, lang: str, translate: Translate) -> str:
    """The text of one message. An error code without a catalog entry falls back to a generic
    apology (logged) rather than failing the whole reply; any other missing key is a bug."""
    try:
        return translate(message.key, lang, **message.params)
    except MissingMessage:
        if not message.key.startswith("error."):
            raise
        log.error("no catalog text for %s (%s)", message.key, lang)
        return translate("engine.error.unknown", lang)


def reply_lines(reply: Reply, translate: Translate) -> tuple[list[str], list[str]]:
    """(the messages, the numbered choices) as text lines."""
    texts = [render_message(m, reply.lang, translate) for m in reply.messages]
    choices = [
        f"{n}. {render_message(choice.label, reply.lang, translate)}"
        for n, choice in enumerate(numbered(reply.choices), 1)
    ] + [
        f"{choice.key}. {render_message(choice.label, reply.lang, translate)}"
        for choice in keyed(reply.choices)
    ]
    return texts, choices


def render_text(reply: Reply, translate: Translate) -> str:
    """The whole reply as one text, unpaged: a terminal, a test's transcript."""
    texts, choices = reply_lines(reply, translate)
    return "\n".join([*texts, *choices]).strip()
