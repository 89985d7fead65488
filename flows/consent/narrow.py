"""Approving only part of a request: fewer kinds of records, fewer places, a shorter date range.

    Approve only part…  -> Which of these may Sanjeevani Hospital see? Tap one to switch it on (✓)
                           or off (✗), then Done.  [✓ OPD notes] [✓ prescriptions]
                           [✓ test reports] [Done]
    ✓ OPD notes         -> (the same question)     [✗ OPD notes] [✓ prescriptions] ...
    Done                -> From which places? ...  [✓ Apollo Clinic] [✓ Civic Hospital] [Done]
    ✓ Civic Hospital    -> ...                     [✓ Apollo Clinic] [✗ Civic Hospital] [Done]
    Done                -> Sanjeevani Hospital asked for records from 01-01-2024 to 31-12-2025.
                           Which dates may it see?  [As asked] [Last 6 months] [Last year]
                           [Last 2 years]
    Last year           -> Sanjeevani Hospital (Dr. Meera Iyer) will see your prescriptions,
                           test reports from 15-01-2025 to 31-12-2025, kept at Apollo Clinic,
                           until 30-06-2026.        [Approve this] [Start again] [Back]
    Approve this        -> Type your 4-digit PIN to let Sanjeevani Hospital see the records you
                           chose  (then `ConsentService.grant(..., narrow=...)`, as `answer`)

Why only on chat channels: a list of toggles is a screen per tap, and a feature phone's session
dies within minutes, so on USSD and SMS a request is approved as asked or denied. The steps do
not name a channel: the request step simply does not offer this on a phone (`is_phone`).

What the person keeps is held as codes and ids (`flows.consent.keep`), and the names shown are
read again from `grant_scope` whenever a step asks. A step with nothing to choose is skipped:
one kind asked, one place holding the kinds kept, no span shorter than the request's own range.
Each step reads the request afresh: answered meanwhile on another channel, it says so instead.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from core.consent.terms import day_text, ist_day
from core.consent.views import GrantScope
from core.services import Services
from flows import Choice, Go, Input, Message, Outcome, Reply, Step, go, match_choice, msg, retry
from flows.consent.current import BACK, answered, answered_message, is_open
from flows.consent.keep import (
    begin,
    date_range,
    following,
    holding,
    kept,
    onward,
    scope_of,
    spans,
)
from flows.consent.words import kinds, until_text
from flows.ctx import Ctx

DONE = Choice("done", "consent.narrow.done")
HELP = "consent.narrow.help"


def toggle(choice_id: str, on: bool, name: str | Message) -> Choice:
    return Choice(choice_id, "consent.narrow.on" if on else "consent.narrow.off", {"name": name})


def not_offered(answer: Input, count: int) -> Outcome:
    """A button that is not on offer now (a stale one) is said so; other text is a mistake."""
    if answer.choice is not None:
        return retry("consent.narrow.stale")
    return retry("engine.choose", max=count)


class NarrowStep(Step[Services]):
    """A narrowing question: asked and taken only while the request still waits (answered
    meanwhile, back to the list: `home`). `leads_to` declares where else it goes."""

    leads_to: tuple[str, ...] = ()

    async def ask(self, ctx: Ctx) -> Reply:
        scope = await scope_of(ctx)
        if not is_open(scope.request, ctx):
            return answered(scope.request, ctx)
        message, choices = self.question(ctx, scope, kept(ctx, scope))
        return Reply(messages=(message,), choices=choices)

    async def take(self, ctx: Ctx, answer: Input) -> Outcome:
        scope = await scope_of(ctx)
        if not is_open(scope.request, ctx):  # answered meanwhile: said, and back to the list
            return go("home", answered_message(scope.request, ctx))
        narrow = kept(ctx, scope)
        _, choices = self.question(ctx, scope, narrow)
        choice = match_choice(choices, answer)
        if choice is None:
            return not_offered(answer, len(choices))
        return await self.chosen(ctx, scope, narrow, choice.id)

    def question(
        self, ctx: Ctx, scope: GrantScope, narrow: dict[str, Any]
    ) -> tuple[Message, tuple[Choice, ...]]:
        raise NotImplementedError

    async def chosen(
        self, ctx: Ctx, scope: GrantScope, narrow: dict[str, Any], choice: str
    ) -> Outcome:
        raise NotImplementedError

    def targets(self) -> Iterator[str | Go]:
        return iter(("home", *self.leads_to))


class TypesStep(NarrowStep):
    """Which kinds of records: each a toggle; at least one stays on."""

    leads_to = ("narrow_types", *following("narrow_types"))

    def __init__(self) -> None:
        super().__init__("narrow_types", help_key=HELP)

    def question(
        self, ctx: Ctx, scope: GrantScope, narrow: dict[str, Any]
    ) -> tuple[Message, tuple[Choice, ...]]:
        toggles = tuple(
            toggle(f"t{kind}", kind in narrow["t"], msg(f"consent.hitype.{kind}"))
            for kind in scope.request.hi_types
        )
        return msg("consent.narrow.types", hiu=scope.request.hiu_name), (*toggles, DONE)

    async def chosen(
        self, ctx: Ctx, scope: GrantScope, narrow: dict[str, Any], choice: str
    ) -> Outcome:
        if choice == "done":
            return onward(ctx, scope, self.name)
        kind, kinds = choice[1:], narrow["t"]
        if kind in kinds and len(kinds) == 1:
            return retry("consent.narrow.keep_kind")
        on = [k for k in scope.request.hi_types if (k in kinds) != (k == kind)]
        ctx.data["narrow"] = {"t": on}  # the places follow the kinds: chosen again after Done
        return Go(self.name)


class PlacesStep(NarrowStep):
    """Which places, of those holding the kinds kept: each a toggle; at least one stays on."""

    leads_to = ("narrow_places", *following("narrow_places"))

    def __init__(self) -> None:
        super().__init__("narrow_places", help_key=HELP)

    def question(
        self, ctx: Ctx, scope: GrantScope, narrow: dict[str, Any]
    ) -> tuple[Message, tuple[Choice, ...]]:
        toggles = tuple(
            toggle(f"h{hip.id}", hip.id in narrow["h"], hip.name)
            for hip in holding(scope, narrow["t"])
        )
        return msg("consent.narrow.places", hiu=scope.request.hiu_name), (*toggles, DONE)

    async def chosen(
        self, ctx: Ctx, scope: GrantScope, narrow: dict[str, Any], choice: str
    ) -> Outcome:
        places = [hip.id for hip in holding(scope, narrow["t"])]
        on = [hip for hip in places if hip in narrow["h"]]
        if choice == "done":
            ctx.data["narrow"] = {**narrow, "h": on}
            return onward(ctx, scope, self.name)
        hip = choice[1:]
        if on == [hip]:
            return retry("consent.narrow.keep_place")
        ctx.data["narrow"] = {**narrow, "h": [h for h in places if (h in on) != (h == hip)]}
        return Go(self.name)


class DatesStep(NarrowStep):
    """Which dates: as asked, or a shorter recent span inside the request's range."""

    leads_to = ("narrow_summary",)

    def __init__(self) -> None:
        super().__init__("narrow_dates", help_key=HELP)

    def question(
        self, ctx: Ctx, scope: GrantScope, narrow: dict[str, Any]
    ) -> tuple[Message, tuple[Choice, ...]]:
        view = scope.request
        shorter = spans(view, ist_day(ctx.now()))
        choices = (
            Choice("asked", "consent.narrow.dates.asked"),
            *(Choice(name, f"consent.narrow.dates.{name}") for name, _, _ in shorter),
        )
        asked = msg(
            "consent.narrow.dates",
            hiu=view.hiu_name,
            **{"from": day_text(view.date_from), "to": day_text(view.date_to)},
        )
        return asked, choices

    async def chosen(
        self, ctx: Ctx, scope: GrantScope, narrow: dict[str, Any], choice: str
    ) -> Outcome:
        narrow.pop("d", None)
        for name, start, end in spans(scope.request, ist_day(ctx.now())):
            if name == choice:
                narrow["d"] = [start.isoformat(), end.isoformat()]
        ctx.data["narrow"] = narrow
        return Go("narrow_summary")


class SummaryStep(NarrowStep):
    """What will be shared, in plain words; then the PIN, or start again."""

    leads_to = ("confirm", "request", *following("request"))

    def __init__(self) -> None:
        super().__init__("narrow_summary", help_key=HELP)

    def question(
        self, ctx: Ctx, scope: GrantScope, narrow: dict[str, Any]
    ) -> tuple[Message, tuple[Choice, ...]]:
        view = scope.request
        start, end = date_range(view, narrow)
        chosen = tuple(kind for kind in view.hi_types if kind in narrow["t"])
        places = [hip.name for hip in holding(scope, chosen) if hip.id in narrow["h"]]
        summary = msg(
            "consent.narrow.summary",
            hiu=view.hiu_name,
            requester=view.requester_name,
            types=kinds(chosen),
            places=", ".join(places),
            until=until_text(view),
            **{"from": day_text(start), "to": day_text(end)},
        )
        choices = (
            Choice("approve", "consent.narrow.approve"),
            Choice("restart", "consent.narrow.restart"),
            BACK,
        )
        return summary, choices

    async def chosen(
        self, ctx: Ctx, scope: GrantScope, narrow: dict[str, Any], choice: str
    ) -> Outcome:
        if choice == "approve":
            ctx.data["narrow"] = narrow
            return Go("confirm", data={"action": "narrow"})
        if choice == "restart":
            return await begin(ctx)
        return Go("request")
