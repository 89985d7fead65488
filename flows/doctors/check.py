"""Reading a doctor's answers back before they go to the council, in two short screens.

Why two: read back whole, a registration is a dozen lines, three SMS parts in Hindi and five
USSD screens; and a reply that long is kept in the conversation's state for paging, beside
the answers themselves, past the 1 KB a conversation may take. Halves fit one SMS reply each
in both languages, and a mistake is noticed next to its neighbours.

    Please check: Asha Rao, mobile 9876543210 / Uttar Pradesh Medical Council /
    Registration no. UP/2012/5678 (2012)             1. Correct, continue 2. Start again
    MBBS, KGMU, KGMU, 2010 / Child health (paediatrics) / Modern medicine (allopathy) /
    11 years of experience / Works at Sanjeevani ...  1. Submit for verification 2. Start again
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator

from core.errors import NotFound
from core.healthid import mobile as mobiles
from core.professionals.councils import COUNCILS
from core.professionals.masters import specialisation_key, system_key
from core.services import Services
from flows import Choice, Go, Input, Message, Outcome, Reply, Step, match_choice, msg, retry
from flows.ctx import Ctx
from flows.find.common import shown

RESTART = Choice("restart", "find.reg.restart")
#: Where "Start again" leads: the first question, with every answer forgotten.
FIRST_QUESTION = "name"


def who(ctx: Ctx) -> list[Message]:
    """The person and their registration."""
    data = ctx.data
    person = msg(
        "find.reg.summary.person", name=data["name"], mobile=mobiles.national(data["mobile"])
    )
    email = [msg("find.reg.summary.email", email=data["email"])] if data.get("email") else []
    return [
        msg("find.reg.check"),
        person,
        *email,
        msg(COUNCILS[data["council"]].label_key),
        msg("find.reg.summary.registration", number=data["number"], year=data["year"]),
    ]


async def training(ctx: Ctx) -> list[Message]:
    """Their qualification, practice and place of work."""
    data = ctx.data
    qualification = msg(
        "find.reg.summary.qualification",
        degree=data["degree"],
        institution=data["institution"],
        university=data["university"],
        year=data["degree_year"],
    )
    return [
        qualification,
        msg(specialisation_key(data["specialisation"])),
        msg(system_key(data["system"])),
        msg("find.reg.summary.experience", years=data["experience"]),
        await place_of_work(ctx),
    ]


async def place_of_work(ctx: Ctx) -> Message:
    facility_id = ctx.data.get("facility")
    if not facility_id:
        return msg("find.reg.summary.no_place")
    try:
        facility = await ctx.services.facilities.get(facility_id)
    except NotFound:
        return msg("find.reg.summary.place", place=facility_id)
    return msg("find.reg.summary.place", place=shown(facility.name, 40))


class CheckStep(Step[Services]):
    """Say `lines`; `ok` leads on through `then`, "Start again" forgets every answer."""

    def __init__(
        self,
        name: str,
        lines: Callable[[Ctx], Awaitable[list[Message]] | list[Message]],
        ok: Choice,
        then: Callable[[Ctx], Awaitable[Outcome]],
    ) -> None:
        super().__init__(name, help_key="find.reg.help")
        self.lines = lines
        self.ok = ok
        self.then = then

    async def ask(self, ctx: Ctx) -> Reply:
        said = self.lines(ctx)
        lines = said if isinstance(said, list) else await said
        return Reply(messages=tuple(lines), choices=(self.ok, RESTART))

    async def take(self, ctx: Ctx, answer: Input) -> Outcome:
        choice = match_choice((self.ok, RESTART), answer)
        if choice is None:
            return retry("engine.choose", max=2)
        if choice is RESTART:
            ctx.data.clear()
            return Go(FIRST_QUESTION)
        return await self.then(ctx)

    def targets(self) -> Iterator[str | Go]:
        return iter([FIRST_QUESTION])
