"""Proving a mobile number: which number, then the OTP sent to it.

    Use 98765 43210 for your Health ID? 1. Yes 2. Another number     (USSD, SMS)
    Type your mobile number, or share it with the button below        (Telegram)
    -> Type the 6-digit OTP sent to ******3210. 1. Send OTP again

Why written once: creating a Health ID, logging in and a doctor registering all prove a mobile,
and must do it alike on every channel: the sender's own number offered on USSD and SMS, the
contact-share button on Telegram, "1" to have the OTP sent again, a wait or a lockout said for
what it is. What differs is the caller's to say: the words (`Words`), which core service
resends and verifies the OTP, and where a proved mobile (or a transaction that is over) leads.

Why these refusals end a transaction (`OTP_OVER`) and start a new one rather than ask for the
code again: an expired, unknown or too often resent transaction can never verify; nor can a
used one (`otp.used`: a transaction verifies once, e.g. the code typed again after "back"), so
the person is sent a new OTP, told so, and asked for that one. UIDAI's own words for all of
these (`aadhaar.txn_expired`) mean the same.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass

from core.errors import ArogyaError
from core.healthid import mobile as mobiles
from core.otp.service import OtpTicket
from core.services import Services
from flows.ctx import Ctx, is_phone_channel
from flows.flow import Invalid, Step
from flows.outcomes import Go, Outcome, finish, retry
from flows.steps import match_choice
from flows.types import Choice, Input, Reply, msg

#: What a step does with the mobile or code it took: decides where the conversation goes next.
Then = Callable[[Ctx, str], Awaitable[Outcome]]
#: Sends the OTP of the transaction `ctx.data["txn"]` again, with the core service that started it.
Resend = Callable[[Ctx, str], Awaitable[OtpTicket]]
#: The transaction is over: start a new one (and say so), or go where that can be done.
Restart = Callable[[Ctx], Awaitable[Outcome]]

#: Core refusals that mean "this OTP transaction is over": start a new one, don't re-ask.
OTP_OVER = frozenset(
    {"otp.expired", "otp.unknown", "otp.resend_limit", "otp.used", "aadhaar.txn_expired"}
)


@dataclass(frozen=True, slots=True)
class Words:
    """The message keys one registry's proof steps say."""

    #: "Use {mobile} ...?" (USSD, SMS), with the choices `this` and `other`.
    confirm: str
    this: str
    other: str
    #: "Type your mobile number" (and, on Telegram, share it).
    ask: str
    mobile_help: str
    #: "Type the OTP sent to {mobile}", with the choice `resend`.
    otp: str
    resend: str
    #: "A new OTP was sent to {mobile}" (not counted as a mistake).
    resent: str
    otp_format: str
    otp_help: str


#: The Health ID registry's words (creating a Health ID, logging in).
HEALTH_ID = Words(
    confirm="flows.mobile.confirm",
    this="flows.mobile.this",
    other="flows.mobile.other",
    ask="flows.mobile.ask",
    mobile_help="flows.mobile.help",
    otp="flows.otp.ask",
    resend="flows.otp.resend",
    resent="flows.otp.resent",
    otp_format="flows.otp.format",
    otp_help="flows.otp.help",
)


async def resend_health_id(ctx: Ctx, txn: str) -> OtpTicket:
    """The Health ID registry sends any OTP it started again (enrolment, Aadhaar, login)."""
    return await ctx.services.healthid.resend_otp(txn, lang=ctx.lang)


async def take_mobile(ctx: Ctx, answer: Input, words: Words, then: Then) -> Outcome:
    """A typed or shared number, kept as E.164 in `ctx.data["mobile"]`, then `then`."""
    text = answer.contact or answer.text
    if not text:
        raise Invalid(words.ask)
    ctx.data["mobile"] = mobiles.parse(text)  # raises mobile.invalid, said by the engine
    return await then(ctx, ctx.data["mobile"])


class MobileStep(Step[Services]):
    """Which mobile number? On USSD/SMS offer the sender's own; elsewhere ask for one.

    The chosen E.164 number is stored in `ctx.data["mobile"]`; `then` starts the OTP.
    `leads_to` names the steps `then` may go to, for the engine's start-up check.
    """

    def __init__(
        self, name: str, words: Words, *, other_step: str, then: Then, leads_to: Sequence[str] = ()
    ) -> None:
        super().__init__(name, help_key=words.mobile_help)
        self.words = words
        self.other_step = other_step
        self.then = then
        self.leads_to = tuple(leads_to)
        self._choices = (Choice("self", words.this), Choice("other", words.other))

    async def ask(self, ctx: Ctx) -> Reply:
        if is_phone_channel(ctx):
            confirm = msg(self.words.confirm, mobile=mobiles.national(ctx.subject))
            return Reply(messages=(confirm,), choices=self._choices)
        return Reply(messages=(msg(self.words.ask),), request_contact=True)

    async def take(self, ctx: Ctx, answer: Input) -> Outcome:
        if not is_phone_channel(ctx):
            return await take_mobile(ctx, answer, self.words, self.then)
        choice = match_choice(self._choices, answer)
        if choice is None:
            return retry("engine.choose", max=len(self._choices))
        if choice.id == "other":
            return Go(self.other_step)
        ctx.data["mobile"] = mobiles.parse(ctx.subject)
        return await self.then(ctx, ctx.data["mobile"])

    def targets(self) -> Iterator[str | Go]:
        return iter([self.other_step, *self.leads_to])


class OtherMobileStep(Step[Services]):
    """Type another mobile number (it gets its own OTP)."""

    def __init__(
        self, name: str, words: Words, *, then: Then, leads_to: Sequence[str] = ()
    ) -> None:
        super().__init__(name, help_key=words.mobile_help)
        self.words = words
        self.then = then
        self.leads_to = tuple(leads_to)

    async def ask(self, ctx: Ctx) -> Reply:
        return Reply(messages=(msg(self.words.ask),), request_contact=not is_phone_channel(ctx))

    async def take(self, ctx: Ctx, answer: Input) -> Outcome:
        return await take_mobile(ctx, answer, self.words, self.then)

    def targets(self) -> Iterator[str | Go]:
        return iter(self.leads_to)


class OtpStep(Step[Services]):
    """Type the 6-digit OTP, or choose "1" to have it sent again.

    `ctx.data["txn"]` holds the OTP transaction and `ctx.data["masked"]` the masked mobile it
    went to; `verify` checks the code with core and decides what follows. When the transaction
    is over (`OTP_OVER`), `restart` begins a new one.
    """

    def __init__(
        self,
        name: str,
        words: Words,
        *,
        resend: Resend,
        verify: Then,
        restart: Restart,
        leads_to: Sequence[str] = (),
    ) -> None:
        super().__init__(name, help_key=words.otp_help)
        self.words = words
        self.resend = resend
        self.verify = verify
        self.restart = restart
        self.leads_to = tuple(leads_to)
        self._choices = (Choice("resend", words.resend),)

    async def ask(self, ctx: Ctx) -> Reply:
        asked = msg(self.words.otp, mobile=ctx.data.get("masked", ""))
        return Reply(messages=(asked,), choices=self._choices)

    async def take(self, ctx: Ctx, answer: Input) -> Outcome:
        try:
            if match_choice(self._choices, answer) is not None:
                ticket = await self.resend(ctx, ctx.data["txn"])
                ctx.data["masked"] = mobiles.mask(ticket.mobile)
                return retry(self.words.resent, counts=False, mobile=ctx.data["masked"])
            code = (answer.text or "").replace(" ", "")
            if not (len(code) == 6 and code.isascii() and code.isdigit()):
                raise Invalid(self.words.otp_format)
            return await self.verify(ctx, code)
        except ArogyaError as refusal:
            if refusal.code == "otp.resend_too_soon":  # a wait, not a mistake
                return retry(f"error.{refusal.code}", counts=False, **refusal.params)
            if refusal.code == "otp.locked":  # nothing to do here for half an hour
                return finish(msg(f"error.{refusal.code}", **refusal.params))
            if refusal.code not in OTP_OVER:
                raise
            return await self.restart(ctx)

    def targets(self) -> Iterator[str | Go]:
        return iter(self.leads_to)
