"""Where a summary line may break: between phrases first, between words only inside a phrase.

Why: a record's lines are long ("- Utamide 50 mg oral tablet(Bicalutamide 50 mg oral
tablet): as written "(1)-Twice a day (Duration:8)" (for cough)"), and a USSD screen holds 80
characters in Hindi. Cut at the last word that fits, a line left "(1)-Twice a" on one screen and
"(cough के लिए)" alone on the next (review D17). A phrase ends after ", ", "; ", ": ", "। "
or a sentence's ". ", and before " (" (a reason, a note), so a break there leaves each screen a
piece that reads on its own; a phrase too long for a line is broken between its words. A
quoted instruction stays with its label (`अस्पताल ने लिखा "..."`).

`wrap` breaks a line for a screen evenly (fewest lines, then the most even ones), so that its
last line is not a lone fragment either. It never breaks inside a word: a word longer than a
line keeps its own line, and the channel's pager cuts it (that pager also keeps syllables whole).
"""

from __future__ import annotations

from collections.abc import Callable

#: How many characters a line of this text leaves free (negative: it does not fit). The caller
#: knows its screen: its size, its encoding, what else shares it.
Room = Callable[[str], int]

_ENDS = frozenset(",;:।")
_STARTS = frozenset("(")
#: A full stop ends a phrase after a word this long or longer ("weeks.", not "Dr." or "A.P.").
_SENTENCE_WORD = 4


def _ends_phrase(text: str, index: int) -> bool:
    """Does the space at `index` end a phrase? After ", ; : ।", after a sentence's full stop,
    or before "(" (a reason, a note: "(for cough)")."""
    before, after = text[index - 1], text[index + 1]
    if before in _ENDS or after in _STARTS:
        return True
    if before != ".":
        return False
    word = text[:index].rsplit(" ", 1)[-1]
    return len(word) > _SENTENCE_WORD and "." not in word[:-1]


def phrases(text: str) -> list[str]:
    """`text` cut at the spaces between phrases; joined by single spaces they are `text`."""
    found: list[str] = []
    start = 0
    for index, char in enumerate(text):
        if char != " " or index == 0 or index + 1 >= len(text):
            continue
        if _ends_phrase(text, index):
            found.append(text[start:index])
            start = index + 1
    found.append(text[start:])
    return [phrase for phrase in found if phrase]


def units(text: str, room: Room) -> list[str]:
    """The pieces a line is built of: its phrases, and the words of a phrase too long alone."""
    return [
        unit
        for phrase in phrases(text)
        for unit in ([phrase] if room(phrase) >= 0 else [w for w in phrase.split(" ") if w])
    ]


def wrap(text: str, room: Room) -> list[str]:
    """`text` as lines that each have `room`, broken at spaces, as even as can be: the least
    sum, over its lines, of the squared free room, plus a penalty for a break inside a phrase
    (half a line's width, squared), so that a phrase breaks only to
    spare a line that would be a lone fragment ("(cough के लिए)"). A line of one word is
    always allowed (the pager cuts it)."""
    if room(text) >= 0:
        return [text]
    words = [word for word in text.split(" ") if word]
    ends = _phrase_ends(words)
    penalty = (max(room(""), 0) // 2) ** 2
    count = len(words)
    best: list[tuple[int, int]] = [(0, 0)] * (count + 1)  # (cost, where the last line begins)
    for end in range(1, count + 1):
        chosen: tuple[int, int] | None = None
        for begin in range(end - 1, -1, -1):
            free = room(" ".join(words[begin:end]))
            if free < 0 and end - begin > 1:
                break  # longer lines only get longer
            broken = 0 if end == count or ends[end - 1] else penalty
            cost = best[begin][0] + max(free, 0) ** 2 + broken
            if chosen is None or cost < chosen[0]:
                chosen = (cost, begin)
        assert chosen is not None  # the one-word line is always a candidate
        best[end] = chosen
    lines: list[str] = []
    end = count
    while end:
        begin = best[end][1]
        lines.insert(0, " ".join(words[begin:end]))
        end = begin
    return lines


def _phrase_ends(words: list[str]) -> list[bool]:
    """For each word, whether a phrase ends after it (as `phrases` cuts)."""
    text = " ".join(words)
    ends: list[bool] = []
    at = 0
    for word in words:
        at += len(word)
        ends.append(at < len(text) and _ends_phrase(text, at))
        at += 1
    return ends
