"""Where to look: a state then one of its districts, or a typed 6-digit PIN code (or, in a
chat, the name of a state or of a district).

    Choose your state, or type a 6-digit PIN code: 1. Andaman ... 6. More
    226004          -> (the results for PIN code 226004)
    Lucknow         -> (the results for district Lucknow: a name that names one district)
    6, 5, 3         -> Choose your district: 1. Agra 2. Gautam Buddha Nagar ... 6. More

Both searches ("find a facility", "find a doctor") store the area the same way, so one results
step serves both: `ctx.data["district"]` (an LGD code) or `ctx.data["pincode"]`, never both.
Places are LGD master data, shown in the conversation's language.
"""

from __future__ import annotations

import re

from core.facilities import lgd
from core.services import Services
from flows import Choice, Go, Invalid, Message, Outcome, Step, msg
from flows.ctx import Ctx
from flows.find.common import PagedPick, Typed

_PINCODE = re.compile(r"[1-9][0-9]{5}")
_SIX_DIGITS = re.compile(r"[0-9]{6}")
_STATE = "s"
_DISTRICT = "d"
#: A place's name as a choice: LGD data, already in the person's language.
PLACE = "find.place"
#: Place names are data, kept in the saved reply: five a page keeps a Hindi page under 1 KB.
PLACES_PER_PAGE = 5


def state_choices(ctx: Ctx) -> list[Choice]:
    states = sorted(lgd.STATES, key=lambda state: state.name)
    return [Choice(f"{_STATE}{s.code}", PLACE, {"name": lgd.name(s, ctx.lang)}) for s in states]


def district_choices(ctx: Ctx) -> list[Choice]:
    return [
        Choice(f"{_DISTRICT}{d.code}", PLACE, {"name": lgd.name(d, ctx.lang)})
        for d in lgd.districts_of(int(ctx.data["state"]))
    ]


def place_message(ctx: Ctx, key: str, **params: str | int) -> Message:
    """`<key>.district` with the district's name, or `<key>.pincode` with the PIN code."""
    if "pincode" in ctx.data:
        return msg(f"{key}.pincode", pincode=ctx.data["pincode"], **params)
    code = int(ctx.data["district"])
    district = lgd.district(code)
    place = lgd.name(district, ctx.lang) if district else str(code)
    return msg(f"{key}.district", place=place, **params)


def chose_area(
    ctx: Ctx, results: str, *, district: int | None = None, pincode: str | None = None
) -> Outcome:
    for field in ("district", "pincode", "page"):
        ctx.data.pop(field, None)
    if district is not None:
        ctx.data["district"] = district
    if pincode is not None:
        ctx.data["pincode"] = pincode
    return Go(results)


def typed_area(results: str, *, in_state: bool = False) -> Typed:
    """Judge typed text as a PIN code, or as the name of a district (within the chosen state
    when `in_state`)."""

    async def typed(ctx: Ctx, text: str) -> Outcome | None:
        compact = "".join(text.split())
        if _SIX_DIGITS.fullmatch(compact):
            if not _PINCODE.fullmatch(compact):
                raise Invalid("find.area.pincode_invalid")
            return chose_area(ctx, results, pincode=compact)
        if compact.isdigit():
            return None  # a number: the menu's to judge
        wanted = text.casefold()
        if not in_state:
            for state in lgd.STATES:
                if wanted in (state.name.casefold(), state.name_hi):
                    ctx.data["state"] = state.code
                    return Go("district")
        found = lgd.find_districts(text)
        if in_state:
            found = [d for d in found if d.state_code == int(ctx.data["state"])]
        exact = [d for d in found if wanted in (d.name.casefold(), d.name_hi)]
        if len(exact) == 1 or len(found) == 1:
            return chose_area(ctx, results, district=(exact or found)[0].code)
        return None

    return typed


async def _state_chosen(ctx: Ctx, choice_id: str) -> Outcome:
    ctx.data["state"] = int(choice_id.removeprefix(_STATE))
    return Go("district")


def area_steps(results: str) -> list[Step[Services]]:
    """The steps `state` and `district`; both lead to the step `results`."""

    async def district_chosen(ctx: Ctx, choice_id: str) -> Outcome:
        return chose_area(ctx, results, district=int(choice_id.removeprefix(_DISTRICT)))

    return [
        PagedPick(
            "state",
            "find.area.state",
            state_choices,
            then=_state_chosen,
            typed=typed_area(results),
            retry_key="find.area.retry",
            help_key="find.area.help",
            per_page=PLACES_PER_PAGE,
        ),
        PagedPick(
            "district",
            "find.area.district",
            district_choices,
            then=district_chosen,
            typed=typed_area(results, in_state=True),
            retry_key="find.area.retry",
            help_key="find.area.help",
            per_page=PLACES_PER_PAGE,
        ),
    ]
