"""A doctor proves their mobile number with an OTP before registering.

    Use 9876543210 as your mobile number? 1. Yes 2. Another number   (USSD, SMS)
    Type your mobile number, or share it with the button below        (Telegram)
    -> Type the 6-digit OTP sent to ******3210. 1. Send OTP again

Why the registry's own OTP: `ProfessionalService.register` accepts only the id of an OTP
transaction it started (`start_mobile_verification`) and that was verified within the last
30 minutes, so no channel can assert "verified" on its own. The verified transaction id is
kept as `ctx.data["txn"]` until the registration is submitted.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from core.errors import ArogyaError
from core.healthid import mobile as mobiles
from core.services import Services
from flows import Choice, Go, Input, Invalid, Outcome, Reply, Step, finish, go, msg, retry
from flows.find.common import Ctx
from flows.steps import match_choice

#: Channels where the sender's phone number is who they are (Telegram knows only a chat id).
PHONE_CHANNELS = frozenset({"ussd", "sms"})
#: OTP refusals that end the transaction: a new OTP is sent rather than codes re-typed.
OTP_OVER = frozenset({"otp.expired", "otp.unknown", "otp.resend_limit", "otp.used"})
THIS = Choice("self", "find.reg.mobile.this")
OTHER = Choice("other", "find.reg.mobile.other")
RESEND = Choice("resend", "find.reg.otp.resend")


async def send_otp(ctx: Ctx, mobile: str) -> Outcome:
    ticket = await ctx.services.professionals.start_mobile_verification(mobile, ctx.lang)
    ctx.data.update(mobile=ticket.mobile, txn=ticket.txn_id, masked=mobiles.mask(ticket.mobile))
    return Go("otp")


def typed_mobile(answer: Input) -> str:
    text = answer.contact or answer.text
    if not text:
        raise Invalid("find.reg.mobile.ask")
    return mobiles.parse(text)  # mobile.invalid, said by the engine


class MobileStep(Step[Services]):
    """Which mobile? The sender's own on USSD and SMS (or another); typed or shared elsewhere."""

    def __init__(self, name: str, *, other_step: str) -> None:
        super().__init__(name, help_key="find.reg.mobile.help")
        self.other_step = other_step

    async def ask(self, ctx: Ctx) -> Reply:
        if ctx.channel in PHONE_CHANNELS:
            confirm = msg("find.reg.mobile.confirm", mobile=mobiles.national(ctx.subject))
            return Reply(messages=(confirm,), choices=(THIS, OTHER))
        return Reply(messages=(msg("find.reg.mobile.ask"),), request_contact=True)

    async def take(self, ctx: Ctx, answer: Input) -> Outcome:
        if ctx.channel not in PHONE_CHANNELS:
            return await send_otp(ctx, typed_mobile(answer))
        choice = match_choice((THIS, OTHER), answer)
        if choice is None:
            return retry("engine.choose", max=2)
        if choice is OTHER:
            return Go(self.other_step)
        return await send_otp(ctx, mobiles.parse(ctx.subject))

    def targets(self) -> Iterator[str | Go]:
        return iter([self.other_step, "otp"])


class OtherMobileStep(Step[Services]):
    def __init__(self, name: str) -> None:
        super().__init__(name, help_key="find.reg.mobile.help")

    async def ask(self, ctx: Ctx) -> Reply:
        return Reply(messages=(msg("find.reg.mobile.ask"),), request_contact=True)

    async def take(self, ctx: Ctx, answer: Input) -> Outcome:
        return await send_otp(ctx, typed_mobile(answer))


class OtpStep(Step[Services]):
    """Type the OTP, or "1" for a new one; a verified code moves on where `after` says."""

    def __init__(self, name: str, *, after: Callable[[Ctx], Outcome]) -> None:
        super().__init__(name, help_key="find.reg.otp.help")
        self.after = after

    async def ask(self, ctx: Ctx) -> Reply:
        asked = msg("find.reg.otp.ask", mobile=ctx.data.get("masked", ""))
        return Reply(messages=(asked,), choices=(RESEND,))

    async def take(self, ctx: Ctx, answer: Input) -> Outcome:
        try:
            if match_choice((RESEND,), answer) is not None:
                await ctx.services.otp.resend(ctx.data["txn"], ctx.lang)
                return retry("find.reg.otp.resent", counts=False, mobile=ctx.data["masked"])
            code = (answer.text or "").replace(" ", "")
            if not (len(code) == 6 and code.isascii() and code.isdigit()):
                raise Invalid("find.reg.otp.format")
            await ctx.services.professionals.verify_mobile(ctx.data["txn"], code)
        except ArogyaError as refusal:
            if refusal.code == "otp.resend_too_soon":  # a wait, not a mistake
                return retry(f"error.{refusal.code}", counts=False, **refusal.params)
            if refusal.code == "otp.locked":  # nothing more to try here for a while
                return finish(msg(f"error.{refusal.code}", **refusal.params))
            if refusal.code not in OTP_OVER:
                raise
            await send_otp(ctx, ctx.data["mobile"])
            return go(self.name, msg("find.reg.otp.renewed", mobile=ctx.data["masked"]))
        ctx.data.pop("masked", None)
        return self.after(ctx)
