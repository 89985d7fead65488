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

import functools
import unicodedata
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from core.sms.encoding import PART_LIMIT, Encoding, encoding_of, fits, length_in_units
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
        return list(_paginated(tuple(texts), tuple(choices), more, back, self.budget))

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


@dataclass(frozen=True, slots=True)
class Size:
    """What `PageBudget.fits` needs of a text, summable: whether it is all GSM-7, its septets
    and its UTF-16 units. The size of texts joined by newlines is the sum of theirs plus one
    unit a newline (a GSM-7 character either way), so a page can grow a word at a time
    without measuring it again from the start."""

    gsm7: bool = True
    septets: int = 0
    units: int = 0

    @classmethod
    def of(cls, text: str) -> Size:
        return cls(
            encoding_of(text) is Encoding.GSM7,
            length_in_units(text, Encoding.GSM7),
            length_in_units(text, Encoding.UCS2),
        )

    def join(self, other: Size, sep: int = 1) -> Size:
        """This text, `sep` GSM-7 separator characters (a newline, a space), then `other`."""
        return Size(
            self.gsm7 and other.gsm7,
            self.septets + other.septets + sep,
            self.units + other.units + sep,
        )

    def within(self, budget: PageBudget) -> bool:
        return self.septets <= budget.gsm7 if self.gsm7 else self.units <= budget.ucs2


def _joined(sizes: Sequence[Size], sep: int = 1) -> Size | None:
    """The size of texts joined by a one-character separator; None for no text at all."""
    total: Size | None = None
    for size in sizes:
        total = size if total is None else total.join(size, sep)
    return total


def _fits(budget: PageBudget, *parts: Size | None) -> bool:
    joined = _joined([part for part in parts if part is not None])
    return joined is None or joined.within(budget)


@functools.lru_cache(maxsize=1024)
def _paginated(
    texts: tuple[str, ...], choices: tuple[str, ...], more: str, back: str, budget: PageBudget
) -> tuple[str, ...]:
    """`paginate`, remembered: a long reply is shown over several hops (each "98" renders it
    again to find the next page), and its pages do not change between them."""
    return tuple(paginate(texts, choices, more=more, back=back, budget=budget))


def paginate(
    texts: Sequence[str], choices: Sequence[str], *, more: str, back: str, budget: PageBudget
) -> list[str]:
    """Fill pages greedily. Text lines may be split at spaces (or, for a word longer than a
    page, between characters); a choice line stays whole unless it alone overflows a page.

    Linear in the reply's length: each page keeps the size of its lines so far (`Size`), and a
    line or a word is measured once when it is tried, never the whole page again (the fitting
    used to re-measure the page for every word it tried: quadratic in words, 30 % of a hop's
    CPU on a long paged text). The pages are the same as that fitting's."""
    whole = "\n".join(
        [line for text in texts for line in text.split("\n") if line.strip()] + list(choices)
    )
    if budget.fits(whole):
        return [whole]  # the common case: one page, one count
    queue: deque[tuple[str, bool]] = deque(
        [(line, True) for text in texts for line in text.split("\n") if line.strip()]
        + [(line, False) for line in choices]
    )
    more_size, back_size = Size.of(more), Size.of(back)
    pages: list[str] = []
    lines: list[str] = []
    body: Size | None = None  # the size of `lines` joined

    own_back = False  # the page holds the reply's own "0. Back" (flows.types.BACK_KEY)

    def nav(more_follows: bool, line: str = "") -> Size | None:
        # A reply's own "0. Back" choice is the page's back: not two.
        backs = pages and not (own_back or line.startswith(BACK_LINE))
        return _joined(([more_size] if more_follows else []) + ([back_size] if backs else []))

    def page_fits(line: str, extra: Size, more_follows: bool) -> bool:
        return _fits(budget, body, extra, nav(more_follows, line))

    def add(line: str, size: Size) -> None:
        nonlocal body, own_back
        lines.append(line)
        body = size if body is None else body.join(size)
        own_back = own_back or line.startswith(BACK_LINE)

    def flush(more_follows: bool = True) -> None:
        nonlocal body, own_back
        backs = pages and not own_back
        pages.append(
            "\n".join([*lines, *([more] if more_follows else []), *([back] if backs else [])])
        )
        lines.clear()
        body = None
        own_back = False

    while queue:
        line, splittable = queue[0]
        size = Size.of(line)
        if page_fits(line, size, more_follows=len(queue) > 1):
            add(line, size)
            queue.popleft()
        elif lines and (not splittable or _fits(budget, size, more_size, back_size)):
            flush()  # start the line on a fresh page rather than break it needlessly
        else:
            head, rest = _split(line, budget, body, nav(True, line))
            if not head and lines:
                flush()
                continue
            if not head:  # not even a character fits beside the page's lines: one anyway
                head, rest = line[:1], line[1:]
            add(head, Size.of(head))
            remainder = rest
            if remainder:
                queue[0] = (remainder, True)
            else:
                queue.popleft()
            if queue:
                flush()
    flush(more_follows=False)
    return pages


def _split(line: str, budget: PageBudget, body: Size | None, nav: Size | None) -> tuple[str, str]:
    """`split_to_fit` for a page holding `body` and closing with `nav`, a word at a time."""
    words = line.split(" ")
    best = 0
    head: Size | None = None
    for count, word in enumerate(words, start=1):
        size = Size.of(word)
        grown = size if head is None else head.join(size)
        if not _fits(budget, body, grown, nav):
            break
        head, best = grown, count
    if best:
        return " ".join(words[:best]), " ".join(words[best:])
    word, rest = words[0], " ".join(words[1:])
    cut = 0
    prefix = Size(True, 0, 0)
    cuts = set(_safe_cuts(word))
    for i, char in enumerate(word[:-1], start=1):
        prefix = prefix.join(Size.of(char), sep=0)
        if i in cuts and _fits(budget, body, prefix, nav):
            cut = i
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
