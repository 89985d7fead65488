"""Change mobile: the PIN, proof of the old phone (or Aadhaar, when its SIM is lost), then an
OTP to the new phone.

    [My Health ID] 5 -> Change mobile number. 1. I have my old SIM 2. My old SIM is lost
    1                -> Type the new 10-digit mobile number
    91234 56789      -> Type your 4-digit PIN
    4826             -> Type the 6-digit OTP sent to ******3210      (the old mobile)
    123456           -> Type the 6-digit OTP sent to ******6789      (the new mobile)
    654321           -> Done: your ABHA now uses ******6789. (the old number is told by SMS)

With "2. My old SIM is lost" an Aadhaar OTP replaces the old mobile's, for an Aadhaar-verified
ABHA only (a self-declared one is told so, at once). Reached from My Health ID (logged in), and
on USSD and SMS from My Health ID's login question ("3. New SIM, old one lost",
`flows.login.NEW_SIM`), where no OTP to the old phone is possible: there the ABHA number is
asked first and the Aadhaar path is the only one.

Why the Aadhaar number is asked last and used at once: it must never sit in the conversation's
state (docs/design.md §2); nor may the PIN, so the PIN's turn opens the change in core (the
change id is what the state keeps) and each proof after it is core's to check.
"""

from __future__ import annotations

from dataclasses import replace

from core.errors import ArogyaError
from core.healthid import aadhaar as aadhaars
from core.healthid import mobile as mobiles
from core.healthid import numbers
from core.services import Services
from flows import Flow, Go, Menu, Option, Outcome, Prompt, finish, go, msg
from flows.ctx import Ctx, is_phone_channel
from flows.pin import parse_pin
from flows.proof import HEALTH_ID, OtherMobileStep, OtpStep, resend_health_id

FLOW = "mobile_change"
WORDS = replace(HEALTH_ID, ask="recovery.mobile.new", mobile_help="recovery.mobile.help")
#: Refusals after which this change cannot go on: say so, back to the menu.
OVER = frozenset(
    {
        "recovery.expired",
        "recovery.used",
        "recovery.needs_kyc",
        "recovery.not_proved",
        "recovery.lost_sim_abdm",
    }
)
#: Refusals of the new number (checked before the PIN is): type another number.
NEW_REFUSED = frozenset({"recovery.mobile_same", "mobile.cap_reached"})
#: What the conversation keeps only while the change is under way.
KEPT = ("lost", "new", "change", "txn", "masked")


async def change_mobile(ctx: Ctx) -> Outcome:
    """From My Health ID: the ABHA this flow acts for, old SIM or lost SIM?"""
    return Go("how", flow=FLOW, data={"abha": ctx.data["abha"]})


async def old_sim(ctx: Ctx) -> Outcome:
    ctx.data["lost"] = False
    return Go("new")


async def lost_sim(ctx: Ctx) -> Outcome:
    person = await ctx.services.healthid.get(ctx.data["abha"])
    if person.kyc != "verified":  # nothing but the old phone can prove a self-declared ABHA
        return finish(msg("error.recovery.needs_kyc"))
    ctx.data["lost"] = True
    return Go("new")


async def who_given(ctx: Ctx, text: str) -> Outcome:
    person = await ctx.services.healthid.get(text)  # abha.invalid / abha.not_found: said
    if person.kyc != "verified":
        return finish(msg("error.recovery.needs_kyc"))
    ctx.data["abha"] = numbers.compact(person.abha_number)
    return Go("new")


async def new_given(ctx: Ctx, mobile: str) -> Outcome:
    ctx.data["new"] = mobile
    return Go("pin")


async def pin_given(ctx: Ctx, pin: str) -> Outcome:
    services = ctx.services
    try:
        change = await services.healthid.open_mobile_change(
            ctx.data["abha"], ctx.data["new"], pin, channel=ctx.channel
        )
    except ArogyaError as refusal:
        if refusal.code in NEW_REFUSED:  # the number, not the PIN, was wrong: ask for another
            return go("new", msg(f"error.{refusal.code}", **refusal.params))
        raise
    ctx.data["change"] = change
    if ctx.data.get("lost"):
        return Go("aadhaar")
    ticket = await services.healthid.prove_old_mobile(change, lang=ctx.lang)
    ctx.data.update(txn=ticket.txn_id, masked=mobiles.mask(ticket.mobile))
    return Go("holder_otp")


async def aadhaar_given(ctx: Ctx, aadhaar: str) -> Outcome:
    """Used in this turn and forgotten: only core's keyed hash ever meets it."""
    try:
        ticket = await ctx.services.healthid.prove_by_aadhaar(
            ctx.data["change"], aadhaar, lang=ctx.lang
        )
    except ArogyaError as refusal:
        if refusal.code in OVER:
            return finish(msg(f"error.{refusal.code}"))
        raise
    ctx.data.update(txn=ticket.txn_id, masked=mobiles.mask(ticket.mobile))
    return Go("holder_otp")


async def holder_proved(ctx: Ctx, code: str) -> Outcome:
    ticket = await ctx.services.healthid.confirm_mobile_holder(ctx.data["txn"], code, lang=ctx.lang)
    ctx.data.update(txn=ticket.txn_id, masked=mobiles.mask(ticket.mobile))
    return go("new_otp", msg("recovery.mobile.now_new"))


async def holder_restart(ctx: Ctx) -> Outcome:
    """The holder's OTP is over: the Aadhaar again, or a new OTP to the old phone."""
    if ctx.data.get("lost"):
        return go("aadhaar", msg("flows.otp.aadhaar_again"))
    ticket = await ctx.services.healthid.prove_old_mobile(ctx.data["change"], lang=ctx.lang)
    ctx.data.update(txn=ticket.txn_id, masked=mobiles.mask(ticket.mobile))
    return go("holder_otp", msg("flows.otp.renewed", mobile=ctx.data["masked"]))


async def new_restart(ctx: Ctx) -> Outcome:
    """The new phone's OTP is over: nothing is changed, start again."""
    return finish(msg("error.recovery.expired"))


async def new_proved(ctx: Ctx, code: str) -> Outcome:
    services = ctx.services
    changed = await services.healthid.finish_mobile_change(
        ctx.data["txn"], code, channel=ctx.channel
    )
    person = changed.person
    shown = mobiles.mask(changed.new_mobile)
    if changed.old_mobile is not None:  # the old number is told, in the holder's language
        params = {"abha_number": person.abha_number, "mobile": shown}
        await services.sms.send(changed.old_mobile, "sms.mobile_changed", params, person.language)
    if not is_phone_channel(ctx):  # this chat just proved the new mobile: it follows
        await services.channels.link(
            ctx.channel,
            ctx.subject,
            mobile=changed.new_mobile,
            abha_number=person.abha_number,
            lang=ctx.lang,
        )
    for key in KEPT:
        ctx.data.pop(key, None)
    return finish(msg("recovery.mobile.done", mobile=shown))


def mobile_change_flow() -> Flow[Services]:
    return Flow[Services](
        FLOW,
        [
            Menu(
                "how",
                "recovery.mobile.how",
                [
                    Option("old", "recovery.mobile.old_sim", old_sim),
                    Option("lost", "recovery.mobile.lost_sim", lost_sim),
                ],
            ),
            Prompt("who", "recovery.mobile.who", then=who_given, leads_to=("new",)),
            OtherMobileStep("new", WORDS, then=new_given, leads_to=("pin",)),
            Prompt(
                "pin",
                "recovery.mobile.pin",
                parse=parse_pin,
                then=pin_given,
                leads_to=("aadhaar", "holder_otp", "new"),
            ),
            Prompt(
                "aadhaar",
                "recovery.mobile.aadhaar",
                parse=aadhaars.parse,
                then=aadhaar_given,
                leads_to=("holder_otp",),
            ),
            OtpStep(
                "holder_otp",
                HEALTH_ID,
                resend=resend_health_id,
                verify=holder_proved,
                restart=holder_restart,
                leads_to=("new_otp", "aadhaar"),
            ),
            OtpStep(
                "new_otp",
                HEALTH_ID,
                resend=resend_health_id,
                verify=new_proved,
                restart=new_restart,
            ),
        ],
        help_key="recovery.mobile.help",
    )
