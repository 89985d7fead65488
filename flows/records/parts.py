"""Cutting a record's summary into parts small enough for one reply and the conversation's state.

Why parts at all: USSD and SMS page a long reply themselves ("98" for the next page), but to do
so they keep the reply on screen inside the conversation's saved state, and that state must stay
under 1 KB (docs/design.md §3). A Hindi discharge summary alone is over 1 KB of UTF-8 (a Devanagari
letter is 3 bytes), so the flow hands the channel one part at a time and keeps only the part's
number. Within a part the channel pages without calling the flow again. What "fits" a part is
the caller's to say (`Fits`): so many bytes, or also one SMS (`flows.records.reading`).

Cuts fall between lines; a section heading is not left as the last line of a part: it travels
with its first item, and if that item is too long to come whole, the item is cut so that its
start can. Otherwise only a line longer than a whole part is cut: between phrases where it can
(`flows.records.phrases`), else at spaces (or, for a word longer than a part, between letters,
never inside a Devanagari syllable). Nothing is dropped: the parts hold every character of the
summary, in order. A channel with small screens (USSD) also has each line broken for its
screen first (`room`), between phrases and evenly, so that its pager, which keeps a line that
fits whole, never cuts one mid-phrase (review D17).

    parts = split_summary(summary, within(160))   # [["Prescription, 5 Aug 2016", ...], [...]]
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from core.records.summary import Summary
from flows.records.phrases import Room, units, wrap

#: Does a part holding these lines fit? (It must accept any single character.)
Fits = Callable[[list[str]], bool]

_VIRAMA = "\u094d"
_JOINERS = frozenset("\u200c\u200d")


@dataclass(frozen=True, slots=True)
class Row:
    text: str
    #: A section heading ("Medicines:"): it belongs with the lines after it.
    heading: bool = False
    #: The start of a line broken for a screen: it goes on with the rest where that fits.
    glued: bool = False


def rows_of(summary: Summary) -> list[Row]:
    """`summary.lines()` (the one place lines are formatted), each marked heading or not."""
    lines = summary.lines()
    headings: set[int] = set()
    at = 1  # lines()[0] is the title
    for section in summary.sections:
        if section.heading:
            headings.add(at)
            at += 1
        at += len(section.lines)
    return [Row(line, index in headings) for index, line in enumerate(lines)]


def size(texts: list[str]) -> int:
    """UTF-8 bytes of the lines as a part holds them (joined by newlines)."""
    return len("\n".join(texts).encode())


def within(max_bytes: int) -> Fits:
    """Parts of at most `max_bytes` bytes of UTF-8."""
    return lambda texts: size(texts) <= max_bytes


def split_summary(summary: Summary, fits: Fits | None, room: Room | None = None) -> list[list[str]]:
    """The summary's lines in parts that each `fits`; one part when None. With `room`, each
    line is first broken for a screen (`flows.records.phrases.wrap`)."""
    rows = rows_of(summary)
    if room is not None:
        rows = [broken for row in rows for broken in wrap_row(row, room)]
    if fits is None:
        return [[row.text for row in rows]]
    return split_rows(rows, fits)


def wrap_row(row: Row, room: Room) -> list[Row]:
    """A row broken for a screen; a heading stays one row (it is short, and travels on)."""
    if row.heading:
        return [row]
    lines = wrap(row.text, room)
    return [Row(text, glued=index < len(lines) - 1) for index, text in enumerate(lines)]


def split_rows(rows: list[Row], fits: Fits) -> list[list[str]]:
    parts: list[list[Row]] = []
    current: list[Row] = []
    for row in _pieces(rows, fits):
        if current and not fits([r.text for r in (*current, row)]):
            carried: list[Row] = []  # headings (and a line's start) go on with what follows
            while (
                current
                and (current[-1].heading or current[-1].glued)
                and fits([r.text for r in (current[-1], *carried, row)])
            ):
                carried.insert(0, current.pop())
            while current and current[-1].heading and carried:
                current.append(carried.pop(0))  # a heading keeps its first line's start
            if current:  # else all of it went on (a heading, then a line's start)
                parts.append(current)
            current = carried
        current.append(row)
    if current:
        parts.append(current)
    return [[row.text for row in part] for part in parts] or [[]]


def _pieces(rows: list[Row], fits: Fits) -> list[Row]:
    """The rows, a row too long for a part cut at spaces; a row after a heading that cannot
    travel whole with it is cut so that its start can."""
    pieces: list[Row] = []
    for index, row in enumerate(rows):
        heading = rows[index - 1] if index and rows[index - 1].heading else None
        if heading is not None and not fits([heading.text, row.text]):
            cut = _cut_row(row, fits, first=_beside(heading, fits))
            if cut is not None:
                pieces.extend(cut)
                continue
        pieces.extend(_cut_row(row, fits, first=None) or [row])  # None comes only with `first`
    return pieces


def _beside(heading: Row, fits: Fits) -> Callable[[str], bool]:
    return lambda text: fits([heading.text, text])


def _cut_row(row: Row, fits: Fits, first: Callable[[str], bool] | None) -> list[Row] | None:
    """`row` whole if it fits, else in pieces that do (whole phrases where they fit, else
    words), the first one `first` too if given; None when a `first` is given and not even the
    row's first phrase or word passes it."""
    ok: Callable[[str], bool] = first or (lambda text: fits([text]))
    if ok(row.text):
        return [row]
    pieces: list[Row] = []
    current = ""
    for word in units(row.text, lambda text: 0 if fits([text]) else -1):
        candidate = f"{current} {word}" if current else word
        if ok(candidate):
            current = candidate
            continue
        if current:
            pieces.append(Row(current))
        elif first is not None and not pieces:
            return None  # not even the first word fits beside the heading
        ok = lambda text: fits([text])  # noqa: E731 - after the first piece, the plain rule
        while not ok(word):
            head = _cut_word(word, ok)
            pieces.append(Row(head))
            word = word[len(head) :]
        current = word
    if current:
        pieces.append(Row(current))
    return pieces


def _cut_word(word: str, ok: Callable[[str], bool]) -> str:
    """The longest head of `word` that is `ok` and does not tear a syllable apart (at least one
    character, so cutting always moves on)."""
    best = 1
    for index in range(1, len(word)):
        if not ok(word[:index]):
            break
        if _safe_cut(word, index):
            best = index
    return word[:best]


def _safe_cut(word: str, index: int) -> bool:
    return (
        unicodedata.category(word[index]) not in ("Mn", "Mc")
        and word[index] not in _JOINERS
        and word[index - 1] not in _JOINERS
        and word[index - 1] != _VIRAMA
    )
