"""A doctor proves their mobile number with an OTP before registering (`flows.proof`'s steps,
in the registry's words).

    Use 9876543210 as your mobile number? 1. Yes 2. Another number   (USSD, SMS)
    Type your mobile number, or share it with the button below        (Telegram)
    -> Type the 6-digit OTP sent to ******3210. 1. Send OTP again

Why the registry's own OTP: `ProfessionalService.register` accepts only the id of an OTP
transaction it started (`start_mobile_verification`) and that was verified within the last
30 minutes, so no channel can assert "verified" on its own. The verified transaction id is
kept as `ctx.data["txn"]` until the registration is submitted.
"""

from __future__ import annotations

from collections.abc import Callable

from core.healthid import mobile as mobiles
from core.otp.service import OtpTicket
from core.services import Services
from flows import Go, Outcome, Step, go, msg
from flows.ctx import Ctx
from flows.proof import MobileStep, OtherMobileStep, OtpStep, Then, Words

#: The Healthcare Professionals Registry's words.
DOCTOR = Words(
    confirm="find.reg.mobile.confirm",
    this="find.reg.mobile.this",
    other="find.reg.mobile.other",
    ask="find.reg.mobile.ask",
    mobile_help="find.reg.mobile.help",
    otp="find.reg.otp.ask",
    resend="find.reg.otp.resend",
    resent="find.reg.otp.resent",
    otp_format="find.reg.otp.format",
    otp_help="find.reg.otp.help",
)


async def send_otp(ctx: Ctx, mobile: str) -> Outcome:
    ticket = await ctx.services.professionals.start_mobile_verification(mobile, ctx.lang)
    ctx.data.update(mobile=ticket.mobile, txn=ticket.txn_id, masked=mobiles.mask(ticket.mobile))
    return Go("otp")


async def resend_otp(ctx: Ctx, txn: str) -> OtpTicket:
    return await ctx.services.otp.resend(txn, ctx.lang)


async def send_again(ctx: Ctx) -> Outcome:
    """The transaction is over: a new OTP to the same mobile, and the person told so."""
    await send_otp(ctx, ctx.data["mobile"])
    return go("otp", msg("find.reg.otp.renewed", mobile=ctx.data["masked"]))


def verified(after: Callable[[Ctx], Outcome]) -> Then:
    """Check the code with the registry; the transaction id stays, as the proof to submit."""

    async def verify(ctx: Ctx, code: str) -> Outcome:
        await ctx.services.professionals.verify_mobile(ctx.data["txn"], code)
        ctx.data.pop("masked", None)
        return after(ctx)

    return verify


def mobile_steps(after: Callable[[Ctx], Outcome]) -> list[Step[Services]]:
    """The steps `mobile`, `other_mobile` and `otp`; a proved mobile goes where `after` says."""
    return [
        MobileStep("mobile", DOCTOR, other_step="other_mobile", then=send_otp, leads_to=("otp",)),
        OtherMobileStep("other_mobile", DOCTOR, then=send_otp, leads_to=("otp",)),
        OtpStep("otp", DOCTOR, resend=resend_otp, verify=verified(after), restart=send_again),
    ]
