"""The page fitting as it was before it was made linear (issue 18), kept as the oracle the
linear one must agree with page for page (tests/webhooks/test_render.py): it re-measures the
whole page for every line and word it tries, which is slow but plainly right."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Sequence

from webhooks.pager import BACK_LINE, PageBudget, _safe_cuts


def reference_paginate(
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
        # A reply's own "0. Back" choice is the page's back: not two (review D12).
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
