"""My Health ID: log in with an OTP, then see it, get it by SMS, change the PIN or the language.

    2 (My Health ID) -> Log in with 98765 43210? 1. Yes 2. ABHA number or address
    1                -> Type the 6-digit OTP sent to ******3210. 1. Send again
    123456           -> [two ABHAs on this phone] 1. Asha Devi 91-...-0123 2. Ravi Kumar ...
    1                -> Asha Devi. 1. My details 2. Send my Health ID by SMS 3. Change PIN ...

The login is `flows.login`'s. Being logged in lasts as long as this flow: `ctx.data["abha"]` is
flow-local, so going back to the main menu logs the person out. On Telegram "Log out" also
unties the chat from the mobile it proved.
"""

from __future__ import annotations

from core.errors import ArogyaError
from core.healthid import mobile as mobiles
from core.healthid.views import PersonView
from core.services import Services
from flows import (
    Attachment,
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
    finish,
    go,
    msg,
    retry,
)
from flows.ctx import Ctx, is_phone_channel
from flows.healthid import leave
from flows.healthid.link import link_steps
from flows.healthid.mobile_change import change_mobile
from flows.healthid.recover import ForgettablePin, forgot_pin
from flows.login import login_steps
from flows.pin import parse_new_pin, pin_digest
from flows.steps import match_choice, reach

#: The home option only an ABHA with no number (made with a mobile alone) is offered.
LINK_AADHAAR = "aadhaar"


class HomeStep(Menu[Services]):
    """The logged-in menu, greeting the person by name.

    An ABHA address made with a mobile alone is also offered "Get an ABHA number with Aadhaar"
    (`flows.healthid.link`); one that has a number is not, and its numbering is unchanged.
    """

    async def _person_choices(self, ctx: Ctx) -> tuple[PersonView, tuple[Choice, ...]]:
        person = await ctx.services.healthid.get(ctx.data["abha"])
        if person.has_number:
            return person, tuple(c for c in self._choices if c.id != LINK_AADHAAR)
        return person, self._choices

    async def ask(self, ctx: Ctx) -> Reply:
        person, choices = await self._person_choices(ctx)
        return Reply(messages=(msg("flows.myid.home", name=person.first_name),), choices=choices)

    async def take(self, ctx: Ctx, answer: Input) -> Outcome:
        _, choices = await self._person_choices(ctx)
        choice = match_choice(choices, answer)
        if choice is None:
            return retry("engine.choose", max=len(choices))
        option = next(o for o in self.options if o.id == choice.id)
        return await reach(ctx, option.to)


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
            ids_details(person),
            msg(f"flows.myid.kyc.{person.kyc}"),
        )
        card = (Attachment("health_id_card", person.abha_number),)
        return Reply(messages=details, choices=self._choices, attachments=card)


def ids_details(person: PersonView) -> Message:
    """Number, address and mobile; an ABHA with no number (mobile alone) shows its address."""
    mobile = person.mobile or ""
    if not person.has_number:
        return msg("flows.myid.details_ids_address", address=person.address, mobile=mobile)
    return msg(
        "flows.myid.details_ids",
        abha_number=person.abha_number,
        address=person.address,
        mobile=mobile,
    )


async def send_card_sms(ctx: Ctx) -> Outcome:
    person = await ctx.services.healthid.get(ctx.data["abha"])
    mobile = ctx.data.get("mobile")
    if not mobile:
        raise ArogyaError("mobile.invalid")
    params = {"name": person.name, "address": person.address}
    key = "sms.card_details"
    if person.has_number:
        params["abha_number"] = person.abha_number
    else:  # made with a mobile alone: an ABHA address, no number to show
        key = "sms.card_details_address"
    await ctx.services.sms.send(mobile, key, params, ctx.lang)
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


def myid_flow() -> Flow[Services]:
    return Flow[Services](
        "myid",
        [
            *login_steps(new_sim=True),
            HomeStep(
                "home",
                "flows.myid.home",
                [
                    Option("details", "flows.myid.show", "details"),
                    Option("sms", "flows.myid.send_sms", send_card_sms),
                    Option("pin", "flows.myid.change_pin", change_pin),
                    Option("language", "flows.myid.change_language", "language"),
                    Option("logout", "flows.myid.logout", log_out),
                    # after "Log out", so the numbers people (and transcripts) know stay put
                    Option("forgot", "recovery.pin.forgot", forgot_pin),
                    Option("mobile", "recovery.mobile.option", change_mobile),
                    # last, so the numbers above stay as people learned them
                    Option("leave", "leave.entry", leave.enter),
                    # shown only to an ABHA with no number, so it goes last: no number above moves
                    Option(LINK_AADHAAR, "flows.link.option", "link_aadhaar"),
                ],
            ),
            DetailsStep("details", "flows.myid.details", [Option("ok", "flows.ok", "home")]),
            ForgettablePin("pin_old", "flows.pin.old", then=old_pin_given, leads_to=("pin_new",)),
            Prompt("pin_new", "flows.pin.new", parse=parse_new_pin(), then=new_pin_given),
            Prompt("pin_again", "flows.pin.again", parse=parse_new_pin(), then=new_pin_confirmed),
            Menu(
                "language",
                "engine.language.ask",
                [language_option("en"), language_option("hi")],
            ),
            *link_steps(then="home"),
        ],
        help_key="flows.myid.help",
    )
