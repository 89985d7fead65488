"""ABDM's consent `frequency`, enforced on fetch: how often a HIU may fetch under an artefact.

ABDM signs `frequency: {unit, value, repeats}` into every artefact; it was signed here but never
checked, so a HIU granted "once an hour" could fetch as often as it liked. The meaning kept:
time is cut into windows of `value` `unit`s counted from the grant, and in each window the HIU
may fetch once and then `repeats` times more (`repeats: 0`, ABDM's usual example, is one fetch
a window; it must still allow a fetch, or the common artefact would release nothing). A fetch
is its first page; the further pages of it are free in the same window, so paging through a
release is not counted as many fetches, but paging never opens a window. MONTH is 30 days and
YEAR 365 (a window must have one length).

The count is a database row per artefact and window (`core.consent.uses`), raised by one
conditional UPDATE (`count < allowed`): racing fetches cannot exceed the limit, and a restart
forgets nothing. The refusal is 429 `consent.frequency_exceeded` with `retry_after` (seconds
until the window ends).
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F

from core.consent.uses.models import FetchWindow
from core.errors import Locked

UNIT_SECONDS: dict[str, int] = {
    "HOUR": 60 * 60,
    "DAY": 24 * 60 * 60,
    "WEEK": 7 * 24 * 60 * 60,
    "MONTH": 30 * 24 * 60 * 60,
    "YEAR": 365 * 24 * 60 * 60,
}
EXCEEDED = "consent.frequency_exceeded"


def window_of(
    frequency: dict[str, object], granted_at: datetime, now: datetime
) -> tuple[int, datetime]:
    """The number of the window `now` falls in, and when it ends."""
    value = frequency.get("value")
    unit = str(frequency.get("unit", ""))
    if unit not in UNIT_SECONDS or type(value) is not int or value < 1:
        raise ValueError(f"not a signed frequency: {frequency!r}")  # checked when asked
    length = timedelta(seconds=UNIT_SECONDS[unit] * value)
    number = max(0, (now - granted_at) // length)
    return number, granted_at + (number + 1) * length


def allowed(frequency: dict[str, object]) -> int:
    """Fetches a window allows: one, and `repeats` more."""
    repeats = frequency.get("repeats", 0)
    return 1 + (repeats if type(repeats) is int and repeats > 0 else 0)


async def claim_fetch(
    artefact_id: str,
    frequency: dict[str, object],
    granted_at: datetime,
    now: datetime,
    *,
    first_page: bool,
) -> None:
    """Count a fetch (its first page) in this window, or refuse it; later pages only check."""
    number, ends_at = window_of(frequency, granted_at, now)
    key = f"{artefact_id}:{number}"
    if first_page:
        if await _raise(key, allowed(frequency)):
            return
        try:
            await FetchWindow.create(id=key, artefact_id=artefact_id, count=1, ends_at=ends_at)
            return
        except IntegrityError:  # a racing first fetch of this window made the row
            if await _raise(key, allowed(frequency)):
                return
    elif await FetchWindow.exists(id=key, count__gte=1):
        return
    retry_after = max(1, math.ceil((ends_at - now).total_seconds()))
    raise Locked(EXCEEDED, retry_after=retry_after)


async def _raise(key: str, limit: int) -> bool:
    return await FetchWindow.filter(id=key, count__lt=limit).update(count=F("count") + 1) == 1
