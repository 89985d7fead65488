"""One read of "which ABHAs does this mobile hold" per USSD dial, however many ask (issue 18).

Why: a dial asks three times for the same answer, once each for the caller's stored language
(webhooks.ussd_language), the facility link requests waiting for this phone (flows.linking)
and the consent requests waiting for it (flows.consent.entry): two SELECTs of three were
repeats. Why only while a dial is answered, not for a conversation: a dial writes nothing
(it shows the main menu), so the answer cannot change under it; across hops it can (an
enrolment on another channel, a deletion), and a stale "you hold no ABHA" there would be a
wrong answer. Outside `remembered()` every call reads the database as before.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from core.healthid.views import PersonView

_HELD: ContextVar[dict[str, list[PersonView]] | None] = ContextVar("held_by_mobile", default=None)


@contextmanager
def remembered() -> Iterator[None]:
    """Inside: `HealthIdService.by_mobile` reads each mobile once (the caller writes nothing)."""
    token = _HELD.set({})
    try:
        yield
    finally:
        _HELD.reset(token)


def recall(e164: str) -> list[PersonView] | None:
    """What was read for this mobile inside `remembered()`, or None."""
    memo = _HELD.get()
    return None if memo is None else memo.get(e164)


def keep(e164: str, held: list[PersonView]) -> None:
    memo = _HELD.get()
    if memo is not None:
        memo[e164] = held
