"""Find a facility: its type, then where, then the VERIFIED facilities there with their phones.

    (Find) 1  -> What kind of place? 1. Hospital 2. Clinic ... 6. Pharmacy 7. More
    1         -> Choose your state, or type your 6-digit PIN code: 1. Andaman ... 7. More
    226004    -> Hospital
                 PIN 226004: 2 found, page 1 of 1
                 - Charbagh City Hospital
                 4 Kanpur Road, Charbagh, Lucknow
                 Phone 0522 245 3300
                 - ...                                  1. New search

Public information: no login, nothing about the person is kept beyond this conversation. The
list is the HFR's own search (`FacilityService.search`), which shows only VERIFIED facilities.
"""

from __future__ import annotations

from core.facilities.models import FacilityType
from core.facilities.views import FacilityView
from core.services import Services
from flows import Choice, Flow, Go, Message, Outcome, msg
from flows.ctx import Ctx
from flows.find.area import area_steps
from flows.find.common import PagedPick, dialable, shown
from flows.find.results import Found, ResultsStep

FLOW = "facilities"

#: The order a person looking for care thinks in: the big and common places first.
TYPES: tuple[FacilityType, ...] = (
    FacilityType.HOSPITAL,
    FacilityType.CLINIC,
    FacilityType.PRIMARY_HEALTH_CENTRE,
    FacilityType.COMMUNITY_HEALTH_CENTRE,
    FacilityType.HEALTH_WELLNESS_CENTRE,
    FacilityType.PHARMACY,
    FacilityType.DIAGNOSTIC_LAB,
    FacilityType.IMAGING_CENTRE,
    FacilityType.BLOOD_BANK,
    FacilityType.NURSING_HOME,
    FacilityType.DENTAL_CLINIC,
    FacilityType.SUB_CENTRE,
)


def type_label(code: str) -> str:
    return f"facility.type.{code}"


def type_choices(ctx: Ctx) -> list[Choice]:
    return [Choice(kind.value, type_label(kind.value)) for kind in TYPES]


async def type_chosen(ctx: Ctx, code: str) -> Outcome:
    ctx.data["type"] = code
    return Go("state")


def heading(ctx: Ctx) -> Message:
    return msg(type_label(str(ctx.data["type"])))


def listing(facility: FacilityView) -> Message:
    return msg(
        "find.facility.item",
        name=shown(facility.name),
        address=shown(facility.address),
        phone=dialable(facility.phone),
    )


async def search(ctx: Ctx, page: int, size: int) -> Found:
    found = await ctx.services.facilities.search(
        facility_type=str(ctx.data["type"]),
        district=ctx.data.get("district"),
        pincode=ctx.data.get("pincode"),
        page=page,
        page_size=size,
    )
    lines = tuple(listing(facility) for facility in found.items)
    return Found(lines, found.total, found.has_next)


def facility_flow() -> Flow[Services]:
    return Flow[Services](
        FLOW,
        [
            PagedPick("type", "find.facility.type", type_choices, then=type_chosen),
            *area_steps("results"),
            ResultsStep("results", heading, search, again="type"),
        ],
        help_key="find.help",
    )
