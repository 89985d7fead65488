"""What a partial approval keeps, and which of its questions comes next.

A narrowing is kept in `ctx.data["narrow"]` as codes and ids only: `{"t": [HI types],
"h": [HIP ids], "d": [from, to]}` (ISO dates, absent when the dates are as asked), and turned
into the `Narrowing` that `ConsentService.grant` takes. The names shown for them are read again
from `grant_scope` whenever a step asks, so the conversation stays far under 1 KB (see
docs/design.md §3).

The shorter date ranges count back from today in the Indian calendar ("Last year" on
15-01-2026 is 15-01-2025 to 15-01-2026) and are clipped to the request's own range; one that
would not shorten it, or would leave no day, is not offered.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from datetime import date
from typing import Any

from core.consent.terms import ist_day
from core.consent.views import ConsentView, GrantScope, HipChoice, Narrowing
from flows import Go, Message, Outcome, retry
from flows.ctx import Ctx, is_phone_channel

#: The shorter ranges offered, as months back from today, each clipped to the request's range.
SPANS: tuple[tuple[str, int], ...] = (("6m", 6), ("1y", 12), ("2y", 24))
#: The steps in the order a person meets them (the first is where narrowing is chosen).
ORDER = ("request", "narrow_types", "narrow_places", "narrow_dates", "narrow_summary")


def following(done: str) -> tuple[str, ...]:
    """The steps `onward` may lead to after `done` (declared by the steps, for the engine)."""
    return ORDER[ORDER.index(done) + 1 :]


def months_before(day: date, months: int) -> date:
    """The same day `months` earlier (the month's last day when it is shorter)."""
    years, month0 = divmod(day.month - 1 - months, 12)
    year, month = day.year + years, month0 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def spans(view: ConsentView, today: date) -> list[tuple[str, date, date]]:
    """The "last N months" choices clipped to the request's range: only those shorter than it,
    and each range once (two spans clipped alike are one choice)."""
    found: list[tuple[str, date, date]] = []
    for name, months in SPANS:
        start = max(view.date_from, months_before(today, months))
        end = min(view.date_to, today)
        seen = {(view.date_from, view.date_to), *((s, e) for _, s, e in found)}
        if start <= end and (start, end) not in seen:
            found.append((name, start, end))
    return found


def holding(scope: GrantScope, kinds: Sequence[str]) -> list[HipChoice]:
    """The places holding records of any of `kinds`, in the order `grant_scope` gives them."""
    return [hip for hip in scope.hips if set(hip.hi_types) & set(kinds)]


def kept(ctx: Ctx, scope: GrantScope) -> dict[str, Any]:
    """What is kept so far: by default everything asked, from every place holding it."""
    narrow = dict(ctx.data.get("narrow") or {})
    narrow.setdefault("t", list(scope.request.hi_types))
    narrow.setdefault("h", [hip.id for hip in holding(scope, narrow["t"])])
    return narrow


def date_range(view: ConsentView, narrow: dict[str, Any]) -> tuple[date, date]:
    dates = narrow.get("d")
    if not dates:
        return view.date_from, view.date_to
    return date.fromisoformat(dates[0]), date.fromisoformat(dates[1])


def narrowing(data: dict[str, Any]) -> Narrowing:
    """The `Narrowing` to grant, from what the conversation kept."""
    narrow = data.get("narrow") or {}
    dates = narrow.get("d")
    return Narrowing(
        hi_types=frozenset(narrow["t"]) if "t" in narrow else None,
        hip_ids=frozenset(narrow["h"]) if "h" in narrow else None,
        date_from=date.fromisoformat(dates[0]) if dates else None,
        date_to=date.fromisoformat(dates[1]) if dates else None,
    )


async def scope_of(ctx: Ctx) -> GrantScope:
    return await ctx.services.consent.grant_scope(ctx.data["abha"], ctx.data["code"])


async def offers_narrowing(ctx: Ctx) -> bool:
    """Narrowing is offered off the phone channels, when some place holds records to share."""
    return not is_phone_channel(ctx) and bool((await scope_of(ctx)).hips)


async def begin(ctx: Ctx, *say: Message) -> Outcome:
    """Start (or start again): everything asked is kept; on to the first step with a choice."""
    scope = await scope_of(ctx)
    ctx.data["narrow"] = {"t": list(scope.request.hi_types)}
    return onward(ctx, scope, "request", say)


def onward(ctx: Ctx, scope: GrantScope, done: str, say: Sequence[Message] = ()) -> Outcome:
    """After `done`, the next step that has something to choose from."""
    narrow = kept(ctx, scope)
    steps = following(done)
    step = steps[-1]
    for step in steps:
        if step == "narrow_types" and len(scope.request.hi_types) > 1:
            break
        if step == "narrow_places":
            places = holding(scope, narrow["t"])
            if not places:
                return retry("consent.narrow.no_records")
            narrow["h"] = [hip.id for hip in places]
            if len(places) > 1:
                break
        if step == "narrow_dates":
            narrow.pop("d", None)
            if spans(scope.request, ist_day(ctx.now())):
                break
    ctx.data["narrow"] = narrow
    return Go(step, say=tuple(say))
