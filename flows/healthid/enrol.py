"""Create a Health ID, with Aadhaar (verified) or with a mobile number only (self-declared).

The steps in the order a person meets them (USSD, English), nine inputs in all:

    1 (Create)      -> How? 1. With Aadhaar 2. With mobile number only
    1               -> Use Aadhaar to create your ABHA and check it by OTP? 1. Yes 2. No
                       3. Read the terms                       (one screen; the terms one key away)
    1               -> Type your 12-digit Aadhaar number
    999999990019    -> OTP sent for Aadhaar XXXX-XXXX-0019. Type the OTP. 1. Send again
    123456          -> Choose your ABHA address: 1. shivshankar1990 2. ... 4. Type my own
    1               -> Set a 4-digit PIN
    4826            -> Type the PIN again
    4826            -> Shiv Shankar, M, 1990, shivshankar1990@abdm, ******3210. 1. Create 2. Cancel
    1               -> END Your Health ID is ready. ABHA number 91-2345-6789-0123, address ...

On USSD the OTP goes to the caller's own number without asking "this number?": the operator
has proved it (the network delivered the dial). SMS asks (its sender can be forged, and a helper
may enrol someone with another phone); Telegram asks for the number.

The Aadhaar number is never kept: it goes straight to core with the mobile, and only its
masked form is echoed. The PIN is kept only as a keyed digest until it is confirmed.
"""

from __future__ import annotations

from typing import Any

from core.healthid import aadhaar as aadhaars
from core.healthid import mobile as mobiles
from core.healthid.views import Enrolment, PersonView
from core.services import Services
from flows import (
    Attachment,
    Choice,
    Flow,
    Go,
    Input,
    Menu,
    Message,
    Next,
    Option,
    Outcome,
    Prompt,
    Reply,
    Step,
    end,
    finish,
    go,
    msg,
    retry,
)
from flows.ctx import Ctx, is_phone_channel
from flows.healthid.profile import profile_steps
from flows.pin import parse_new_pin, pin_digest
from flows.proof import HEALTH_ID, MobileStep, OtherMobileStep, OtpStep, resend_health_id
from flows.steps import match_choice


async def mobile_chosen(ctx: Ctx, mobile: str) -> Outcome:
    """Aadhaar path: the Aadhaar OTP will go to this mobile; mobile path: send its OTP now."""
    if ctx.data.get("path") == "aadhaar":
        return Go("aadhaar")
    ticket = await ctx.services.healthid.start_mobile(mobile, lang=ctx.lang, channel=ctx.channel)
    ctx.data.update(txn=ticket.txn_id, masked=mobiles.mask(ticket.mobile))
    return Go("otp")


async def restart_otp(ctx: Ctx) -> Outcome:
    """The OTP is over: a new one to the same mobile, or (Aadhaar) the number typed again,
    since it was never kept."""
    if ctx.data.get("path") == "aadhaar":
        return go("aadhaar", msg("flows.otp.aadhaar_again"))
    ticket = await ctx.services.healthid.start_mobile(
        ctx.data["mobile"], lang=ctx.lang, channel=ctx.channel
    )
    ctx.data.update(txn=ticket.txn_id, masked=mobiles.mask(ticket.mobile))
    return go("otp", msg("flows.otp.renewed", mobile=ctx.data["masked"]))


async def aadhaar_given(ctx: Ctx, number: str) -> Outcome:
    ticket = await ctx.services.healthid.start_aadhaar(
        number, ctx.data["mobile"], lang=ctx.lang, channel=ctx.channel
    )
    ctx.data.update(txn=ticket.txn_id, masked=mobiles.mask(ticket.mobile))
    sent = msg("flows.enrol.aadhaar_sent", aadhaar=aadhaars.mask(number))
    return go("otp", sent)


def exists_reply(person: PersonView) -> Outcome:
    return finish(
        ids_message("flows.enrol.exists", "flows.enrol.exists_address", person),
        attachments=(Attachment("health_id_card", person.abha_number),),
    )


def ids_message(key: str, address_key: str, person: PersonView) -> Message:
    """`key` with the ABHA number and address, or `address_key` with the address alone for
    an ABHA with no number (made with a mobile alone): its internal key is never shown."""
    if person.has_number:
        return msg(key, abha_number=person.abha_number, address=person.address)
    return msg(address_key, address=person.address)


async def otp_given(ctx: Ctx, code: str) -> Outcome:
    healthid = ctx.services.healthid
    enrolment: Enrolment
    if ctx.data.get("path") == "aadhaar":
        enrolment = await healthid.verify_aadhaar(ctx.data["txn"], code)
    else:
        enrolment = await healthid.verify_mobile(ctx.data["txn"], code)
    if enrolment.existing is not None:
        return exists_reply(enrolment.existing)
    ctx.data["draft"] = enrolment.draft_id
    for key in ("txn", "masked"):
        ctx.data.pop(key, None)
    if enrolment.needs_profile and await healthid.by_mobile(ctx.data["mobile"]):
        return Go("held")  # look before creating: offer what this mobile already holds
    return Go("first_name" if enrolment.needs_profile else "address")


class HeldStep(Menu[Services]):
    """The mobile just proved by OTP already holds ABHAs: log in to one, or make another.

    ABDM's rule, in both registries: an existing ABHA is offered, never silently duplicated.
    A family may share a phone, so making another stays possible (up to the mobile's cap).
    The addresses are read from core when asked, never kept in the conversation.
    """

    async def ask(self, ctx: Ctx) -> Reply:
        held = await ctx.services.healthid.by_mobile(ctx.data["mobile"])
        addresses = ", ".join(person.address for person in held)
        return Reply(
            messages=(msg("flows.enrol.held", addresses=addresses),), choices=self._choices
        )


class AddressStep(Step[Services]):
    """Pick a suggested ABHA address, or choose to type one's own."""

    def __init__(self) -> None:
        super().__init__("address", help_key="flows.enrol.address_help")

    async def ask(self, ctx: Ctx) -> Reply:
        # Two on a phone, so "type my own" shares the first Hindi screen (80 characters) and
        # is never hidden behind 98; three on a chat. "Type my own" covers the rest.
        shown = 2 if is_phone_channel(ctx) else 3
        suggestions = (await ctx.services.healthid.suggest_addresses(ctx.data["draft"]))[:shown]
        ctx.data["offered"] = suggestions
        suffix = ctx.services.settings.abha_address_suffix
        choices = tuple(
            Choice(str(n), "engine.verbatim", {"text": f"{handle}@{suffix}"})
            for n, handle in enumerate(suggestions, 1)
        )
        own = Choice("own", "flows.enrol.address_own")
        return Reply(messages=(msg("flows.enrol.address_ask"),), choices=(*choices, own))

    async def take(self, ctx: Ctx, answer: Input) -> Outcome:
        offered: list[str] = ctx.data.get("offered", [])
        choices = (*(Choice(str(n), "") for n in range(1, len(offered) + 1)), Choice("own", ""))
        choice = match_choice(choices, answer)
        if choice is None:
            return retry("engine.choose", max=len(choices))
        if choice.id == "own":
            return Go("address_own")
        return await address_chosen(ctx, offered[int(choice.id) - 1])

    def targets(self) -> Any:
        return iter(["address_own"])


async def address_chosen(ctx: Ctx, handle: str) -> Outcome:
    enrolment = await ctx.services.healthid.choose_address(ctx.data["draft"], handle)
    ctx.data.pop("offered", None)
    return go("pin", msg("flows.enrol.address_saved", address=enrolment.address or handle))


async def pin_given(ctx: Ctx, pin: str) -> Outcome:
    ctx.data["pin"] = pin_digest(ctx, pin)
    return Next()


async def pin_confirmed(ctx: Ctx, pin: str) -> Outcome:
    if pin_digest(ctx, pin) != ctx.data.pop("pin", None):
        return go("pin", msg("flows.pin.mismatch"))
    await ctx.services.healthid.set_draft_pin(ctx.data["draft"], pin)
    return Next()


class ConfirmStep(Menu[Services]):
    """Show the summary to confirm; it is read from core each time it is asked, never kept."""

    async def ask(self, ctx: Ctx) -> Reply:
        enrolment = await ctx.services.healthid.draft(ctx.data["draft"])
        birth = (
            enrolment.birth_date.strftime("%d-%m-%Y")
            if enrolment.birth_date
            else str(enrolment.year_of_birth or "")
        )
        lines = [
            msg("flows.enrol.confirm", name=enrolment.name or "", birth=birth),
            msg(f"flows.gender.{enrolment.gender or 'O'}"),
        ]
        if not is_phone_channel(ctx):
            # A phone shows the question on one screen: the address was on screen two hops
            # ago and the mobile is the one in hand, so "1. Create" is not hidden behind 98
            # (a Hindi page holds 80 characters; issue 14's journey time).
            lines.append(
                msg(
                    "flows.enrol.confirm_ids",
                    address=enrolment.address or "",
                    mobile=enrolment.mobile,
                )
            )
        return Reply(messages=tuple(lines), choices=self._choices)


async def create(ctx: Ctx) -> Outcome:
    person = await ctx.services.healthid.finish(ctx.data["draft"], channel=ctx.channel)
    mobile = ctx.data.get("mobile")
    if mobile:  # the welcome SMS, and on a chat the chat tied to the new ABHA
        await ctx.services.welcome.greet(
            person, mobile=mobile, channel=ctx.channel, address=ctx.subject, lang=ctx.lang
        )
    done = ids_message("flows.enrol.done", "flows.enrol.done_address", person)
    card = (Attachment("health_id_card", person.abha_number),)
    return end(done, attachments=card)


async def cancel(ctx: Ctx) -> Outcome:
    return finish(msg("flows.enrol.cancelled"))


def choose_path(path: str) -> Any:
    async def chosen(ctx: Ctx) -> Outcome:
        ctx.data["path"] = path
        return Go("consent") if path == "aadhaar" else await to_mobile(ctx)

    return chosen


async def to_mobile(ctx: Ctx) -> Outcome:
    """Which mobile gets the OTP: on USSD the caller's own (proved by the network), else asked."""
    if ctx.channel != "ussd":
        return Go("mobile")
    ctx.data["mobile"] = mobiles.parse(ctx.subject)
    return await mobile_chosen(ctx, ctx.data["mobile"])


def enrol_flow() -> Flow[Services]:
    return Flow[Services](
        "enrol",
        [
            Menu(
                "how",
                "flows.enrol.how",
                [
                    Option("aadhaar", "flows.enrol.with_aadhaar", choose_path("aadhaar")),
                    Option("mobile", "flows.enrol.with_mobile", choose_path("mobile")),
                ],
                help_key="flows.enrol.how_help",
            ),
            Menu(
                "consent",
                "flows.enrol.consent_short",
                [
                    Option("agree", "flows.enrol.consent_yes", to_mobile),
                    Option("decline", "flows.enrol.consent_no", "declined"),
                    Option("terms", "flows.enrol.consent_terms", "terms"),
                ],
                help_key="flows.enrol.consent_help",
            ),
            Menu(
                "terms",
                "flows.enrol.consent",
                [
                    Option("agree", "flows.enrol.consent_agree", to_mobile),
                    Option("decline", "flows.enrol.consent_decline", "declined"),
                ],
            ),
            MobileStep(
                "mobile",
                HEALTH_ID,
                other_step="mobile_other",
                then=mobile_chosen,
                leads_to=("aadhaar", "otp"),
            ),
            OtherMobileStep(
                "mobile_other", HEALTH_ID, then=mobile_chosen, leads_to=("aadhaar", "otp")
            ),
            Prompt(
                "aadhaar",
                "flows.enrol.aadhaar_ask",
                parse=aadhaars.parse,
                then=aadhaar_given,
                help_key="flows.enrol.aadhaar_help",
            ),
            OtpStep(
                "otp",
                HEALTH_ID,
                resend=resend_health_id,
                verify=otp_given,
                restart=restart_otp,
                leads_to=("first_name", "address", "aadhaar", "held"),
            ),
            HeldStep(
                "held",
                "flows.enrol.held",
                [
                    Option("login", "flows.enrol.held_login", go(flow="myid")),
                    Option("new", "flows.enrol.held_new", "first_name"),
                ],
            ),
            *profile_steps(then="address"),
            AddressStep(),
            Prompt(
                "address_own",
                "flows.enrol.address_type",
                then=address_chosen,
                help_key="flows.enrol.address_help",
            ),
            Prompt("pin", "flows.pin.new", parse=parse_new_pin(), then=pin_given),
            Prompt("pin_again", "flows.pin.again", parse=parse_new_pin(), then=pin_confirmed),
            ConfirmStep(
                "confirm",
                "flows.enrol.confirm",
                [
                    Option("create", "flows.enrol.create", create),
                    Option("cancel", "flows.enrol.cancel", cancel),
                ],
            ),
            Menu(
                "declined",
                "flows.enrol.consent_declined",
                [
                    Option("mobile", "flows.enrol.with_mobile", choose_path("mobile")),
                    Option("menu", "flows.menu", go(flow="main")),
                ],
            ),
        ],
        help_key="flows.enrol.help",
    )
