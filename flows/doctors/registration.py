""" "I am a doctor": registering with the Healthcare Professionals Registry, on any channel.

The steps in the order a doctor meets them (SMS, English):

    DOCTOR          -> Register as a doctor in the national registry ... 1. Start 2. Find a doctor
    1               -> Your full name, as your medical council has it
    Asha Rao        -> Use 9876543210 as your mobile number? 1. Yes 2. Another number
    1               -> Type the 6-digit OTP sent to ******3210. 1. Send OTP again
    123456          -> Your email address (0 if none)
    0               -> Your medical council: 1. National Medical Commission ... 7. More (or MH)
    MH              -> Your registration number with the council
    2012/03/1234    -> Year of registration, then qualification, college, university, year,
    ...                specialisation, system of medicine, years of experience, HFR facility id
    IN2712345678    -> Please check: Asha Rao, mobile ... 1. Correct, continue 2. Start again
    1               -> MBBS, KGMU, ... 1. Submit for verification 2. Start again
    1               -> Thank you, Asha Rao. ... your HPR ID is 71-4476-3475-2431 ...

A refusal only the registry can make (a number registered meanwhile, a mobile proof older
than 30 minutes) sends the doctor back to that one answer, and from it straight back to the
check.

The registration waits (PENDING) for the council; the council's decision reaches the doctor on
the channel they registered from (SMS to the proven mobile; on Telegram, this chat), in the
language of this conversation. One qualification is asked (the one the council registered):
every answer lives in the conversation's small state, so each is short and checked as typed.
"""

from __future__ import annotations

from core.errors import ArogyaError, NotFound
from core.professionals.application import Application, Qualification
from core.professionals.councils import COUNCILS
from core.professionals.masters import (
    SPECIALISATIONS,
    SYSTEMS_OF_MEDICINE,
    specialisation_key,
    system_key,
)
from core.services import Services
from flows import (
    Choice,
    Flow,
    Go,
    Invalid,
    Menu,
    Next,
    Option,
    Outcome,
    Prompt,
    end,
    go,
    msg,
)
from flows.ctx import Ctx
from flows.doctors import answers
from flows.doctors.check import CheckStep, training, who
from flows.doctors.mobile import mobile_steps
from flows.find.common import Chosen, PagedPick
from flows.find.doctor import FLOW as FIND_DOCTOR

FLOW = "hpr"
CORRECT = Choice("correct", "find.reg.correct")
SUBMIT = Choice("submit", "find.reg.submit")


def council_choices(ctx: Ctx) -> list[Choice]:
    """The National Medical Commission first, then the state councils (the registry's order)."""
    return [Choice(council.code, council.label_key) for council in COUNCILS.values()]


def store_choice(field: str, then: str) -> Chosen:
    async def chosen(ctx: Ctx, code: str) -> Outcome:
        ctx.data[field] = code
        return Go(then)

    return chosen


def onward(ctx: Ctx) -> Outcome:
    """The next question; or, when this answer corrected one the registry refused at the
    end, straight back to the check (nothing else needs typing again)."""
    return Go("check") if ctx.data.pop("fixing", False) else Next()


async def number_given(ctx: Ctx, number: str) -> Outcome:
    """Refused at once if the council already has this number (the registry checks again
    on submitting, in case it is registered meanwhile)."""
    try:
        await ctx.services.professionals.by_registration(ctx.data["council"], number)
    except NotFound:
        ctx.data["number"] = number
        return onward(ctx)
    raise Invalid("error.hpr.duplicate_registration")


async def to_confirm(ctx: Ctx) -> Outcome:
    return Go("confirm")


def application_of(ctx: Ctx) -> Application:
    data = ctx.data
    on_telegram = ctx.channel == "telegram"
    return Application(
        name=data["name"],
        mobile=data["mobile"],
        council=data["council"],
        registration_number=data["number"],
        registration_year=data["year"],
        qualifications=(
            Qualification(
                data["degree"], data["institution"], data["university"], data["degree_year"]
            ),
        ),
        specialisation=data["specialisation"],
        years_of_experience=data["experience"],
        system_of_medicine=data["system"],
        email=data.get("email") or None,
        facility_ids=(data["facility"],) if data.get("facility") else (),
        language=ctx.lang,
        notify_channel="telegram" if on_telegram else "sms",
        notify_address=ctx.subject if on_telegram else None,
    )


async def submit(ctx: Ctx) -> Outcome:
    """Register; a refusal sends the doctor back to the answer that caused it."""
    try:
        doctor = await ctx.services.professionals.register(
            application_of(ctx),
            mobile_txn_id=ctx.data["txn"],
            channel=ctx.channel,
            actor=f"{ctx.channel}:{ctx.subject}",
        )
    except ArogyaError as refusal:
        if refusal.code == "hpr.duplicate_registration":  # registered since it was typed
            ctx.data["fixing"] = True
            return go("number", msg(f"error.{refusal.code}"))
        if refusal.code in ("hpr.mobile_unverified", "hpr.mobile_proof_used"):
            ctx.data["fixing"] = True
            ctx.data.pop("txn", None)
            return go("mobile", msg("find.reg.mobile.again"))
        if refusal.code == "hpr.facility_unknown":
            return go("facility", msg("find.reg.facility.unknown"))
        raise
    return end(msg("find.reg.done", name=doctor.name, hpr_id=doctor.formatted_hpr_id))


def registration_flow() -> Flow[Services]:
    text = answers.text_parser
    return Flow[Services](
        FLOW,
        [
            Menu(
                "intro",
                "find.reg.intro",
                [
                    Option("start", "find.reg.start", "name"),
                    Option("find", "find.reg.find_instead", Go(flow=FIND_DOCTOR)),
                ],
            ),
            Prompt("name", "find.reg.name.ask", parse=answers.parse_name, store="name"),
            *mobile_steps(after=onward),
            Prompt(
                "email",
                "find.reg.email.ask",
                parse=answers.parse_email,
                store="email",
                takes_zero=True,
            ),
            PagedPick(
                "council",
                "find.reg.council.ask",
                council_choices,
                then=store_choice("council", "number"),
                help_key="find.reg.council.help",
            ),
            Prompt(
                "number",
                "find.reg.number.ask",
                parse=answers.parse_registration_number,
                then=number_given,
            ),
            Prompt("year", "find.reg.year.ask", then=answers.year_answer("year")),
            Prompt("degree", "find.reg.degree.ask", parse=text("degree", 80), store="degree"),
            Prompt(
                "institution",
                "find.reg.institution.ask",
                parse=text("institution", 120),
                store="institution",
            ),
            Prompt(
                "university",
                "find.reg.university.ask",
                parse=text("university", 120),
                store="university",
            ),
            Prompt(
                "degree_year", "find.reg.degree_year.ask", then=answers.year_answer("degree_year")
            ),
            PagedPick(
                "specialisation",
                "find.reg.specialisation.ask",
                lambda ctx: [Choice(c, specialisation_key(c)) for c in SPECIALISATIONS],
                then=store_choice("specialisation", "system"),
            ),
            PagedPick(
                "system",
                "find.reg.system.ask",
                lambda ctx: [Choice(c, system_key(c)) for c in SYSTEMS_OF_MEDICINE],
                then=store_choice("system", "experience"),
            ),
            Prompt(
                "experience",
                "find.reg.experience.ask",
                parse=answers.parse_experience,
                store="experience",
            ),
            Prompt(
                "facility", "find.reg.facility.ask", then=answers.facility_answer, takes_zero=True
            ),
            CheckStep("check", who, CORRECT, to_confirm),
            CheckStep("confirm", training, SUBMIT, submit),
        ],
        help_key="find.reg.help",
    )
