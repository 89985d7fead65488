"""Enrol someone: a verified health worker makes an ABHA on behalf of a beneficiary.

The steps (USSD, English), after "9. Enrol someone" on the main menu:

    9            -> Health worker Sunita Devi 1. Enrol someone new 2. Today's list
    1            -> How will the person agree? 1. Their Aadhaar OTP 2. OTP to their own mobile
                    3. No phone: read the consent aloud
    2            -> Type the person's own 10-digit mobile number
    9812345678   -> Type the 6-digit OTP sent to ******5678. 1. Send OTP again
    (the person reads out the OTP from their phone; from here the ordinary enrolment's steps:
     name, gender, year, PIN code, address, PIN twice, confirm)
    1 (Create)   -> END ABHA made for the person: 91-..., address ... (an SMS goes to them)

The beneficiary's own consent is what the OTP proves: their Aadhaar OTP (to the mobile UIDAI
holds for them), or an OTP to their own mobile; for a person with no phone, the worker reads
the consent aloud, attests to the spoken yes, and signs it with an OTP to her own phone. The
worker's phone is never the ABHA's mobile (`core.workers.assisted`).

Reused from `flows.healthid.enrol` unchanged: `aadhaar_given`, `AddressStep`, `address_chosen`,
`pin_given`, `pin_confirmed`, `ConfirmStep` and `profile_steps`; the steps that differ are the
ones where the person's consent is taken and where the ABHA is made (the worker's log, the
beneficiary's SMS, no chat tied to the new ABHA).
"""

from __future__ import annotations

from typing import Any

from core.errors import ArogyaError, Locked
from core.healthid import aadhaar as aadhaars
from core.healthid import mobile as mobiles
from core.services import Services
from core.workers.models import ConsentKind
from flows import Attachment, Flow, Go, Menu, Option, Outcome, Prompt, Reply, end, finish, go, msg
from flows.ctx import Ctx
from flows.healthid.enrol import (
    AddressStep,
    ConfirmStep,
    aadhaar_given,
    address_chosen,
    pin_confirmed,
    pin_given,
)
from flows.healthid.profile import profile_steps
from flows.pin import parse_new_pin
from flows.proof import HEALTH_ID, OtpStep, resend_health_id
from flows.workers.day import DayStep
from flows.workers.entry import FLOW
from flows.workers.who import acting_worker

#: Refusals that end an attempt: written in her day with the reason, then said.
ENDS_ATTEMPT = frozenset(
    {"otp.locked", "otp.rate_limited", "mobile.cap_reached", "abdm.otp_locked", "draft.expired"}
)


def not_a_worker() -> Outcome:
    return finish(msg("workers.not_verified"))


class Home(Menu[Services]):
    """Her two choices, with her name, so she knows the phone knows her."""

    async def ask(self, ctx: Ctx) -> Reply:
        worker = await acting_worker(ctx)
        title = msg("workers.home", name=worker.name if worker else "")
        return Reply(messages=(title,), choices=self._choices)


async def new_enrolment(ctx: Ctx) -> Outcome:
    if await acting_worker(ctx) is None:
        return not_a_worker()
    ctx.data.clear()
    return Go("how")


async def open_day(ctx: Ctx) -> Outcome:
    if await acting_worker(ctx) is None:
        return not_a_worker()
    return Go("day")


def consent_chosen(kind: ConsentKind) -> Any:
    async def chosen(ctx: Ctx) -> Outcome:
        worker = await acting_worker(ctx)
        if worker is None:
            return not_a_worker()
        try:
            started = await ctx.services.workers.assisted.begin(worker, kind)
        except Locked as quota:  # her day's quota is used up: no retry will help today
            return finish(msg(f"error.{quota.code}", **quota.params))
        ctx.data.update(enrolment=started.id, consent=kind.value)
        ctx.data["path"] = "aadhaar" if kind is ConsentKind.AADHAAR else "mobile"
        return Go("read" if kind is ConsentKind.ATTESTED else "ben_mobile")

    return chosen


async def failed(ctx: Ctx, refusal: ArogyaError) -> Outcome:
    """The attempt is over: in her day with the reason, and said to her."""
    await ctx.services.workers.assisted.failed(ctx.data["enrolment"], refusal.code)
    return finish(msg(f"error.{refusal.code}", **refusal.params))


async def beneficiary_mobile(ctx: Ctx, mobile: str) -> Outcome:
    """Their own number: the Aadhaar path asks for the Aadhaar next, the mobile path sends
    the OTP to it now."""
    worker = await acting_worker(ctx)
    if worker is None:
        return not_a_worker()
    ctx.services.workers.assisted.check_beneficiary_mobile(worker, mobile)
    ctx.data["mobile"] = mobile
    if ctx.data["path"] == "aadhaar":
        return Go("aadhaar")
    return await send_mobile_otp(ctx, mobile)


async def send_mobile_otp(ctx: Ctx, mobile: str, *, said: str | None = None) -> Outcome:
    """The beneficiary's own mobile, or (attested) the worker's: her OTP then counts against
    her daily quota, not her phone's ABHA cap or hourly OTP limit."""
    healthid = ctx.services.healthid
    start = healthid.start_attested if is_attested(ctx) else healthid.start_mobile
    try:
        ticket = await start(mobile, lang=ctx.lang, channel=ctx.channel)
    except ArogyaError as refusal:
        if refusal.code not in ENDS_ATTEMPT:
            raise
        return await failed(ctx, refusal)
    return await waiting(ctx, ticket.txn_id, ticket.mobile, said)


def is_attested(ctx: Ctx) -> bool:
    return bool(ctx.data.get("consent") == ConsentKind.ATTESTED)


async def waiting(ctx: Ctx, txn: str, mobile: str, said: str | None) -> Outcome:
    ctx.data.update(txn=txn, masked=mobiles.mask(mobile))
    beneficiary = None if is_attested(ctx) else mobile
    await ctx.services.workers.assisted.waiting(
        ctx.data["enrolment"], txn_id=txn, mobile=beneficiary
    )
    if said is None:
        return Go("otp")
    return go("otp", msg(said, mobile=ctx.data["masked"]))


async def aadhaar_typed(ctx: Ctx, number: str) -> Outcome:
    try:
        outcome = await aadhaar_given(ctx, number)
    except ArogyaError as refusal:
        if refusal.code not in ENDS_ATTEMPT:
            raise
        return await failed(ctx, refusal)
    await ctx.services.workers.assisted.waiting(
        ctx.data["enrolment"], txn_id=ctx.data["txn"], mobile=ctx.data["mobile"]
    )
    return outcome


async def attested(ctx: Ctx) -> Outcome:
    """The person said yes aloud: the worker signs it with an OTP to her own phone."""
    worker = await acting_worker(ctx)
    if worker is None:
        return not_a_worker()
    await ctx.services.workers.assisted.attested(ctx.data["enrolment"])
    ctx.data["mobile"] = worker.mobile
    return await send_mobile_otp(ctx, worker.mobile, said="workers.attest.sent")


async def declined(ctx: Ctx) -> Outcome:
    await ctx.services.workers.assisted.failed(ctx.data["enrolment"], "declined")
    return finish(msg("workers.declined"))


async def otp_given(ctx: Ctx, code: str) -> Outcome:
    """Like the ordinary enrolment's, but a person found by their Aadhaar is recorded as
    found in her day (not duplicated), and a lockout ends the attempt with its reason."""
    worker = await acting_worker(ctx)
    if worker is None:
        return not_a_worker()
    healthid = ctx.services.healthid
    try:
        if ctx.data.get("path") == "aadhaar":
            enrolment = await healthid.verify_aadhaar(ctx.data["txn"], code)
        else:
            enrolment = await healthid.verify_mobile(ctx.data["txn"], code)
    except ArogyaError as refusal:
        if refusal.code in ENDS_ATTEMPT:
            return await failed(ctx, refusal)
        raise
    if enrolment.existing is not None:
        person = enrolment.existing
        await ctx.services.workers.assisted.found(
            ctx.data["enrolment"], worker, person, channel=ctx.channel
        )
        return finish(
            msg("workers.found", abha_number=person.abha_number, address=person.address),
            attachments=(Attachment("health_id_card", person.abha_number),),
        )
    ctx.data["draft"] = enrolment.draft_id
    for key in ("txn", "masked"):
        ctx.data.pop(key, None)
    return Go("first_name" if enrolment.needs_profile else "address")


async def restart_otp(ctx: Ctx) -> Outcome:
    """The OTP is over: the Aadhaar typed again (never kept), or a new OTP to the same phone."""
    if ctx.data.get("path") == "aadhaar":
        return go("aadhaar", msg("flows.otp.aadhaar_again"))
    return await send_mobile_otp(ctx, ctx.data["mobile"], said="flows.otp.renewed")


async def create(ctx: Ctx) -> Outcome:
    worker = await acting_worker(ctx)
    if worker is None:
        return not_a_worker()
    person = await ctx.services.workers.assisted.finish(
        ctx.data["enrolment"], worker, ctx.data["draft"], channel=ctx.channel, lang=ctx.lang
    )
    done = msg("workers.done", abha_number=person.abha_number, address=person.address)
    return end(done, attachments=(Attachment("health_id_card", person.abha_number),))


async def cancel(ctx: Ctx) -> Outcome:
    await ctx.services.workers.assisted.failed(ctx.data["enrolment"], "cancelled")
    return finish(msg("flows.enrol.cancelled"))


def parse_mobile(text: str) -> str:
    return mobiles.parse(text)


def worker_enrol_flow() -> Flow[Services]:
    return Flow[Services](
        FLOW,
        [
            Home(
                "home",
                "workers.home",
                [
                    Option("new", "workers.home.new", new_enrolment),
                    Option("day", "workers.home.day", open_day),
                ],
            ),
            Menu(
                "how",
                "workers.how",
                [
                    Option("aadhaar", "workers.how.aadhaar", consent_chosen(ConsentKind.AADHAAR)),
                    Option("mobile", "workers.how.mobile", consent_chosen(ConsentKind.MOBILE)),
                    Option(
                        "attested", "workers.how.attested", consent_chosen(ConsentKind.ATTESTED)
                    ),
                ],
                help_key="workers.how.help",
            ),
            Prompt(
                "ben_mobile",
                lambda ctx: msg(
                    "workers.ben_mobile.aadhaar"
                    if ctx.data.get("path") == "aadhaar"
                    else "workers.ben_mobile.ask"
                ),
                parse=parse_mobile,
                then=beneficiary_mobile,
                leads_to=("aadhaar", "otp"),
            ),
            Menu(
                "read",
                "workers.read",
                [
                    Option("yes", "workers.read.yes", attested),
                    Option("no", "workers.read.no", declined),
                ],
            ),
            Prompt(
                "aadhaar",
                "workers.aadhaar.ask",
                parse=aadhaars.parse,
                then=aadhaar_typed,
                leads_to=("otp",),
                help_key="flows.enrol.aadhaar_help",
            ),
            OtpStep(
                "otp",
                HEALTH_ID,
                resend=resend_health_id,
                verify=otp_given,
                restart=restart_otp,
                leads_to=("first_name", "address", "aadhaar"),
            ),
            *profile_steps(then="address"),
            AddressStep(),
            Prompt(
                "address_own",
                "flows.enrol.address_type",
                then=address_chosen,
                leads_to=("pin",),
                help_key="flows.enrol.address_help",
            ),
            Prompt("pin", "workers.pin.new", parse=parse_new_pin(), then=pin_given),
            Prompt("pin_again", "flows.pin.again", parse=parse_new_pin(), then=pin_confirmed),
            ConfirmStep(
                "confirm",
                "flows.enrol.confirm",
                [
                    Option("create", "flows.enrol.create", create),
                    Option("cancel", "flows.enrol.cancel", cancel),
                ],
            ),
            DayStep("day", resume_at="otp"),
        ],
        help_key="workers.help",
    )
