"""One pager for the phone channels: a long reply shown a page at a time, "98" for the next.

Why one: USSD and SMS both cut a reply that does not fit into pages with localised "98. More"
/ "0. Back" lines, keep the reply and the page showing in their channel record, and turn pages
on a word without disturbing the conversation. They differ only in what fits a page and in the
words a person sends, so those are the pager's parameters:

- a USSD page holds 182 GSM-7 characters but only 80 once a single Devanagari letter makes it
  UCS-2 (per gateway setting), and the keypad sends "98" or "0";
- an SMS reply is at most `sms_max_segments` concatenated segments (153 GSM-7 / 67 UCS-2
  characters each: operators reassemble badly past a few, and each costs), and a person may
  also write "MORE", "next" or "आगे".

Pages are cut at line and word boundaries (never inside a Devanagari syllable), menus keep a
choice line whole, and nothing is ever cut off: every word of the reply is on some page. The
`CON `/`END ` prefix is USSD protocol between gateway and us; the phone never shows it, so it
does not count against the budget.
"""

from __future__ import annotations

import unicodedata
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from core.sms.encoding import PART_LIMIT, Encoding, fits
from flows.types import Reply
from webhooks.render import Translate, reply_lines

#: The numbers a page reserves for paging (the usual convention on USSD menus).
MORE = "98"
PREV = "0"
BACK_LINE = f"{PREV}. "
_VIRAMA = "\u094d"
_JOINERS = frozenset("\u200c\u200d")


@dataclass(frozen=True, slots=True)
class PageBudget:
    """How many characters fit one page, by the page's encoding."""

    gsm7: int = 182
    ucs2: int = 80

    @classmethod
    def segments(cls, count: int) -> PageBudget:
        """A page of `count` concatenated SMS segments."""
        return cls(count * PART_LIMIT[Encoding.GSM7], count * PART_LIMIT[Encoding.UCS2])

    def fits(self, page: str) -> bool:
        return fits(page, gsm7_limit=self.gsm7, ucs2_limit=self.ucs2)


@dataclass(frozen=True, slots=True)
class Page:
    """One page of a reply, as the phone shows it."""

    reply: Reply
    text: str
    number: int
    count: int

    @property
    def last(self) -> bool:
        return self.number == self.count - 1


def as_typed(text: str) -> str:
    return text


@dataclass(frozen=True, slots=True)
class Pager:
    """How one channel pages a reply: what fits a page and the words that turn one."""

    budget: PageBudget
    translate: Translate
    #: What turns to the next page and to the previous one, compared after `read`.
    more: frozenset[str] = frozenset({MORE})
    back: frozenset[str] = frozenset({PREV})
    read: Callable[[str], str] = as_typed

    def pages(self, reply: Reply) -> list[str]:
        """The reply as pages, each within the budget."""
        texts, choices = reply_lines(reply, self.translate)
        more = f"{MORE}. {self.translate('engine.more', reply.lang)}"
        back = f"{PREV}. {self.translate('engine.prev', reply.lang)}"
        return paginate(texts, choices, more=more, back=back, budget=self.budget)

    def page(self, reply: Reply, number: int = 0) -> Page:
        """Page `number` of `reply` (its last page when it has fewer)."""
        pages = self.pages(reply)
        number = min(number, len(pages) - 1)
        return Page(reply, pages[number], number, len(pages))

    def turn(self, text: str, shown: Mapping[str, Any], number: int) -> Page | None:
        """The page `text` turns to from page `number` of the reply on screen (`shown`, as
        `Reply.to_json` saved it); None when it turns none (not a paging word, no page that
        way, nothing on screen): then `text` is an answer for the conversation."""
        if not shown:
            return None
        word = self.read(text)
        step = 1 if word in self.more else -1 if word in self.back else 0
        if not step:
            return None  # the common case: decided before anything is rendered
        reply = Reply.from_json(shown)
        pages = self.pages(reply)
        if not 0 <= number + step < len(pages):
            return None
        return Page(reply, pages[number + step], number + step, len(pages))


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
        shown = [*lines, *extra]
        # A reply's own "0. Back" choice (flows.types.BACK_KEY) is the page's back: not two.
        backs = pages and not any(line.startswith(BACK_LINE) for line in shown)
        nav = ([more] if more_follows else []) + ([back] if backs else [])
        return "\n".join([*shown, *nav])

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
