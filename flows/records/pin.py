"""The holder's PIN, asked after the OTP login and before any record is listed.

Why a PIN on top of the OTP: a shared family phone receives the OTP too; the PIN is what only the
holder knows (docs/design.md §4). Core counts the wrong PINs and locks the PIN after five for half
an hour, whichever channel they came from; the flow only says so: a wrong PIN is said with the tries
left and asked again, a lockout ends the flow at the main menu. A holder who never set a PIN
(enrolled elsewhere) sets one here first, just proved by the OTP, as in "My Health ID".

The step is named `home` because the shared login steps of `flows.login` lead a proved
holder to the step of that name.
"""

from __future__ import annotations

from core.errors import ArogyaError
from core.services import Services
from flows import Input, Message, Outcome, Reply, Step, finish, go, msg
from flows.ctx import Ctx
from flows.healthid.recover import forgot_pin, is_forgot, pin_question
from flows.pin import parse_new_pin, parse_pin, pin_digest

#: What login leaves in the data that reading records does not need (the state stays small).
LOGIN_LEFTOVERS = ("mobile", "set_pin", "pin", "linked")


class PinStep(Step[Services]):
    def __init__(self, name: str = "home") -> None:
        super().__init__(name, help_key="recordsflow.pin.help")

    async def ask(self, ctx: Ctx) -> Reply:
        person = await ctx.services.healthid.get(ctx.data["abha"])
        if person.has_pin:
            ctx.data.pop("set_pin", None)
            return pin_question(ctx, msg("recordsflow.pin.ask"))
        ctx.data["set_pin"] = True
        return Reply.of(msg("recordsflow.pin.none"), msg("flows.pin.new"))

    async def take(self, ctx: Ctx, answer: Input) -> Outcome:
        text = answer.text or ""
        if ctx.data.get("set_pin"):
            person = await ctx.services.healthid.get(ctx.data["abha"])
            ctx.data["pin"] = pin_digest(ctx, parse_new_pin(person.year_of_birth)(text))
            return go("pin_again")
        if is_forgot(answer):  # "9. Forgot PIN": an OTP to the ABHA's mobile, then a new PIN
            return await forgot_pin(ctx)
        try:
            await ctx.services.healthid.verify_pin(ctx.data["abha"], parse_pin(text))
        except ArogyaError as refusal:
            if refusal.code == "pin.locked":  # nothing to do here for half an hour
                return finish(msg(f"error.{refusal.code}", **refusal.params))
            raise  # pin.invalid (with the tries left), pin.format: said, and asked again
        return await unlocked(ctx)


async def pin_confirmed(ctx: Ctx, pin: str) -> Outcome:
    """The new PIN typed twice alike: set it, then on to the records."""
    if pin_digest(ctx, pin) != ctx.data.pop("pin", None):
        return go("home", msg("flows.pin.mismatch"))
    await ctx.services.healthid.set_pin(ctx.data["abha"], pin, channel=ctx.channel)
    return await unlocked(ctx, msg("recordsflow.pin.set"))


async def unlocked(ctx: Ctx, *say: Message) -> Outcome:
    """The holder is proved: their records, or the news that there are none yet."""
    for key in LOGIN_LEFTOVERS:
        ctx.data.pop(key, None)
    first = await ctx.services.records.list_records(ctx.data["abha"], page_size=1)
    if first.total == 0:
        return finish(*say, msg("recordsflow.none"))
    ctx.data.pop("type", None)
    ctx.data["at"] = 1
    return go("list", *say)
