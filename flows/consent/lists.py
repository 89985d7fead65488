"""The lists of "My consents": requests waiting first, then active grants, past requests, and
who saw the records.

    Consents of Asha
    Waiting for your answer: 1
    1. Sanjeevani Hospital asks (4F7K)
    2. Active consents (2)
    3. Denied, revoked, expired
    4. Who saw my records

What a list offered is kept in the conversation as codes (four characters each), so an answer
is judged against what the person saw, and the state stays far under 1 KB. The list also takes
an answer by code ("YES 4F7K"), as the SMS notice invites.
"""

from __future__ import annotations

from collections.abc import Iterator

from core.consent.terms import day_text, ist_day
from core.services import Services
from flows import Choice, Go, Input, Outcome, Reply, Step, msg, retry
from flows.consent.current import BACK
from flows.consent.replies import catch_reply
from flows.consent.words import kinds, until_text
from flows.ctx import Ctx
from flows.steps import match_choice

#: How many items a list shows: a USSD screen and an SMS stay readable.
SHOWN = 5
#: What the login steps leave behind that the lists do not need.
LEFTOVERS = ("mobile", "linked", "txn", "masked", "who", "choices", "action", "via", "narrow")


def _pick(ctx: Ctx, answer: Input, prefix: str, extra: tuple[str, ...]) -> Choice | None:
    offered = [Choice(f"{prefix}{code}", "") for code in ctx.data.get("offered", [])]
    fixed = (BACK if name == BACK.id else Choice(name, "") for name in extra)
    return match_choice((*offered, *fixed), answer)


class HomeStep(Step[Services]):
    def __init__(self) -> None:
        super().__init__("home", help_key="consent.help")

    async def ask(self, ctx: Ctx) -> Reply:
        for key in LEFTOVERS:
            ctx.data.pop(key, None)
        abha = ctx.data["abha"]
        consent = ctx.services.consent
        person = await ctx.services.healthid.get(abha)
        pending = await consent.pending(abha)
        active = await consent.active(abha)
        shown = pending[:SHOWN]
        ctx.data["offered"] = [view.code for view in shown]
        head = (
            msg("consent.home.pending", count=len(pending))
            if pending
            else msg("consent.home.none_pending")
        )
        choices = tuple(
            Choice(f"r{view.code}", "consent.home.item", {"hiu": view.hiu_name, "code": view.code})
            for view in shown
        )
        choices += (
            Choice("active", "consent.home.active", {"count": len(active)}),
            Choice("past", "consent.home.past"),
            Choice("seen", "consent.home.seen"),
        )
        return Reply(messages=(msg("consent.home", name=person.first_name), head), choices=choices)

    async def take(self, ctx: Ctx, answer: Input) -> Outcome:
        caught = await catch_reply(ctx, answer)
        if caught is not None:
            return caught
        choice = _pick(ctx, answer, "r", ("active", "past", "seen"))
        if choice is None:
            return retry("engine.choose", max=len(ctx.data.get("offered", [])) + 3)
        if choice.id.startswith("r"):
            return Go("request", data={"code": choice.id[1:]})
        return Go(choice.id)

    def targets(self) -> Iterator[str | Go]:
        return iter(("request", "active", "past", "seen", "confirm"))


class ActiveStep(Step[Services]):
    """Grants in force; choosing one shows it, with "Revoke"."""

    def __init__(self) -> None:
        super().__init__("active", help_key="consent.help")

    async def ask(self, ctx: Ctx) -> Reply:
        active = (await ctx.services.consent.active(ctx.data["abha"]))[:SHOWN]
        ctx.data["offered"] = [view.code for view in active]
        if not active:
            return Reply(messages=(msg("consent.active.none"),), choices=(BACK,))
        choices = tuple(
            Choice(
                f"g{view.code}",
                "consent.active.item",
                {"hiu": view.hiu_name, "until": until_text(view)},
            )
            for view in active
        )
        return Reply(messages=(msg("consent.active.title"),), choices=(*choices, BACK))

    async def take(self, ctx: Ctx, answer: Input) -> Outcome:
        choice = _pick(ctx, answer, "g", ("back",))
        if choice is None:
            return retry("engine.choose", max=len(ctx.data.get("offered", [])) + 1)
        if choice.id == "back":
            return Go("home")
        return Go("grant", data={"code": choice.id[1:]})

    def targets(self) -> Iterator[str | Go]:
        return iter(("home", "grant"))


class PastStep(Step[Services]):
    """Denied, revoked and expired requests, most recent first."""

    def __init__(self) -> None:
        super().__init__("past", help_key="consent.help")

    async def ask(self, ctx: Ctx) -> Reply:
        past = (await ctx.services.consent.past(ctx.data["abha"]))[:SHOWN]
        if not past:
            return Reply(messages=(msg("consent.past.none"),), choices=(BACK,))
        lines = tuple(
            msg(
                "consent.past.item",
                hiu=view.hiu_name,
                status=msg(f"consent.status.{view.status.value}"),
                date=day_text(ist_day(view.updated_at)),
            )
            for view in past
        )
        return Reply(messages=(msg("consent.past.title"), *lines), choices=(BACK,))

    async def take(self, ctx: Ctx, answer: Input) -> Outcome:
        return Go("home")

    def targets(self) -> Iterator[str | Go]:
        return iter(("home",))


class SeenStep(Step[Services]):
    """Who saw the records: each fetch under a consent, newest first."""

    def __init__(self) -> None:
        super().__init__("seen", help_key="consent.help")

    async def ask(self, ctx: Ctx) -> Reply:
        seen = await ctx.services.consent.access_log(ctx.data["abha"], limit=SHOWN)
        if not seen:
            return Reply(messages=(msg("consent.seen.none"),), choices=(BACK,))
        lines = tuple(
            msg(
                "consent.seen.item",
                date=day_text(ist_day(access.at)),
                hiu=access.hiu_name,
                requester=access.requester_name,
                count=access.records,
                types=kinds(access.hi_types),
            )
            for access in seen
        )
        return Reply(messages=(msg("consent.seen.title"), *lines), choices=(BACK,))

    async def take(self, ctx: Ctx, answer: Input) -> Outcome:
        return Go("home")

    def targets(self) -> Iterator[str | Go]:
        return iter(("home",))
