"""My Health ID: log in with an OTP, then see it, get it by SMS, change the PIN or the language.

    2 (My Health ID) -> Log in with 98765 43210? 1. Yes 2. ABHA number or address
    1                -> Type the 6-digit OTP sent to ******3210. 1. Send again
    123456           -> [two ABHAs on this phone] 1. Asha Devi 91-...-0123 2. Ravi Kumar ...
    1                -> Asha Devi. 1. My details 2. Send my Health ID by SMS 3. Change PIN ...

Being logged in lasts as long as this flow: `ctx.data["abha"]` is flow-local, so going back to
the main menu logs the person out. On Telegram the OTP also ties the chat to the mobile (core's
channels registry): next time the chat picks one of that mobile's ABHAs without a new OTP, and
"Log out" unties it.
"""

from __future__ import annotations

from collections.abc import Iterator

from core.errors import ArogyaError
from core.healthid import mobile as mobiles
from core.healthid import numbers
from core.services import Services
from flows import (
    Attachment,
    Choice,
    Flow,
    Go,
    Input,
    Menu,
    Option,
    Outcome,
    Prompt,
    Reply,
    Step,
    finish,
    go,
    msg,
    retry,
)
from flows.healthid.common import (
    Ctx,
    OtpStep,
    is_phone_channel,
    parse_new_pin,
    parse_pin,
    pin_digest,
)
from flows.steps import match_choice


async def start_login(ctx: Ctx, identifier: str) -> Outcome:
    ticket = await ctx.services.healthid.start_login(identifier, lang=ctx.lang, channel=ctx.channel)
    ctx.data.update(
        txn=ticket.txn_id, masked=mobiles.mask(ticket.mobile), mobile=ticket.mobile, who=identifier
    )
    return Go("otp")


async def restart_login(ctx: Ctx) -> Outcome:
    """The login OTP is over: send a new one for the same identifier."""
    await start_login(ctx, ctx.data["who"])
    return go("otp", msg("flows.otp.renewed", mobile=ctx.data["masked"]))


class LoginStep(Step[Services]):
    """On USSD/SMS offer to log in with the sender's number. Elsewhere (Telegram) a chat that
    proved its mobile by OTP before may act for that mobile's ABHAs again; else ask who."""

    def __init__(self) -> None:
        super().__init__("login", help_key="flows.myid.login_help")
        self._choices = (Choice("self", "flows.mobile.this"), Choice("other", "flows.myid.by_id"))

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
        return await start_login(ctx, ctx.subject)

    def targets(self) -> Iterator[str | Go]:
        return iter(["identifier"])


async def act_for(ctx: Ctx, number: str) -> Outcome:
    """A chat that proved its mobile acts for one of its ABHAs (no OTP: it was verified)."""
    endpoint = await ctx.services.channels.switch(ctx.channel, ctx.subject, number)
    ctx.data.pop("linked", None)
    ctx.data.update(abha=number, mobile=endpoint.mobile)
    return Go("home")


async def people_choices(ctx: Ctx, held: list[str]) -> tuple[Choice, ...]:
    choices = []
    for n, number in enumerate(held, 1):
        person = await ctx.services.healthid.get(number)
        label = {"name": person.name, "abha_number": person.abha_number}
        choices.append(Choice(str(n), "flows.myid.person", label))
    return tuple(choices)


async def otp_given(ctx: Ctx, code: str) -> Outcome:
    people = await ctx.services.healthid.verify_login(ctx.data["txn"], code, channel=ctx.channel)
    for key in ("txn", "masked", "who"):
        ctx.data.pop(key, None)
    active = [p for p in people if p.status == "active"]
    if not active:
        return finish(msg("flows.myid.none_active"))
    single = numbers.compact(active[0].abha_number) if len(active) == 1 else None
    if not is_phone_channel(ctx):  # the OTP just verified ties this chat to the mobile
        await ctx.services.channels.link(
            ctx.channel, ctx.subject, mobile=ctx.data["mobile"], abha_number=single, lang=ctx.lang
        )
    if single is not None:
        ctx.data["abha"] = single
        return Go("home")
    ctx.data["choices"] = [numbers.compact(p.abha_number) for p in active]
    return Go("choose")


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
        return Go("home")


class HomeStep(Menu[Services]):
    """The logged-in menu, greeting the person by name."""

    async def ask(self, ctx: Ctx) -> Reply:
        person = await ctx.services.healthid.get(ctx.data["abha"])
        return Reply(
            messages=(msg("flows.myid.home", name=person.first_name),), choices=self._choices
        )


class DetailsStep(Menu[Services]):
    """Number, address and profile, with the card attached where the channel can show it."""

    async def ask(self, ctx: Ctx) -> Reply:
        person = await ctx.services.healthid.get(ctx.data["abha"])
        birth = (
            person.birth_date.strftime("%d-%m-%Y")
            if person.birth_date
            else str(person.year_of_birth or "")
        )
        details = (
            msg("flows.myid.details", name=person.name, birth=birth),
            msg(f"flows.gender.{person.gender or 'O'}"),
            msg(
                "flows.myid.details_ids",
                abha_number=person.abha_number,
                address=person.address,
                mobile=person.mobile or "",
            ),
            msg(f"flows.myid.kyc.{person.kyc}"),
        )
        card = (Attachment("health_id_card", person.abha_number),)
        return Reply(messages=details, choices=self._choices, attachments=card)


async def send_card_sms(ctx: Ctx) -> Outcome:
    person = await ctx.services.healthid.get(ctx.data["abha"])
    mobile = ctx.data.get("mobile")
    if not mobile:
        raise ArogyaError("mobile.invalid")
    params = {"name": person.name, "abha_number": person.abha_number, "address": person.address}
    await ctx.services.sms.send(mobile, "sms.card_details", params, ctx.lang)
    return go("home", msg("flows.myid.sms_sent", mobile=mobiles.mask(mobile)))


async def change_pin(ctx: Ctx) -> Outcome:
    person = await ctx.services.healthid.get(ctx.data["abha"])
    return Go("pin_old" if person.has_pin else "pin_new")


async def old_pin_given(ctx: Ctx, pin: str) -> Outcome:
    await ctx.services.healthid.verify_pin(ctx.data["abha"], pin)  # counts towards lockout
    return Go("pin_new")


async def new_pin_given(ctx: Ctx, pin: str) -> Outcome:
    ctx.data["pin"] = pin_digest(ctx, pin)
    return Go("pin_again")


async def new_pin_confirmed(ctx: Ctx, pin: str) -> Outcome:
    if pin_digest(ctx, pin) != ctx.data.pop("pin", None):
        return go("pin_new", msg("flows.pin.mismatch"))
    await ctx.services.healthid.set_pin(ctx.data["abha"], pin, channel=ctx.channel)
    return go("home", msg("flows.pin.changed"))


def language_option(code: str) -> Option[Services]:
    async def chosen(ctx: Ctx) -> Outcome:
        ctx.lang = code
        await ctx.services.healthid.update_profile(
            ctx.data["abha"], language=code, channel=ctx.channel
        )
        return go("home", msg("engine.language.set"))

    return Option(code, f"engine.language.{code}", chosen)


async def log_out(ctx: Ctx) -> Outcome:
    if not is_phone_channel(ctx):  # the chat forgets the mobile it proved
        await ctx.services.channels.unlink(ctx.channel, ctx.subject)
    return finish(msg("flows.myid.logged_out"))


def login_steps() -> list[Step[Services]]:
    """Who is asking, proved by OTP, then which of the phone's ABHAs: the way into every flow
    that acts for a person ("My Health ID", "My records", "My consents"). Each such flow
    names its own `home` step, where `ChooseStep` leads."""
    return [
        LoginStep(),
        Prompt(
            "identifier",
            "flows.myid.identifier",
            then=start_login,
            help_key="flows.myid.login_help",
        ),
        OtpStep("otp", verify=otp_given, restart=restart_login),
        ChooseStep(),
    ]


def myid_flow() -> Flow[Services]:
    return Flow[Services](
        "myid",
        [
            *login_steps(),
            HomeStep(
                "home",
                "flows.myid.home",
                [
                    Option("details", "flows.myid.show", "details"),
                    Option("sms", "flows.myid.send_sms", send_card_sms),
                    Option("pin", "flows.myid.change_pin", change_pin),
                    Option("language", "flows.myid.change_language", "language"),
                    Option("logout", "flows.myid.logout", log_out),
                ],
            ),
            DetailsStep("details", "flows.myid.details", [Option("ok", "flows.ok", "home")]),
            Prompt("pin_old", "flows.pin.old", parse=parse_pin, then=old_pin_given),
            Prompt("pin_new", "flows.pin.new", parse=parse_new_pin(), then=new_pin_given),
            Prompt("pin_again", "flows.pin.again", parse=parse_new_pin(), then=new_pin_confirmed),
            Menu(
                "language",
                "engine.language.ask",
                [language_option("en"), language_option("hi")],
            ),
        ],
        help_key="flows.myid.help",
    )
