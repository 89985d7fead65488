"""Registering as a health worker (ASHA, ANM, CHO), on USSD, SMS or Telegram, by the keyword
WORKER or कार्यकर्ता (not ASHA: a keyword works at every step, and Asha is a common name).

    WORKER        -> Register as a health worker. Your role? 1. ASHA 2. ANM 3. CHO
    1             -> Your full name
    Sunita Devi   -> Where do you serve? 1. A facility (HFR id) 2. A block or district (LGD code)
    2             -> Type your district's LGD code
    146           -> Use 98765 43210 as your mobile number? 1. Yes 2. Another number
    1             -> Type the 6-digit OTP sent to ******3210. 1. Send OTP again
    123456        -> Check: ASHA Sunita Devi, district Lucknow, ******3210 1. Submit 2. Start again
    1             -> END Thank you, Sunita Devi. Your worker id is W123456789 ...

The mobile proof is the doctors' (`flows.doctors.mobile`'s words, the registry's own OTP); the
registration waits (PENDING) for an officer of that facility or district, and until then her
phone gets the ordinary menu. On Telegram the chat is tied to the proved mobile, so once she
is verified the chat shows "Enrol someone".
"""

from __future__ import annotations

from typing import Any

from core.errors import InvalidInput
from core.facilities import ids as facility_ids
from core.facilities import lgd
from core.healthid import mobile as mobiles
from core.otp.service import OtpTicket
from core.services import Services
from core.workers.models import WorkerRole
from core.workers.service import parse_district, parse_name
from flows import Flow, Go, Menu, Message, Option, Outcome, Prompt, end, go, msg
from flows.ctx import Ctx, is_phone_channel
from flows.doctors.mobile import DOCTOR
from flows.proof import MobileStep, OtherMobileStep, OtpStep

FLOW = "worker_register"


def role_option(role: WorkerRole) -> Option[Services]:
    async def chosen(ctx: Ctx) -> Outcome:
        ctx.data["role"] = role.value
        return Go("name")

    return Option(role.value, f"workers.role.{role.value}", chosen)


def parse_facility(text: str) -> str:
    facility = text.strip().upper()
    if not facility_ids.is_valid(facility):
        raise InvalidInput("worker.facility_invalid")
    return facility


async def facility_given(ctx: Ctx, facility: str) -> Outcome:
    await ctx.services.workers.facility_district(facility)  # facility.not_found, said
    ctx.data.pop("district", None)
    return Go("mobile")


async def district_given(ctx: Ctx, district: int) -> Outcome:
    ctx.data.pop("facility", None)
    return Go("mobile")


async def send_otp(ctx: Ctx, mobile: str) -> Outcome:
    ticket = await ctx.services.workers.start_mobile_verification(mobile, ctx.lang)
    ctx.data.update(mobile=ticket.mobile, txn=ticket.txn_id, masked=mobiles.mask(ticket.mobile))
    return Go("otp")


async def resend(ctx: Ctx, txn: str) -> OtpTicket:
    return await ctx.services.otp.resend(txn, ctx.lang)


async def send_again(ctx: Ctx) -> Outcome:
    await send_otp(ctx, ctx.data["mobile"])
    return go("otp", msg("find.reg.otp.renewed", mobile=ctx.data["masked"]))


async def verified(ctx: Ctx, code: str) -> Outcome:
    await ctx.services.workers.verify_mobile(ctx.data["txn"], code)
    if not is_phone_channel(ctx):  # this chat proved the mobile: it speaks for it now
        await ctx.services.channels.link(ctx.channel, ctx.subject, mobile=ctx.data["mobile"])
    return Go("confirm")


def place(ctx: Ctx) -> Message:
    if ctx.data.get("facility"):
        return msg("workers.reg.at_facility", facility=ctx.data["facility"])
    district = lgd.district(int(ctx.data.get("district", 0)))
    name = lgd.name(district, ctx.lang) if district else ""
    return msg("workers.reg.at_district", district=name)


def summary(ctx: Ctx) -> Message:
    return msg(
        "workers.reg.confirm",
        role=msg(f"workers.role.{ctx.data.get('role', 'ASHA')}"),
        name=ctx.data.get("name", ""),
        place=place(ctx),
        mobile=mobiles.mask(ctx.data.get("mobile", "+910000000000")),
    )


async def submit(ctx: Ctx) -> Outcome:
    worker = await ctx.services.workers.register(
        name=ctx.data["name"],
        role=ctx.data["role"],
        mobile_txn_id=ctx.data["txn"],
        facility_id=ctx.data.get("facility"),
        district_lgd=ctx.data.get("district"),
        channel=ctx.channel,
        lang=ctx.lang,
    )
    return end(msg("workers.reg.done", name=worker.name, worker_id=worker.worker_id))


async def again(ctx: Ctx) -> Outcome:
    ctx.data.clear()
    return Go("role")


def place_option(key: str, step: str) -> Option[Services]:
    return Option(step, key, step)


def registration_flow() -> Flow[Services]:
    steps: list[Any] = [
        Menu("role", "workers.reg.role", [role_option(role) for role in WorkerRole]),
        Prompt("name", "workers.reg.name", parse=parse_name, store="name"),
        Menu(
            "place",
            "workers.reg.place",
            [
                place_option("workers.reg.place.facility", "facility"),
                place_option("workers.reg.place.district", "district"),
            ],
        ),
        Prompt(
            "facility",
            "workers.reg.facility",
            parse=parse_facility,
            store="facility",
            then=facility_given,
            leads_to=("mobile",),
        ),
        Prompt(
            "district",
            "workers.reg.district",
            parse=parse_district,
            store="district",
            then=district_given,
            leads_to=("mobile",),
        ),
        MobileStep("mobile", DOCTOR, other_step="other_mobile", then=send_otp, leads_to=("otp",)),
        OtherMobileStep("other_mobile", DOCTOR, then=send_otp, leads_to=("otp",)),
        OtpStep(
            "otp", DOCTOR, resend=resend, verify=verified, restart=send_again, leads_to=("confirm",)
        ),
        Menu(
            "confirm",
            summary,
            [
                Option("submit", "workers.reg.submit", submit),
                Option("again", "workers.reg.again", again),
            ],
        ),
    ]
    return Flow[Services](FLOW, steps, help_key="workers.reg.help")
