"""Logging in: who is asking, proved by an OTP, then which of the phone's Health IDs.

    2 (My Health ID) -> Log in with 98765 43210? 1. Yes 2. ABHA number or address
    1                -> Type the 6-digit OTP sent to ******3210. 1. Send again
    123456           -> [two ABHAs on this phone] 1. Asha Devi 91-...-0123 2. Ravi Kumar ...
    1                -> (the flow's own `home` step)

Why a module of its own: it is the way into every flow that acts for a person ("My Health ID",
"My records", "My consents"), each of which lists `login_steps()` first and names its own
`home` step, where a proved holder lands (`ctx.data["abha"]` set). Being logged in lasts as long
as that flow: its data is flow-local, so the main menu logs the person out. On Telegram the OTP
also ties the chat to the mobile (core's channels registry): next time the chat picks one of
that mobile's ABHAs without a new OTP.
"""

from __future__ import annotations

from collections.abc import Iterator

from core.healthid import aadhaar as aadhaars
from core.healthid import mobile as mobiles
from core.healthid import numbers
from core.services import Services
from flows import Choice, Go, Input, Outcome, Prompt, Reply, Step, finish, go, msg, retry
from flows.ctx import Ctx, is_phone_channel
from flows.proof import HEALTH_ID, OtpStep, resend_health_id
from flows.steps import match_choice

#: Where a proved holder lands: every flow using `login_steps` has a step of this name.
HOME = "home"
#: "New SIM, old one lost" (flows.healthid.mobile_change): the ABHA number, then Aadhaar.
NEW_SIM = Go("who", flow="mobile_change", data={"lost": True})


class LoginStep(Step[Services]):
    """On USSD/SMS offer to log in with the sender's number. Elsewhere (Telegram) a chat that
    proved its mobile by OTP before may act for that mobile's ABHAs again; else ask who."""

    def __init__(self, *, new_sim: bool = False) -> None:
        super().__init__("login", help_key="flows.myid.login_help")
        self._choices: tuple[Choice, ...] = (
            Choice("self", "flows.mobile.this"),
            Choice("other", "flows.myid.by_id"),
        )
        if new_sim:  # the old SIM is lost: no OTP can reach it, so change the mobile instead
            self._choices = (*self._choices, Choice("new_sim", "recovery.mobile.new_sim"))

    async def ask(self, ctx: Ctx) -> Reply:
        if is_phone_channel(ctx):
            shown = mobiles.national(ctx.subject)
            return Reply(messages=(msg("flows.myid.login", mobile=shown),), choices=self._choices)
        linked = await ctx.services.channels.linked(ctx.channel, ctx.subject)
        ctx.data["linked"] = [numbers.compact(number) for number in linked]
        if not linked:
            return Reply(messages=(msg("flows.myid.identifier"),), request_contact=True)
        people = await people_choices(ctx, ctx.data["linked"])
        other = Choice("other", "flows.myid.by_id")
        return Reply(messages=(msg("flows.myid.choose"),), choices=(*people, other))

    async def take(self, ctx: Ctx, answer: Input) -> Outcome:
        if not is_phone_channel(ctx):
            linked: list[str] = ctx.data.get("linked") or []
            if not linked or answer.contact:
                return await start_login(ctx, answer.contact or answer.text or "")
            numbered = tuple(Choice(str(n), "") for n in range(1, len(linked) + 1))
            picked = match_choice((*numbered, Choice("other", "")), answer)
            if picked is None:
                return retry("engine.choose", max=len(linked) + 1)
            if picked.id == "other":
                return Go("identifier")
            return await act_for(ctx, linked[int(picked.id) - 1])
        choice = match_choice(self._choices, answer)
        if choice is None:
            return retry("engine.choose", max=len(self._choices))
        if choice.id == "other":
            return Go("identifier")
        if choice.id == "new_sim":
            return NEW_SIM
        return await start_login(ctx, ctx.subject)

    def targets(self) -> Iterator[str | Go]:
        return iter(["identifier", "otp", HOME, *([NEW_SIM] if len(self._choices) > 2 else [])])


async def start_login(ctx: Ctx, identifier: str) -> Outcome:
    ticket = await ctx.services.healthid.start_login(identifier, lang=ctx.lang, channel=ctx.channel)
    # ABDM names the Aadhaar's mobile only masked: the full one comes with the ABHA (`otp_given`)
    masked = mobiles.mask(ticket.mobile) if ticket.mobile else ticket.masked_mobile
    ctx.data.update(txn=ticket.txn_id, masked=masked, mobile=ticket.mobile)
    if aadhaars.is_valid(identifier):  # an Aadhaar is never kept, not even to send it again
        ctx.data.pop("who", None)
    else:
        ctx.data["who"] = identifier
    return Go("otp")


async def act_for(ctx: Ctx, number: str) -> Outcome:
    """A chat that proved its mobile acts for one of its ABHAs (no OTP: it was verified)."""
    endpoint = await ctx.services.channels.switch(ctx.channel, ctx.subject, number)
    ctx.data.pop("linked", None)
    ctx.data.update(abha=number, mobile=endpoint.mobile)
    return Go(HOME)


async def people_choices(ctx: Ctx, held: list[str]) -> tuple[Choice, ...]:
    choices = []
    for n, number in enumerate(held, 1):
        person = await ctx.services.healthid.get(number)
        if person.has_number:
            label = {"name": person.name, "abha_number": person.abha_number}
            choices.append(Choice(str(n), "flows.myid.person", label))
        else:  # made with a mobile alone: known by its ABHA address, it has no number
            label = {"name": person.name, "address": person.address}
            choices.append(Choice(str(n), "flows.myid.person_address", label))
    return tuple(choices)


async def otp_given(ctx: Ctx, code: str) -> Outcome:
    people = await ctx.services.healthid.verify_login(ctx.data["txn"], code, channel=ctx.channel)
    for key in ("txn", "masked", "who"):
        ctx.data.pop(key, None)
    active = [p for p in people if p.status == "active"]
    paused = [p for p in people if p.status == "deactivated"]
    if not active and paused:  # a deactivated ABHA logs in to be offered reactivation
        return Go(flow="leave", data={"abha": numbers.compact(paused[0].abha_number)})
    if not active:
        return finish(msg("flows.myid.none_active"))
    single = numbers.compact(active[0].abha_number) if len(active) == 1 else None
    if not ctx.data.get("mobile"):  # found by Aadhaar through ABDM: the mobile it holds
        ctx.data["mobile"], _ = await ctx.services.healthid.contact_of(active[0].abha_number)
    if not is_phone_channel(ctx):  # the OTP just verified ties this chat to the mobile
        await ctx.services.channels.link(
            ctx.channel, ctx.subject, mobile=ctx.data["mobile"], abha_number=single, lang=ctx.lang
        )
    if single is not None:
        ctx.data["abha"] = single
        return Go(HOME)
    ctx.data["choices"] = [numbers.compact(p.abha_number) for p in active]
    return Go("choose")


async def restart_login(ctx: Ctx) -> Outcome:
    """The login OTP is over: send a new one for the same identifier (an Aadhaar, never kept,
    is asked for again)."""
    if "who" not in ctx.data:
        return go("identifier", msg("flows.otp.aadhaar_again"))
    await start_login(ctx, ctx.data["who"])
    return go("otp", msg("flows.otp.renewed", mobile=ctx.data["masked"]))


class ChooseStep(Step[Services]):
    """Several ABHAs on one phone (a family): which one?"""

    def __init__(self) -> None:
        super().__init__("choose")

    async def ask(self, ctx: Ctx) -> Reply:
        choices = await people_choices(ctx, ctx.data.get("choices", []))
        return Reply(messages=(msg("flows.myid.choose"),), choices=choices)

    async def take(self, ctx: Ctx, answer: Input) -> Outcome:
        offered: list[str] = ctx.data.get("choices", [])
        choice = match_choice(tuple(Choice(str(n), "") for n in range(1, len(offered) + 1)), answer)
        if choice is None:
            return retry("engine.choose", max=len(offered))
        del ctx.data["choices"]
        if not is_phone_channel(ctx):
            return await act_for(ctx, offered[int(choice.id) - 1])
        ctx.data["abha"] = offered[int(choice.id) - 1]
        return Go(HOME)

    def targets(self) -> Iterator[str | Go]:
        return iter([HOME])


def login_steps(*, new_sim: bool = False) -> list[Step[Services]]:
    """The steps `login`, `identifier`, `otp` and `choose`, in the order a person meets them;
    the flow that lists them names its own `home` step. `new_sim` adds "New SIM, old one
    lost" to the USSD/SMS login question (My Health ID's)."""
    return [
        LoginStep(new_sim=new_sim),
        Prompt(
            "identifier",
            "flows.myid.identifier",
            then=start_login,
            leads_to=("otp",),
            help_key="flows.myid.login_help",
        ),
        OtpStep(
            "otp",
            HEALTH_ID,
            resend=resend_health_id,
            verify=otp_given,
            restart=restart_login,
            leads_to=(HOME, "choose", "identifier"),
        ),
        ChooseStep(),
    ]
