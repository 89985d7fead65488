"""A self-declared Health ID's profile: name, gender, year of birth, and where the person lives.

    Type your full name                 -> Asha Devi
    Gender: 1. Male 2. Female 3. Other  -> 2
    Year of birth (e.g. 1990)           -> 1990
    Your area's 6-digit postal PIN code -> 261001   (state and district follow from it)
    [only when the PIN code spans several districts, or is not in the directory]
    Your district: 1. ... 2. ...

Asked only when enrolling with a mobile number alone (Aadhaar brings the profile with it). The
answers stay in the conversation until the district is known, then go to core in one
`set_profile` and leave the state.

Why the PIN code first: a person knows it by heart, and India Post's directory
(`core.facilities.pincodes`) says the state and district, so two long lists (36 states, up to 75
districts, 5 to 20 inputs from Uttar Pradesh) become one number. The lists remain for a PIN code
that spans several districts (only those are offered) or that the directory does not know: six
places a page and "More" for the next six, in the person's language, and only an offset kept in
the conversation, never the list.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator

from core.facilities import lgd, pincodes
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
from flows.types import MORE_KEY

#: The profile's answers kept in the conversation until they go to core.
ANSWERS = ("first", "last", "year", "gender", "state", "district", "pin_code", "near")


def parse_full_name(text: str) -> tuple[str, str | None]:
    """ "Asha Devi" -> ("Asha", "Devi"); one word is a first name alone (many have no surname)."""
    words = text.split()
    first = profiles.clean_name(words[0] if words else "", "first_name", required=True)
    assert first is not None  # required=True never returns None
    last = profiles.clean_name(" ".join(words[1:]), "last_name", required=False)
    return first, last


async def name_given(ctx: Ctx, name: tuple[str, str | None]) -> Outcome:
    ctx.data["first"], ctx.data["last"] = name
    return Next()


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

    def __init__(
        self,
        name: str,
        prompt_key: str,
        *,
        store: str,
        districts_of: str | None,
        then: Callable[[Ctx], Awaitable[Outcome]] | None = None,
        leads_to: tuple[str, ...] = (),
    ) -> None:
        super().__init__(name)
        self.prompt_key = prompt_key
        self.store = store
        self.districts_of = districts_of
        self.then = then
        self.leads_to = leads_to
        self._offset = f"{name}_at"

    def _places(self, ctx: Ctx) -> list[lgd.State] | list[lgd.District]:
        def shown(place: lgd.State | lgd.District) -> str:
            return lgd.name(place, ctx.lang)

        if self.districts_of is None:
            return sorted(lgd.STATES, key=shown)
        near: list[int] | None = ctx.data.get("near")
        if near:  # the districts the PIN code spans
            return [d for code in near if (d := lgd.district(code)) is not None]
        return sorted(lgd.districts_of(int(ctx.data[self.districts_of])), key=shown)

    def _choices(self, ctx: Ctx) -> tuple[Choice, ...]:
        places = self._places(ctx)
        offset = int(ctx.data.get(self._offset, 0))
        shown = tuple(
            Choice(str(place.code), "engine.verbatim", {"text": lgd.name(place, ctx.lang)})
            for place in places[offset : offset + self.PAGE]
        )
        if len(places) > self.PAGE:
            return (*shown, Choice("more", "engine.more", key=MORE_KEY))
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
        if self.then is not None:
            return await self.then(ctx)
        return Next()

    def targets(self) -> Iterator[str | Go]:
        return iter(self.leads_to)


def parse_pin_code(text: str) -> str:
    code = text.replace(" ", "")
    if not (len(code) == 6 and code.isascii() and code.isdigit() and code[0] != "0"):
        raise Invalid("flows.enrol.pincode_invalid")
    return code


def pin_code_given(then: str) -> Callable[[Ctx, str], Awaitable[Outcome]]:
    """The PIN code decides the place: one district, saved at once; several, or a PIN code the
    directory places in a state only, or not at all: the district (or state) is asked."""

    async def placed(ctx: Ctx, pin_code: str) -> Outcome:
        ctx.data["pin_code"] = pin_code
        ctx.data.pop("near", None)
        place = pincodes.lookup(pin_code)
        if place is None:
            return Go("state")
        ctx.data["state"] = place.state.code
        if len(place.districts) == 1:
            ctx.data["district"] = place.districts[0].code
            return await profile_done(then)(ctx)
        ctx.data["near"] = [d.code for d in place.districts]
        return Go("district")

    return placed


def profile_done(then: str) -> Callable[[Ctx], Awaitable[Outcome]]:
    """The place known: the profile to core, the answers out of the state, on to `then`."""

    async def save(ctx: Ctx) -> Outcome:
        data = ctx.data
        district = lgd.district(int(data["district"]))
        state = district.state_code if district is not None else int(data["state"])
        profile = Demographics(
            first_name=data["first"],
            last_name=data.get("last"),
            year_of_birth=int(data["year"]),
            gender=data["gender"],
            state_lgd=state,
            district_lgd=int(data["district"]),
            pin_code=data["pin_code"],
        )
        await ctx.services.healthid.set_profile(data["draft"], profile)
        for key in ANSWERS:
            data.pop(key, None)
        return Go(then)

    return save


def profile_steps(*, then: str) -> list[Step[Services]]:
    """The steps `first_name` to `district`, in the order a person meets them; the profile
    saved, the conversation goes on to the step `then`."""
    return [
        Prompt("first_name", "flows.enrol.full_name", parse=parse_full_name, then=name_given),
        Menu("gender", "flows.enrol.gender", [gender_option(g) for g in ("M", "F", "O")]),
        Prompt("year", "flows.enrol.year", parse=parse_year, store="year"),
        Prompt(
            "pincode",
            "flows.enrol.pincode",
            parse=parse_pin_code,
            then=pin_code_given(then),
            leads_to=(then, "state", "district"),
            help_key="flows.enrol.pincode_help",
        ),
        PlaceStep("state", "flows.enrol.state", store="state", districts_of=None),
        PlaceStep(
            "district",
            "flows.enrol.district",
            store="district",
            districts_of="state",
            then=profile_done(then),
            leads_to=(then,),
        ),
    ]
