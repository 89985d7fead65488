"""Find a doctor: a specialisation, then where, then the VERIFIED doctors there, each with the
facility they work at and its phone.

    (Find) 2  -> What kind of doctor? 1. General medicine ... 3. Child health ... 7. More
    3         -> Choose your state, or type your 6-digit PIN code: ...
    Lucknow   -> Child health (paediatrics)
                 Lucknow: 2 found, page 1 of 1
                 - Arun Tiwari, MBBS, MD (Paediatrics), 13 yrs
                 Charbagh City Hospital
                 Phone 0522 245 3300
                 - ...                                  1. New search

A doctor is reached through a place: the registry lists only VERIFIED doctors whose place of
work in the area is a VERIFIED facility (`ProfessionalService.search`), so every line names
somewhere to go and a number to call. No login: this is public information.
"""

from __future__ import annotations

from core.professionals.masters import SPECIALISATIONS, specialisation_key
from core.professionals.views import DoctorListing
from core.services import Services
from flows import Choice, Flow, Go, Message, Outcome, msg
from flows.ctx import Ctx
from flows.find.area import area_steps
from flows.find.common import PagedPick, dialable, shown
from flows.find.results import Found, ResultsStep

FLOW = "doctors"


def specialisation_choices(ctx: Ctx) -> list[Choice]:
    return [Choice(code, specialisation_key(code)) for code in SPECIALISATIONS]


async def specialisation_chosen(ctx: Ctx, code: str) -> Outcome:
    ctx.data["specialisation"] = code
    return Go("state")


def heading(ctx: Ctx) -> Message:
    return msg(specialisation_key(str(ctx.data["specialisation"])))


def listing(doctor: DoctorListing) -> Message:
    return msg(
        "find.doctor.item",
        name=doctor.name,
        degrees=shown(", ".join(doctor.degrees), 40),
        years=doctor.years_of_experience,
        facility=shown(doctor.facility.name),
        phone=dialable(doctor.facility.phone),
    )


async def search(ctx: Ctx, page: int, size: int) -> Found:
    found = await ctx.services.professionals.search(
        str(ctx.data["specialisation"]),
        district=ctx.data.get("district"),
        pincode=ctx.data.get("pincode"),
        page=page,
        per_page=size,
    )
    return Found(tuple(map(listing, found.items)), found.total, found.has_next)


def doctor_flow() -> Flow[Services]:
    return Flow[Services](
        FLOW,
        [
            PagedPick(
                "specialisation",
                "find.doctor.specialisation",
                specialisation_choices,
                then=specialisation_chosen,
            ),
            *area_steps("results"),
            ResultsStep("results", heading, search, again="specialisation"),
        ],
        help_key="find.help",
    )
