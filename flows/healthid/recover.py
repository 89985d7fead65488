"""Forgot PIN: an OTP to the ABHA's mobile, then a new PIN, typed twice.

    [a PIN prompt] 9         -> Forgot your PIN? Type the 6-digit OTP sent to ******3210.
                                1. Send OTP again
    123456                   -> Set a 4-digit PIN. It protects your records.
    4826                     -> Type the PIN again
    4826                     -> Your new PIN is set. (main menu)

Reached from wherever a person meets a PIN ("9. Forgot PIN" under the records PIN prompt and
"Type your current PIN" in My Health ID) and from the My Health ID menu; `forgot_pin` is the
one way in, for a flow that knows whose ABHA it is (`ctx.data["abha"]`).

Why this order: the OTP first, because what it proves (a one-time grant, in core) is what lets
the new PIN be set at all, and a PIN is never kept in the conversation, only core's digest
between its two typings. A locked PIN stays locked until this succeeds; the OTP has its own
limit of wrong codes (core's rules, said by `OtpStep`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from typing import Any

from core.errors import ArogyaError
from core.healthid import mobile as mobiles
from core.healthid import pins
from core.services import Services
from flows import Choice, Flow, Go, Input, Message, Outcome, Prompt, Reply, finish, go, msg
from flows.ctx import Ctx, is_phone_channel
from flows.pin import parse_pin, pin_digest
from flows.proof import HEALTH_ID, OtpStep, resend_health_id

FLOW = "pin_reset"
Then = Callable[[Ctx, Any], Awaitable[Outcome]]
#: What a PIN prompt accepts instead of a PIN: "forgot it" (a PIN has four digits).
FORGOT = "9"
#: The refusals that end a reset: start again from the menu.
OVER = frozenset({"recovery.expired", "recovery.used", "recovery.mobile_moved"})


#: The button a chat shows for it (on USSD and SMS the hint "9. Forgot PIN" is typed).
FORGOT_CHOICE = Choice("forgot", "recovery.pin.forgot")


def is_forgot(answer: Input) -> bool:
    return answer.choice == FORGOT_CHOICE.id or (answer.text or "").strip() == FORGOT


def pin_question(ctx: Ctx, *messages: Message) -> Reply:
    """A PIN prompt with its way out: "9. Forgot PIN" on a phone, a button in a chat."""
    if is_phone_channel(ctx):
        return Reply.of(*messages, msg("recovery.pin.forgot_hint"))
    return Reply(messages=messages, choices=(FORGOT_CHOICE,))


async def forgot_pin(ctx: Ctx) -> Outcome:
    """Start a reset for the ABHA this flow acts for: an OTP to its mobile, then its question."""
    abha = ctx.data["abha"]
    ticket = await ctx.services.healthid.start_pin_reset(abha, lang=ctx.lang, channel=ctx.channel)
    data = {"abha": abha, "txn": ticket.txn_id, "masked": mobiles.mask(ticket.mobile)}
    return go("otp", msg("recovery.pin.start"), flow=FLOW, data=data)


async def otp_given(ctx: Ctx, code: str) -> Outcome:
    grant = await ctx.services.healthid.verify_pin_reset(ctx.data["txn"], code, channel=ctx.channel)
    for key in ("txn", "masked"):
        ctx.data.pop(key, None)
    ctx.data["grant"] = grant
    return Go("new")


async def restart(ctx: Ctx) -> Outcome:
    """The OTP is over (expired, resent too often): a new one to the same mobile."""
    ticket = await ctx.services.healthid.start_pin_reset(
        ctx.data["abha"], lang=ctx.lang, channel=ctx.channel
    )
    ctx.data.update(txn=ticket.txn_id, masked=mobiles.mask(ticket.mobile))
    return go("otp", msg("flows.otp.renewed", mobile=ctx.data["masked"]))


async def new_given(ctx: Ctx, pin: str) -> Outcome:
    person = await ctx.services.healthid.get(ctx.data["abha"])
    pins.check_strength(pin, person.year_of_birth)  # pin.weak: said, asked again
    ctx.data["pin"] = pin_digest(ctx, pin)
    return Go("again")


async def confirmed(ctx: Ctx, pin: str) -> Outcome:
    if pin_digest(ctx, pin) != ctx.data.pop("pin", None):
        return go("new", msg("flows.pin.mismatch"))
    try:
        await ctx.services.healthid.reset_pin(ctx.data["grant"], pin, channel=ctx.channel)
    except ArogyaError as refusal:
        if refusal.code in OVER:
            return finish(msg(f"error.{refusal.code}"))
        raise
    return finish(msg("recovery.pin.done"))


def pin_reset_flow() -> Flow[Services]:
    return Flow[Services](
        FLOW,
        [
            OtpStep(
                "otp",
                HEALTH_ID,
                resend=resend_health_id,
                verify=otp_given,
                restart=restart,
                leads_to=("new",),
            ),
            Prompt("new", "flows.pin.new", parse=parse_pin, then=new_given, leads_to=("again",)),
            Prompt("again", "flows.pin.again", parse=parse_pin, then=confirmed, leads_to=("new",)),
        ],
        help_key="recovery.pin.help",
    )


class ForgettablePin(Prompt[Services]):
    """A PIN prompt that also offers "9. Forgot PIN" and takes that to `forgot_pin`."""

    def __init__(self, name: str, prompt: str, *, then: Then, leads_to: tuple[str, ...]) -> None:
        super().__init__(name, prompt, parse=parse_pin, then=then, leads_to=leads_to)

    async def ask(self, ctx: Ctx) -> Reply:
        return pin_question(ctx, msg(str(self.prompt)))

    async def take(self, ctx: Ctx, answer: Input) -> Outcome:
        if is_forgot(answer):
            return await forgot_pin(ctx)
        return await super().take(ctx, answer)

    def targets(self) -> Iterator[str | Go]:
        yield from super().targets()
        yield Go("otp", flow=FLOW)
