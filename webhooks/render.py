"""Turning a channel-neutral `Reply` into what a phone shows: USSD pages and SMS texts.

Why here: flows say message keys; only the channel knows its screen. A USSD page holds 182
GSM-7 characters but only 80 once a single Devanagari letter makes it UCS-2, so a Hindi menu
that fits in English may need two pages. Pages are cut at line and word boundaries, menus
paginate with localised "98. More" / "0. Back" entries, and nothing is ever cut off: every
word of the reply is on some page.

The `CON `/`END ` prefix is USSD protocol between gateway and us; the phone never shows it, so
it does not count against the page budget.
"""

from __future__ import annotations

import logging
import unicodedata
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from core.sms.encoding import SmsSize, fits, sms_size
from flows.types import Message, Reply
from locales import MissingMessage

log = logging.getLogger(__name__)

#: The numbers a USSD page reserves for paging (the usual convention on USSD menus).
MORE = "98"
PREV = "0"
_VIRAMA = "\u094d"
_JOINERS = frozenset("\u200c\u200d")


class Translate(Protocol):
    """`locales.translate`, or a test catalog layered over it."""

    def __call__(self, key: str, lang: str | None = None, /, **params: Any) -> str: ...


@dataclass(frozen=True, slots=True)
class PageBudget:
    """How many characters fit one USSD page, by the page's encoding (per gateway setting)."""

    gsm7: int = 182
    ucs2: int = 80

    def fits(self, page: str) -> bool:
        return fits(page, gsm7_limit=self.gsm7, ucs2_limit=self.ucs2)


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
        for n, choice in enumerate(reply.choices, 1)
    ]
    return texts, choices


def render_text(reply: Reply, translate: Translate) -> str:
    """The whole reply as one text: an SMS, a terminal, a test's transcript."""
    texts, choices = reply_lines(reply, translate)
    return "\n".join([*texts, *choices]).strip()


def render_sms(reply: Reply, translate: Translate) -> tuple[str, SmsSize]:
    """The SMS text and its size (encoding, units, segments) for logs and the JSON answer."""
    text = render_text(reply, translate)
    return text, sms_size(text)


def render_ussd(reply: Reply, translate: Translate, budget: PageBudget) -> list[str]:
    """The reply as USSD pages, each within `budget` (without the `CON `/`END ` prefix)."""
    texts, choices = reply_lines(reply, translate)
    more = f"{MORE}. {translate('engine.more', reply.lang)}"
    back = f"{PREV}. {translate('engine.prev', reply.lang)}"
    return paginate(texts, choices, more=more, back=back, budget=budget)


def paginate(
    texts: Sequence[str], choices: Sequence[str], *, more: str, back: str, budget: PageBudget
) -> list[str]:
    """Fill pages greedily. Text lines may be split at spaces (or, for a word longer than a
    page, between characters); a choice line stays whole unless it alone overflows a page."""
    whole = "\n".join(
        [line for text in texts for line in text.split("\n") if line.strip()] + list(choices)
    )
    if budget.fits(whole):
        return [whole]  # the common case: one page, one count
    queue: deque[tuple[str, bool]] = deque(
        [(line, True) for text in texts for line in text.split("\n") if line.strip()]
        + [(line, False) for line in choices]
    )
    pages: list[str] = []
    lines: list[str] = []

    def page(extra: Sequence[str], more_follows: bool) -> str:
        nav = ([more] if more_follows else []) + ([back] if pages else [])
        return "\n".join([*lines, *extra, *nav])

    def flush() -> None:
        pages.append(page((), more_follows=True))
        lines.clear()

    while queue:
        line, splittable = queue[0]
        if budget.fits(page([line], more_follows=len(queue) > 1)):
            lines.append(line)
            queue.popleft()
        elif lines and (not splittable or budget.fits("\n".join([line, more, back]))):
            flush()  # start the line on a fresh page rather than break it needlessly
        else:
            head, rest = split_to_fit(line, lambda h: budget.fits(page([h], more_follows=True)))
            if not head and lines:
                flush()
                continue
            lines.append(head or line[:1])
            remainder = rest if head else line[1:]
            if remainder:
                queue[0] = (remainder, True)
            else:
                queue.popleft()
            if queue:
                flush()
    pages.append(page((), more_follows=False))
    return pages


def split_to_fit(line: str, ok: Callable[[str], bool]) -> tuple[str, str]:
    """The longest head of `line` that is `ok`, cut at a space if possible, and the rest."""
    words = line.split(" ")
    best = 0
    for count in range(1, len(words) + 1):
        if not ok(" ".join(words[:count])):
            break
        best = count
    if best:
        return " ".join(words[:best]), " ".join(words[best:])
    word, rest = words[0], " ".join(words[1:])
    cut = max((i for i in _safe_cuts(word) if ok(word[:i])), default=0)
    if not cut:
        return "", line
    tail = word[cut:]
    return word[:cut], f"{tail} {rest}" if rest else tail


def _safe_cuts(word: str) -> list[int]:
    """Positions where a word can be cut without tearing a Devanagari syllable apart."""
    return [
        i
        for i in range(1, len(word))
        if unicodedata.category(word[i]) not in ("Mn", "Mc")
        and word[i] not in _JOINERS
        and word[i - 1] not in _JOINERS
        and word[i - 1] != _VIRAMA
    ]
