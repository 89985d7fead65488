"""Steps the Health ID conversations share: the mobile number, the OTP, places, PINs.

Why shared: creating a Health ID and logging in both confirm a mobile and take an OTP, and both
must behave identically on every channel (the sender's own number offered on USSD and SMS, the
contact-share button on Telegram, "1" to resend an OTP everywhere).
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

from core.errors import ArogyaError
from core.facilities import lgd
from core.healthid import mobile as mobiles
from core.healthid import pins
from core.services import Services
from flows import (
    Choice,
    Context,
    Go,
    Input,
    Invalid,
    Next,
    Outcome,
    Reply,
    Step,
    finish,
    msg,
    retry,
)
from flows.steps import match_choice

Ctx = Context[Services]
#: What a step does with the value it took: decides where the conversation goes next.
Then = Callable[[Ctx, Any], Awaitable[Outcome]]

#: Channels where the sender's phone number is the identity (Telegram knows only a chat id).
PHONE_CHANNELS = frozenset({"ussd", "sms"})


def is_phone_channel(ctx: Ctx) -> bool:
    return ctx.channel in PHONE_CHANNELS


class MobileStep(Step[Services]):
    """Which mobile number? On USSD/SMS offer the sender's own; elsewhere ask for one.

    The chosen E.164 number is stored in `ctx.data["mobile"]`; `then` starts the OTP.
    """

    def __init__(self, name: str, *, other_step: str, then: Then) -> None:
        super().__init__(name, help_key="flows.mobile.help")
        self.other_step = other_step
        self.then = then
        self._choices = (
            Choice("self", "flows.mobile.this"),
            Choice("other", "flows.mobile.other"),
        )

    async def ask(self, ctx: Ctx) -> Reply:
        if is_phone_channel(ctx):
            shown = mobiles.national(ctx.subject)
            confirm = msg("flows.mobile.confirm", mobile=shown)
            return Reply(messages=(confirm,), choices=self._choices)
        return Reply(messages=(msg("flows.mobile.ask"),), request_contact=True)

    async def take(self, ctx: Ctx, answer: Input) -> Outcome:
        if not is_phone_channel(ctx):
            return await take_mobile(ctx, answer, self.then)
        choice = match_choice(self._choices, answer)
        if choice is None:
            return retry("engine.choose", max=len(self._choices))
        if choice.id == "other":
            return Go(self.other_step)
        ctx.data["mobile"] = mobiles.parse(ctx.subject)
        return await self.then(ctx, ctx.data["mobile"])

    def targets(self) -> Iterator[str | Go]:
        return iter([self.other_step])


class OtherMobileStep(Step[Services]):
    """Type another mobile number (it gets its own OTP)."""

    def __init__(self, name: str, *, then: Then) -> None:
        super().__init__(name, help_key="flows.mobile.help")
        self.then = then

    async def ask(self, ctx: Ctx) -> Reply:
        return Reply(messages=(msg("flows.mobile.ask"),), request_contact=not is_phone_channel(ctx))

    async def take(self, ctx: Ctx, answer: Input) -> Outcome:
        return await take_mobile(ctx, answer, self.then)


async def take_mobile(ctx: Ctx, answer: Input, then: Then) -> Outcome:
    text = answer.contact or answer.text
    if not text:
        raise Invalid("flows.mobile.ask")
    ctx.data["mobile"] = mobiles.parse(text)  # raises mobile.invalid, translated by the engine
    return await then(ctx, ctx.data["mobile"])


#: Core refusals that mean "this OTP transaction is over": start a new one, don't re-ask.
OTP_OVER = frozenset({"otp.expired", "otp.unknown", "otp.resend_limit", "aadhaar.txn_expired"})


class OtpStep(Step[Services]):
    """Type the 6-digit OTP, or choose "1" to have it sent again.

    `ctx.data["txn"]` holds the OTP transaction and `ctx.data["masked"]` the masked mobile it
    went to; `verify` checks the code with core and decides what follows. When the transaction
    is over (expired, or sent too often), `restart` begins a new one rather than leaving the
    person re-typing codes that can never work.
    """

    def __init__(
        self, name: str, *, verify: Then, restart: Callable[[Ctx], Awaitable[Outcome]]
    ) -> None:
        super().__init__(name, help_key="flows.otp.help")
        self.verify = verify
        self.restart = restart
        self._choices = (Choice("resend", "flows.otp.resend"),)

    async def ask(self, ctx: Ctx) -> Reply:
        return Reply(
            messages=(msg("flows.otp.ask", mobile=ctx.data.get("masked", "")),),
            choices=self._choices,
        )

    async def take(self, ctx: Ctx, answer: Input) -> Outcome:
        try:
            if match_choice(self._choices, answer) is not None:
                ticket = await ctx.services.healthid.resend_otp(ctx.data["txn"], lang=ctx.lang)
                ctx.data["masked"] = mobiles.mask(ticket.mobile)
                return retry("flows.otp.resent", counts=False, mobile=ctx.data["masked"])
            code = (answer.text or "").replace(" ", "")
            if not (len(code) == 6 and code.isascii() and code.isdigit()):
                raise Invalid("flows.otp.format")
            return await self.verify(ctx, code)
        except ArogyaError as refusal:
            if refusal.code == "otp.resend_too_soon":  # a wait, not a mistake
                return retry(f"error.{refusal.code}", counts=False, **refusal.params)
            if refusal.code == "otp.locked":  # nothing to do here for half an hour
                return finish(msg(f"error.{refusal.code}", **refusal.params))
            if refusal.code not in OTP_OVER:
                raise
            return await self.restart(ctx)


class PlaceStep(Step[Services]):
    """Choose a state, or a district of the chosen state, from the LGD master.

    Six places a page and "7. More" for the next six: a page then fits a Hindi USSD screen,
    numbers stay one digit to type, and the conversation keeps only an offset, never the list.
    """

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


def pin_digest(ctx: Ctx, pin: str) -> str:
    """A keyed digest so "type your PIN again" can be checked without keeping the PIN itself."""
    key = ctx.services.settings.secret_key.get_secret_value().encode()
    salt = f"{ctx.key.state_key()}:{ctx.flow}".encode()
    return hmac.new(key, salt + b":" + pin.encode(), hashlib.sha256).hexdigest()[:32]


def parse_new_pin(year_of_birth: int | None = None) -> Callable[[str], str]:
    def parse(text: str) -> str:
        return pins.check_strength(pins.check_format(text.strip()), year_of_birth)

    return parse


def parse_pin(text: str) -> str:
    return pins.check_format(text.strip())
