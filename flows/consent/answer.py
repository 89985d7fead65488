"""One request or grant, and answering it with the PIN.

    1 (Sanjeevani Hospital asks)  -> Dr. Meera Iyer of Sanjeevani Hospital asks to see your
                                     prescriptions from 01-01-2024 to 20-11-2026, for your care,
                                     until 20-12-2026. Code 4F7K. 1. Approve 2. Deny 3. Back
    1                             -> Type your 4-digit PIN to let Sanjeevani Hospital see these
                                     records
    4826                          -> Approved. Sanjeevani Hospital can see these records from 1
                                     place(s) until 20-12-2026. (the list again)

On USSD and SMS a request is approved as asked or denied. On a chat channel (Telegram) the
request also offers "Approve only part…", and so does the PIN question after an answer to the
notice ("YES 4F7K"): narrowing (fewer kinds, places or dates, `flows.consent.narrow`) ends at
the PIN too, and then `ConsentService.grant(..., narrow=...)`. A wrong PIN is said with the
tries left and asked again; a lockout, a request answered meanwhile (on another channel) or one
with nothing to share ends the answer with the reason, nothing changed; a narrowing that turns
out to share nothing is said, and chosen again.
"""

from __future__ import annotations

from collections.abc import Iterator

from core.consent.models import ConsentStatus
from core.errors import ArogyaError
from core.healthid import pins
from core.services import Services
from flows import Choice, Go, Input, Message, Outcome, Reply, Step, end, go, msg, retry
from flows.consent.current import BACK, answered, current, is_open
from flows.consent.keep import begin, following, narrowing, offers_narrowing
from flows.consent.words import grant_params, request_params, until_text
from flows.ctx import Ctx
from flows.steps import match_choice

#: Refusals that a new PIN cannot fix: say them and leave the question.
RETRYABLE = frozenset({"pin.invalid", "pin.format"})
#: Refusals of a narrowing (it shares nothing, or no longer fits the request): choose again.
RENARROW = frozenset({"consent.narrow_invalid", "consent.nothing_to_share"})
APPROVE = Choice("approve", "consent.request.approve")
NARROW = Choice("narrow", "consent.request.narrow")
DENY = Choice("deny", "consent.request.deny")
#: The one-screen question of USSD (`RequestStep`): the same answers, in words that fit it.
QUICK = (
    Choice("approve", "consent.quick.yes"),
    Choice("deny", "consent.quick.no"),
    Choice("details", "consent.quick.details"),
    BACK,
)


class RequestStep(Step[Services]):
    """A request waiting for an answer: what it asks, and Approve / Deny (and, on a chat
    channel, "Approve only part…").

    On USSD the request is first a one-screen question ("Show your records to Sanjeevani
    Hospital? 1. Yes 2. No 3. Read in full"), with the whole request one key away (the step
    `request_full`, `full=True`), as the Aadhaar consent of enrolment is: a Hindi page holds 80
    characters, and the whole request ran over three of them before a person could answer
    (issue 14: approving in at most 4 inputs). Being a step of its own, the whole request is
    left with the keypad's "0" (the engine's back) for the question again."""

    def __init__(self, name: str = "request", *, full: bool = False) -> None:
        super().__init__(name, help_key="consent.help")
        self.full = full

    def _quick(self, ctx: Ctx) -> bool:
        return ctx.channel == "ussd" and not self.full

    async def _choices(self, ctx: Ctx) -> tuple[Choice, ...]:
        if self._quick(ctx):
            return QUICK
        if await offers_narrowing(ctx):
            return APPROVE, NARROW, DENY, BACK
        return APPROVE, DENY, BACK

    async def ask(self, ctx: Ctx) -> Reply:
        view = await current(ctx)
        if not is_open(view, ctx):
            return answered(view, ctx)
        if self._quick(ctx):
            question = msg("consent.quick.ask", hiu=view.hiu_name)
            return Reply(messages=(question,), choices=QUICK)
        details = msg("consent.request.details", **request_params(view))
        return Reply(messages=(details,), choices=await self._choices(ctx))

    async def take(self, ctx: Ctx, answer: Input) -> Outcome:
        view = await current(ctx)
        choices = await self._choices(ctx) if is_open(view, ctx) else (BACK,)
        choice = match_choice(choices, answer)
        if choice is None:
            return retry("engine.choose", max=len(choices))
        if choice.id == "back":
            return Go("home")
        if choice.id == "details":
            return Go("request_full")
        if choice.id == "narrow":
            return await begin(ctx)
        ctx.data.pop("narrow", None)
        return Go("confirm", data={"action": choice.id})

    def targets(self) -> Iterator[str | Go]:
        full = () if self.full else ("request_full",)
        return iter(("home", *full, "confirm", *following("request")))


class GrantStep(Step[Services]):
    """A grant in force: what it covers, and Revoke."""

    def __init__(self) -> None:
        super().__init__("grant", help_key="consent.help")
        self._choices = (Choice("revoke", "consent.grant.revoke"), BACK)

    async def ask(self, ctx: Ctx) -> Reply:
        view = await current(ctx)
        if view.status_now(ctx.now()) is not ConsentStatus.GRANTED:
            return answered(view, ctx)
        details = msg("consent.grant.details", **grant_params(view))
        return Reply(messages=(details,), choices=self._choices)

    async def take(self, ctx: Ctx, answer: Input) -> Outcome:
        view = await current(ctx)
        live = view.status_now(ctx.now()) is ConsentStatus.GRANTED
        choices = self._choices if live else (BACK,)
        choice = match_choice(choices, answer)
        if choice is None:
            return retry("engine.choose", max=len(choices))
        if choice.id == "back":
            return Go("active")
        return Go("confirm", data={"action": "revoke"})

    def targets(self) -> Iterator[str | Go]:
        return iter(("active", "confirm"))


class ConfirmStep(Step[Services]):
    """The PIN, then the answer (`ctx.data["action"]`: approve, narrow, deny or revoke).

    Approving as asked on a chat channel also offers "Approve only part…" (a button, so a
    typed number is never taken for it): an answer to the notice ("YES 4F7K") lands here."""

    def __init__(self) -> None:
        super().__init__("confirm", help_key="consent.help")

    async def _choices(self, ctx: Ctx) -> tuple[Choice, ...]:
        if ctx.data["action"] == "approve" and await offers_narrowing(ctx):
            return (NARROW,)
        return ()

    async def ask(self, ctx: Ctx) -> Reply:
        view = await current(ctx)
        said = msg(f"consent.pin.{ctx.data['action']}", hiu=view.hiu_name)
        return Reply(messages=(said,), choices=await self._choices(ctx))

    async def take(self, ctx: Ctx, answer: Input) -> Outcome:
        if answer.choice is not None and answer.choice in {c.id for c in await self._choices(ctx)}:
            return await begin(ctx)
        pin = pins.check_format((answer.text or "").strip())  # pin.format: said, asked again
        consent, abha, code = ctx.services.consent, ctx.data["abha"], ctx.data["code"]
        action = ctx.data["action"]
        try:
            if action in ("approve", "narrow"):
                narrow = narrowing(ctx.data) if action == "narrow" else None
                view = await consent.grant(abha, code, pin, channel=ctx.channel, narrow=narrow)
                done = msg(
                    "consent.done.granted",
                    hiu=view.hiu_name,
                    count=len(view.artefacts),
                    until=until_text(view),
                )
            elif action == "deny":
                view = await consent.deny(abha, code, pin, channel=ctx.channel)
                done = msg("consent.done.denied", hiu=view.hiu_name)
            else:
                view = await consent.revoke(abha, code, pin, channel=ctx.channel)
                done = msg("consent.done.revoked", hiu=view.hiu_name)
        except ArogyaError as refusal:
            if refusal.code in RETRYABLE:
                raise
            if action == "narrow" and refusal.code in RENARROW:
                return await begin(ctx, msg("consent.narrow.nothing"))
            return _leave(ctx, msg(f"error.{refusal.code}", **refusal.params))
        return _leave(ctx, done)

    def targets(self) -> Iterator[str | Go]:
        return iter(("home", *following("request")))


def _leave(ctx: Ctx, said: Message) -> Outcome:
    """After an answer: an answer by code ends there; one from the lists goes back to them."""
    if ctx.data.get("via") == "code":
        return end(said)
    return go("home", said)
