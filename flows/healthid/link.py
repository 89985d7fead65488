"""Get an ABHA number with Aadhaar: an ABHA address (made with a mobile alone) linked to one.

Offered on "My Health ID"'s home only to an ABHA with no number (`HomeStep`), on every channel:

    5 (Get ABHA number) -> Type your 12-digit Aadhaar number. An OTP will check it.
    999999990019        -> Aadhaar XXXX-XXXX-0019: OTP sent. Type the 6-digit OTP ... 1. Send again
    123456              -> Your ABHA address asha.devi@sbx now has ABHA number 91-.... Hello Asha

The Aadhaar goes straight to core and is never kept (core keeps its keyed hash for one OTP's
life); only its masked form is echoed. An Aadhaar that already has an ABHA is refused after its
OTP with a reply saying to log in to that one; the person is back on their home menu.
"""

from __future__ import annotations

from core.errors import Conflict
from core.healthid import aadhaar as aadhaars
from core.healthid import mobile as mobiles
from core.services import Services
from flows import Outcome, Prompt, Step, go, msg
from flows.ctx import Ctx
from flows.proof import HEALTH_ID, OtpStep, resend_health_id


def link_steps(*, then: str) -> list[Step[Services]]:
    """The two steps, returning to `then` (the logged-in home) when done or refused."""

    async def aadhaar_given(ctx: Ctx, number: str) -> Outcome:
        ticket = await ctx.services.healthid.start_link_aadhaar(
            ctx.data["abha"], number, lang=ctx.lang, channel=ctx.channel
        )
        ctx.data.update(txn=ticket.txn_id, masked=mobiles.mask(ticket.mobile))
        return go("link_otp", msg("flows.enrol.aadhaar_sent", aadhaar=aadhaars.mask(number)))

    async def otp_given(ctx: Ctx, code: str) -> Outcome:
        try:
            person = await ctx.services.healthid.verify_link_aadhaar(
                ctx.data["abha"], ctx.data["txn"], code, channel=ctx.channel
            )
        except Conflict as refusal:
            if refusal.code not in {"aadhaar.has_abha", "abha.has_number"}:
                raise  # an expired transaction: the OTP step starts again
            forget(ctx)
            return go(then, msg(f"error.{refusal.code}"))
        forget(ctx)
        done = msg("flows.link.done", address=person.address, abha_number=person.abha_number)
        return go(then, done)

    async def restart(ctx: Ctx) -> Outcome:
        """The OTP is over: the Aadhaar typed again, since it was never kept."""
        forget(ctx)
        return go("link_aadhaar", msg("flows.otp.aadhaar_again"))

    return [
        Prompt(
            "link_aadhaar",
            "flows.link.aadhaar_ask",
            parse=aadhaars.parse,
            then=aadhaar_given,
            help_key="flows.enrol.aadhaar_help",
        ),
        OtpStep(
            "link_otp",
            HEALTH_ID,
            resend=resend_health_id,
            verify=otp_given,
            restart=restart,
            leads_to=(then, "link_aadhaar"),
        ),
    ]


def forget(ctx: Ctx) -> None:
    for key in ("txn", "masked"):
        ctx.data.pop(key, None)
