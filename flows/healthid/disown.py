""" "This wasn't me": the owner of a mobile deletes an ABHA someone made on it, on every channel.

    NOT ME (SMS), Help -> "4. ABHA made without me" (USSD, Telegram, SMS)
    -> Was an ABHA made on this number without you knowing? ... 1. Yes, delete it 2. No
    1 -> Type the OTP sent to ******3210 1. Send OTP again
    123456 -> The ABHA made on this number is deleted. An SMS confirms it.   (END)

No PIN: whoever made the ABHA set it. On USSD and SMS the operator vouches for the sender's
number, so the OTP goes to it; only an ABHA younger than the window qualifies
(`core.leaving.disown`). Reached without any login (the owner cannot log in to an ABHA whose
PIN she never set): the keyword, and the Help page.

Several young ABHAs on one mobile (a family's): the OTP proves the mobile first, then she picks
the one to delete from a list, each shown only by its last four digits and the day it was made:

    1 -> Type the OTP sent to ******3210
    123456 -> Which ABHA was made without you? 1. ABHA ending 0123, made 05-12-2026 2. ... 3. None
    1 -> ABHA ending 0123 is deleted. An SMS confirms it.   (END)

Telegram: a chat proves a mobile only by an OTP, so it is asked which mobile, that mobile gets
the OTP, and the owner always picks from the list (she has seen no ABHA named before it). What
the chat learns before the OTP, that a number holds a young ABHA or not, is what the login tells
it too. The proof (`core.leaving.disown.Proof`) is kept in the conversation for that one choice,
as a login is; core re-checks the chosen ABHA is still young and on the proved mobile.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from core.healthid import mobile as mobiles
from core.otp.service import OtpTicket
from core.services import Services
from flows import (
    Choice,
    Flow,
    Go,
    Input,
    Menu,
    Message,
    Option,
    Outcome,
    Reply,
    Step,
    end,
    finish,
    go,
    match_choice,
    msg,
    retry,
)
from flows.ctx import Ctx, is_phone_channel
from flows.proof import HEALTH_ID, OtherMobileStep, OtpStep

FLOW = "disown"
#: `ctx.data` after a proved mobile: {"mobile": E.164, "found": [[abha, made on], ...]}.
PROVED = "proved"
#: On Telegram: "Type the mobile number the ABHA was made on" (or share the contact).
DISOWN_WORDS = replace(HEALTH_ID, ask="disown.ask_mobile", mobile_help="disown.help")


def warning(ctx: Ctx) -> Message:
    return msg("disown.warn" if is_phone_channel(ctx) else "disown.warn_chat")


async def send_otp(ctx: Ctx) -> Outcome:
    if not is_phone_channel(ctx):
        return Go("mobile")
    return await otp_to(ctx, ctx.subject)


async def otp_to(ctx: Ctx, mobile: str) -> Outcome:
    """One young ABHA on the sender's own number: its OTP deletes it. Several, or a chat: the
    OTP proves the mobile, then the list."""
    disown = ctx.services.leaving.disown
    found = await disown.candidates(mobile)
    if not found:
        days = ctx.services.settings.disown_window_days
        return finish(msg("disown.none", days=days))
    ticket: OtpTicket
    if len(found) == 1 and is_phone_channel(ctx):
        ticket = await disown.start(found[0], mobile, lang=ctx.lang, channel=ctx.channel)
        ctx.data.pop("pick", None)
    else:
        ticket = await disown.start_for_mobile(mobile, lang=ctx.lang, channel=ctx.channel)
        ctx.data["pick"] = True
    ctx.data["txn"] = ticket.txn_id
    ctx.data["masked"] = mobiles.mask(ticket.mobile)
    return Go("otp")


async def resend(ctx: Ctx, txn: str) -> OtpTicket:
    return await ctx.services.leaving.disown.resend(txn, lang=ctx.lang)


async def confirmed(ctx: Ctx, code: str) -> Outcome:
    disown = ctx.services.leaving.disown
    if not ctx.data.get("pick"):
        await disown.confirm(ctx.data["txn"], code, channel=ctx.channel)
        ctx.data.pop("txn", None)
        return end(msg("disown.done"))
    proof = await disown.prove(ctx.data["txn"], code)
    for key in ("txn", "pick", "mobile"):
        ctx.data.pop(key, None)
    if not proof.found:  # deleted or aged out while the OTP was on its way
        return finish(msg("disown.none", days=ctx.services.settings.disown_window_days))
    found = [[young.abha_number, young.created_on] for young in proof.found]
    ctx.data[PROVED] = {"mobile": proof.mobile, "found": found}
    return Go("choose")


async def kept(ctx: Ctx) -> Outcome:
    return finish(msg("disown.kept"))


async def start_again(ctx: Ctx) -> Outcome:
    """The OTP is over (expired, used up): ask again, which sends a new one."""
    return go("warn", msg("disown.otp_over"))


class ChooseStep(Step[Services]):
    """Which of the proved mobile's young ABHAs to delete, or none."""

    def __init__(self) -> None:
        super().__init__("choose", help_key="disown.help")

    def _choices(self, ctx: Ctx) -> tuple[Choice, ...]:
        found: list[list[str]] = ctx.data.get(PROVED, {}).get("found", [])
        listed = tuple(
            Choice(str(n), "disown.choice", {"last4": number[-4:], "day": day})
            for n, (number, day) in enumerate(found, 1)
        )
        return (*listed, Choice("none", "disown.keep_all"))

    async def ask(self, ctx: Ctx) -> Reply:
        return Reply(messages=(msg("disown.choose"),), choices=self._choices(ctx))

    async def take(self, ctx: Ctx, answer: Input) -> Outcome:
        choices = self._choices(ctx)
        picked = match_choice(choices, answer)
        if picked is None:
            return retry("engine.choose", max=len(choices))
        proved = ctx.data.pop(PROVED)
        if picked.id == "none":
            return finish(msg("disown.kept"))
        number = proved["found"][int(picked.id) - 1][0]
        await ctx.services.leaving.disown.erase_proved(
            number, proved["mobile"], lang=ctx.lang, channel=ctx.channel
        )
        return end(msg("disown.deleted", last4=number[-4:]))

    def targets(self) -> Iterator[str | Go]:
        return iter(())


async def mobile_given(ctx: Ctx, mobile: str) -> Outcome:
    return await otp_to(ctx, mobile)


def disown_flow() -> Flow[Services]:
    return Flow[Services](
        FLOW,
        [
            Menu(
                "warn",
                warning,
                [
                    Option("yes", "disown.warn.yes", send_otp),
                    Option("no", "disown.warn.no", kept),
                ],
            ),
            OtherMobileStep(
                "mobile",
                DISOWN_WORDS,
                then=mobile_given,
                leads_to=("otp",),
            ),
            OtpStep(
                "otp",
                HEALTH_ID,
                resend=resend,
                verify=confirmed,
                restart=start_again,
                leads_to=("warn", "choose"),
            ),
            ChooseStep(),
        ],
        help_key="disown.help",
    )


__all__ = ["FLOW", "disown_flow"]
