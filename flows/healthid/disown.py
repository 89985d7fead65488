""" "This wasn't me": the owner of a mobile deletes an ABHA someone made on it, by SMS.

    NOT ME (or मैं नहीं), a reply to the welcome SMS
    -> Was an ABHA made on this number without you knowing? ... 1. Yes, delete it 2. No
    1 -> Type the OTP sent to ******3210 1. Send OTP again
    123456 -> The ABHA made on this number is deleted. An SMS confirms it.   (END)

No PIN: whoever made the ABHA set it. The OTP to the ABHA's own mobile (the sender's number,
which the SMS gateway vouches for) is the proof; only an ABHA younger than the window qualifies
(`core.leaving.disown`). A Telegram chat proves no mobile, so it is told to use SMS. Several
young ABHAs on one mobile (a family's) are not guessed between: the sender is told to call.
"""

from __future__ import annotations

from core.healthid import mobile as mobiles
from core.otp.service import OtpTicket
from core.services import Services
from flows import Flow, Go, Menu, Option, Outcome, end, finish, go, msg
from flows.ctx import Ctx, is_phone_channel
from flows.proof import HEALTH_ID, OtpStep

FLOW = "disown"


async def send_otp(ctx: Ctx) -> Outcome:
    if not is_phone_channel(ctx):
        return finish(msg("disown.phone_only"))
    disown = ctx.services.leaving.disown
    found = await disown.candidates(ctx.subject)
    if not found:
        days = ctx.services.settings.disown_window_days
        return finish(msg("disown.none", days=days))
    if len(found) > 1:
        return finish(msg("disown.many"))
    ticket = await disown.start(found[0], ctx.subject, lang=ctx.lang, channel=ctx.channel)
    ctx.data["txn"] = ticket.txn_id
    ctx.data["masked"] = mobiles.mask(ticket.mobile)
    return Go("otp")


async def resend(ctx: Ctx, txn: str) -> OtpTicket:
    return await ctx.services.leaving.disown.resend(txn, lang=ctx.lang)


async def confirmed(ctx: Ctx, code: str) -> Outcome:
    await ctx.services.leaving.disown.confirm(ctx.data["txn"], code, channel=ctx.channel)
    ctx.data.pop("txn", None)
    return end(msg("disown.done"))


async def kept(ctx: Ctx) -> Outcome:
    return finish(msg("disown.kept"))


async def start_again(ctx: Ctx) -> Outcome:
    """The OTP is over (expired, used up): ask again, which sends a new one."""
    return go("warn", msg("disown.otp_over"))


def disown_flow() -> Flow[Services]:
    return Flow[Services](
        FLOW,
        [
            Menu(
                "warn",
                "disown.warn",
                [
                    Option("yes", "disown.warn.yes", send_otp),
                    Option("no", "disown.warn.no", kept),
                ],
            ),
            OtpStep(
                "otp",
                HEALTH_ID,
                resend=resend,
                verify=confirmed,
                restart=start_again,
                leads_to=("warn",),
            ),
        ],
        help_key="disown.help",
    )
