"""Reading a doctor's typed answers, each with its own error message.

Why not let core's refusal through: `register` says only "hpr.invalid (field)", which is right
for the partner API but leaves a person on SMS guessing what to retype. Each parser here uses
the registry's own rule (`core.professionals.application`), so the conversation can never
accept what the registry would refuse, and says in the person's words what went wrong.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from core.errors import InvalidInput, NotFound
from core.professionals import application as rules
from flows import Invalid, Next, Outcome
from flows.ctx import Ctx

#: "0" skips an optional answer (the convention of the Health ID flows: "0 if none").
SKIP = "0"


def parse_name(text: str) -> str:
    try:
        return rules.clean_name(text)
    except InvalidInput:
        raise Invalid("find.reg.name.invalid") from None


def parse_email(text: str) -> str:
    """An address, or "" when skipped."""
    if text.strip() == SKIP:
        return ""
    try:
        return rules.clean_email(text)
    except InvalidInput:
        raise Invalid("find.reg.email.invalid") from None


def parse_registration_number(text: str) -> str:
    try:
        return rules.clean_registration_number(text)
    except InvalidInput:
        raise Invalid("find.reg.number.invalid") from None


def text_parser(field: str, max_length: int) -> Callable[[str], str]:
    """Free text (a degree, a college): any printable characters, up to `max_length`."""

    def parse(text: str) -> str:
        try:
            return rules.clean_text(text, field, max_length=max_length)
        except InvalidInput:
            raise Invalid("find.reg.text.invalid", max=max_length) from None

    return parse


def parse_experience(text: str) -> int:
    if not (text.isascii() and text.isdigit()) or int(text) > rules.MAX_EXPERIENCE:
        raise Invalid("find.reg.experience.invalid", max=rules.MAX_EXPERIENCE)
    return int(text)


def year_answer(store: str) -> Callable[[Ctx, str], Awaitable[Outcome]]:
    """A year from 1900 to this year (the injected clock's), stored under `store`."""

    async def take(ctx: Ctx, text: str) -> Outcome:
        latest = ctx.now().year
        if not (text.isascii() and text.isdigit() and rules.EARLIEST_YEAR <= int(text) <= latest):
            raise Invalid("find.reg.year.invalid", min=rules.EARLIEST_YEAR, max=latest)
        ctx.data[store] = int(text)
        return Next()

    return take


async def facility_answer(ctx: Ctx, text: str) -> Outcome:
    """An HFR facility id the registry holds (whatever its status), or "0" for none yet."""
    if text.strip() == SKIP:
        ctx.data.pop("facility", None)
        return Next()
    try:
        facility_id = rules.clean_facility_id(text)
        await ctx.services.facilities.get(facility_id)
    except (InvalidInput, NotFound):
        raise Invalid("find.reg.facility.unknown") from None
    ctx.data["facility"] = facility_id
    return Next()
