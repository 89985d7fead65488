"""A worker's day: the enrolments she began today, and a way back to those waiting for an OTP.

    2 (Today's list) -> Today: 3
                        10:05 ******5678 ABHA made
                        10:20 no phone  not finished: OTP locked
                        11:02 ******4321 waiting for OTP
                        1. Continue 11:02 ******4321  2. Back

Why "continue" goes straight to the OTP: a beneficiary often walks off to fetch their phone or
the OTP arrives late; the attempt's transaction is kept in her log, and if it is over by now the
OTP step sends a new one (or asks for the Aadhaar again) as it always does.
"""

from __future__ import annotations

from collections.abc import Iterator
from zoneinfo import ZoneInfo

from core.healthid import mobile as mobiles
from core.services import Services
from core.workers.models import AssistedState
from core.workers.views import AssistedView
from flows import Choice, Go, Input, Message, Outcome, Reply, Step, finish, msg, retry
from flows.ctx import Ctx
from flows.steps import match_choice
from flows.workers.who import acting_worker

IST = ZoneInfo("Asia/Kolkata")
#: At most this many waiting ones are offered to continue (a USSD page is small).
RESUME_MAX = 3


def who(view: AssistedView) -> Message:
    if view.beneficiary_mobile is None:
        return msg("workers.day.no_phone")
    return msg("engine.verbatim", text=mobiles.mask(view.beneficiary_mobile))


def line(view: AssistedView) -> Message:
    when = view.started_at.astimezone(IST).strftime("%H:%M")
    state = msg(f"workers.state.{view.state.value}")
    if view.state is AssistedState.FAILED and view.reason:
        reason = msg(f"workers.reason.{view.reason}") if view.reason in OWN_REASONS else None
        state = msg(
            "workers.state.failed_because",
            reason=reason or msg(f"error.{view.reason}"),
        )
    return msg("workers.day.line", time=when, who=who(view), state=state)


#: Reasons that are no core refusal: the worker's own choices.
OWN_REASONS = frozenset({"declined", "cancelled"})


class DayStep(Step[Services]):
    """Today's list; the waiting ones can be continued."""

    def __init__(self, name: str, *, resume_at: str) -> None:
        super().__init__(name, help_key="workers.day.help")
        self.resume_at = resume_at

    async def _today(self, ctx: Ctx) -> list[AssistedView]:
        worker = await acting_worker(ctx)
        if worker is None:
            return []
        return await ctx.services.workers.assisted.day(worker)

    async def ask(self, ctx: Ctx) -> Reply:
        views = await self._today(ctx)
        waiting = [v for v in views if v.state is AssistedState.WAITING_OTP][-RESUME_MAX:]
        ctx.data["waiting"] = [v.id for v in waiting]
        if not views:
            lines: tuple[Message, ...] = (msg("workers.day.none"),)
        else:
            lines = (msg("workers.day.title", count=len(views)), *(line(v) for v in views))
        choices = tuple(
            Choice(
                v.id[:8],
                "workers.day.resume",
                {"time": v.started_at.astimezone(IST).strftime("%H:%M"), "who": who(v)},
            )
            for v in waiting
        )
        return Reply(messages=lines, choices=(*choices, Choice("back", "workers.day.back")))

    async def take(self, ctx: Ctx, answer: Input) -> Outcome:
        worker = await acting_worker(ctx)
        if worker is None:
            return finish(msg("workers.not_verified"))
        ids: list[str] = ctx.data.get("waiting", [])
        choices = (*(Choice(i[:8], "") for i in ids), Choice("back", ""))
        choice = match_choice(choices, answer)
        if choice is None:
            return retry("engine.choose", max=len(choices))
        if choice.id == "back":
            return Go("home")
        view = await ctx.services.workers.assisted.get(
            next(i for i in ids if i[:8] == choice.id), worker
        )
        if view.state is not AssistedState.WAITING_OTP or view.txn_id is None:
            return Go("day")
        path = "aadhaar" if view.consent.value == "aadhaar" else "mobile"
        mobile = view.beneficiary_mobile or worker.mobile
        ctx.data.clear()
        ctx.data.update(
            enrolment=view.id,
            consent=view.consent.value,
            path=path,
            mobile=mobile,
            txn=view.txn_id,
            masked=mobiles.mask(mobile),
        )
        return Go(self.resume_at)

    def targets(self) -> Iterator[str | Go]:
        return iter(["home", "day", self.resume_at])
