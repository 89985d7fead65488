"""A self-declared Health ID's profile: name, gender, year of birth, and where the person lives.

    Type your first name              -> Asha
    Type your last name (0 if none)   -> 0
    Gender: 1. Male 2. Female 3. Other -> 2
    Year of birth (e.g. 1990)         -> 1990
    Your state: 1. ... 6. ... 7. More  (then "Your district:", the same way)
    Your 6-digit PIN code             -> 226004

Asked only when enrolling with a mobile number alone (Aadhaar brings the profile with it). The
answers stay in the conversation until the PIN code, then go to core in one `set_profile` and
leave the state.

Why six places a page: states and districts come from the LGD master (36 states, up to 75
districts a state), in the person's language. Six a page and "7. More" for the next six fit a
Hindi USSD screen, keep every number one digit to type, and leave only an offset in the
conversation, never the list.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from core.facilities import lgd
from core.healthid import profile as profiles
from core.healthid.profile import Demographics
from core.services import Services
from flows import (
    Choice,
    Go,
    Input,
    Invalid,
    Menu,
    Next,
    Option,
    Outcome,
    Prompt,
    Reply,
    Step,
    msg,
    retry,
)
from flows.ctx import Ctx
from flows.steps import match_choice

#: The profile's answers kept in the conversation until they go to core.
ANSWERS = ("first", "last", "year", "gender", "state", "district")


def parse_first_name(text: str) -> str:
    name = profiles.clean_name(text, "first_name", required=True)
    assert name is not None  # required=True never returns None
    return name


def parse_last_name(text: str) -> str | None:
    if text.strip() in {"0", "-"}:
        return None
    return profiles.clean_name(text, "last_name", required=False)


def gender_option(code: str) -> Option[Services]:
    async def chosen(ctx: Ctx) -> Outcome:
        ctx.data["gender"] = code
        return Next()

    return Option(code, f"flows.gender.{code}", chosen)


def parse_year(text: str) -> int:
    if not (text.isascii() and text.isdigit() and len(text) == 4):
        raise Invalid("flows.enrol.year_invalid")
    return int(text)


class PlaceStep(Step[Services]):
    """Choose a state, or a district of the state chosen before (`districts_of` names the
    field holding it); the place's LGD code is stored under `store`."""

    PAGE = 6

    def __init__(self, name: str, prompt_key: str, *, store: str, districts_of: str | None) -> None:
        super().__init__(name)
        self.prompt_key = prompt_key
        self.store = store
        self.districts_of = districts_of
        self._offset = f"{name}_at"

    def _places(self, ctx: Ctx) -> list[lgd.State] | list[lgd.District]:
        if self.districts_of is None:
            return sorted(lgd.STATES, key=lambda s: s.name)
        return sorted(lgd.districts_of(int(ctx.data[self.districts_of])), key=lambda d: d.name)

    def _choices(self, ctx: Ctx) -> tuple[Choice, ...]:
        places = self._places(ctx)
        offset = int(ctx.data.get(self._offset, 0))
        shown = tuple(
            Choice(str(place.code), "engine.verbatim", {"text": lgd.name(place, ctx.lang)})
            for place in places[offset : offset + self.PAGE]
        )
        if len(places) > self.PAGE:
            return (*shown, Choice("more", "flows.place.more"))
        return shown

    async def ask(self, ctx: Ctx) -> Reply:
        return Reply(messages=(msg(self.prompt_key),), choices=self._choices(ctx))

    async def take(self, ctx: Ctx, answer: Input) -> Outcome:
        choices = self._choices(ctx)
        choice = match_choice(choices, answer)
        if choice is None:
            return retry("engine.choose", max=len(choices))
        if choice.id == "more":
            offset = int(ctx.data.get(self._offset, 0)) + self.PAGE
            ctx.data[self._offset] = offset if offset < len(self._places(ctx)) else 0
            return Go(self.name)
        ctx.data.pop(self._offset, None)
        ctx.data[self.store] = int(choice.id)
        return Next()


def parse_pin_code(text: str) -> str:
    code = text.replace(" ", "")
    if not (len(code) == 6 and code.isascii() and code.isdigit() and code[0] != "0"):
        raise Invalid("flows.enrol.pincode_invalid")
    return code


def profile_done(then: str) -> Callable[[Ctx, str], Awaitable[Outcome]]:
    """The last answer given: the profile to core, the answers out of the state, on to `then`."""

    async def save(ctx: Ctx, pin_code: str) -> Outcome:
        data = ctx.data
        profile = Demographics(
            first_name=data["first"],
            last_name=data.get("last"),
            year_of_birth=int(data["year"]),
            gender=data["gender"],
            state_lgd=int(data["state"]),
            district_lgd=int(data["district"]),
            pin_code=pin_code,
        )
        await ctx.services.healthid.set_profile(data["draft"], profile)
        for key in ANSWERS:
            data.pop(key, None)
        return Go(then)

    return save


def profile_steps(*, then: str) -> list[Step[Services]]:
    """The steps `first_name` to `pincode`, in the order a person meets them; the profile
    saved, the conversation goes on to the step `then`."""
    return [
        Prompt("first_name", "flows.enrol.first_name", parse=parse_first_name, store="first"),
        Prompt("last_name", "flows.enrol.last_name", parse=parse_last_name, store="last"),
        Menu("gender", "flows.enrol.gender", [gender_option(g) for g in ("M", "F", "O")]),
        Prompt("year", "flows.enrol.year", parse=parse_year, store="year"),
        PlaceStep("state", "flows.enrol.state", store="state", districts_of=None),
        PlaceStep("district", "flows.enrol.district", store="district", districts_of="state"),
        Prompt(
            "pincode",
            "flows.enrol.pincode",
            parse=parse_pin_code,
            then=profile_done(then),
            leads_to=(then,),
        ),
    ]
