"""Deactivate, reactivate or delete my ABHA: from "My Health ID", after the OTP login.

    My Health ID -> 6. Deactivate or delete
    -> 1. Deactivate (pause) 2. Delete for ever     (deactivated: 1. Reactivate 2. Delete ...)
    2 -> Deleting wipes your details now and erases ... in 7 days ... 1. Yes 2. No, keep it
    1 -> Type your 4-digit PIN          (core checks it, with its lockout)
    4826 -> Type the 6-digit OTP sent to ******3210 1. Send OTP again
    123456 -> Your ABHA is deleted. An SMS confirms it.   (END: the person is gone)

The rules (PIN, OTP, what a deletion forgets, the SMS) are `core.leaving`'s; this flow only
asks. `ctx.data` holds `abha` (given by My Health ID), `action`, `txn` and `masked`.
"""

from __future__ import annotations

from core.healthid import mobile as mobiles
from core.leaving.service import ACTIONS, Action, parse_action
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
    Prompt,
    Reply,
    end,
    finish,
    go,
    match_choice,
    msg,
    retry,
)
from flows.ctx import Ctx
from flows.pin import parse_pin
from flows.proof import HEALTH_ID, OtpStep
from flows.steps import reach

FLOW = "leave"


class ChooseStep(Menu[Services]):
    """Deactivate or delete an active ABHA; reactivate or delete a deactivated one."""

    def _offered(self, ctx: Ctx) -> list[Option[Services]]:
        keep = ("reactivate", "delete") if ctx.data.get("paused") else ("deactivate", "delete")
        return [option for option in self.options if option.id in keep]

    async def ask(self, ctx: Ctx) -> Reply:
        await self._read_status(ctx)
        key = "leave.choose.paused" if ctx.data.get("paused") else "leave.choose.ask"
        choices = tuple(Choice(o.id, o.label) for o in self._offered(ctx))
        return Reply(messages=(msg(key),), choices=choices)

    async def take(self, ctx: Ctx, answer: Input) -> Outcome:
        offered = self._offered(ctx)
        choice = match_choice(tuple(Choice(o.id, o.label) for o in offered), answer)
        if choice is None:
            return retry("engine.choose", max=len(offered))
        option = next(o for o in offered if o.id == choice.id)
        return await reach(ctx, option.to)

    @staticmethod
    async def _read_status(ctx: Ctx) -> None:
        person = await ctx.services.healthid.get(ctx.data["abha"])
        ctx.data["paused"] = person.status == "deactivated"


def action_option(action: Action) -> Option[Services]:
    async def chosen(ctx: Ctx) -> Outcome:
        ctx.data["action"] = action
        return Go("warn")

    return Option(action, f"leave.choose.{action}", chosen)


def warning(ctx: Ctx) -> Message:
    return msg(f"leave.warn.{ctx.data.get('action', 'delete')}")


async def pin_given(ctx: Ctx, pin: str) -> Outcome:
    action = parse_action(ctx.data.get("action"))
    ticket = await ctx.services.leaving.start(
        ctx.data["abha"], action, pin, lang=ctx.lang, channel=ctx.channel
    )
    ctx.data["txn"] = ticket.txn_id
    ctx.data["masked"] = mobiles.mask(ticket.mobile)
    return Go("otp")


async def resend(ctx: Ctx, txn: str) -> OtpTicket:
    return await ctx.services.leaving.resend(txn, lang=ctx.lang)


async def kept(ctx: Ctx) -> Outcome:
    return finish(msg("leave.kept"))


async def confirmed(ctx: Ctx, code: str) -> Outcome:
    done = await ctx.services.leaving.confirm(ctx.data["txn"], code, channel=ctx.channel)
    ctx.data.pop("txn", None)  # only once used: a wrong code is asked again with it
    if done == "reactivate":
        return finish(msg("leave.done.reactivate"))
    return end(msg(f"leave.done.{done}"))


async def start_again(ctx: Ctx) -> Outcome:
    """The OTP is over (expired, used up): ask for the PIN again, which sends a new one."""
    return go("pin", msg("leave.otp_over"))


def leave_flow() -> Flow[Services]:
    return Flow[Services](
        FLOW,
        [
            ChooseStep("choose", "leave.choose.ask", [action_option(a) for a in ACTIONS]),
            Menu(
                "warn",
                warning,
                [
                    Option("yes", "leave.warn.yes", "pin"),
                    Option("no", "leave.warn.no", kept),
                ],
            ),
            Prompt("pin", "leave.pin", parse=parse_pin, then=pin_given, leads_to=("otp",)),
            OtpStep(
                "otp",
                HEALTH_ID,
                resend=resend,
                verify=confirmed,
                restart=start_again,
                leads_to=("pin",),
            ),
        ],
        help_key="leave.help",
    )


async def enter(ctx: Ctx) -> Outcome:
    """My Health ID's way in: the logged-in ABHA goes along, nothing else."""
    return Go(flow=FLOW, data={"abha": ctx.data["abha"]})
