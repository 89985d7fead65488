"""The request a "My consents" conversation is about (`ctx.data["abha"]`, `ctx.data["code"]`),
read afresh at every step: it may have been answered meanwhile on another channel, and a step
then says how it was answered instead of its own question.
"""

from __future__ import annotations

from core.consent.models import ConsentStatus
from core.consent.views import ConsentView
from flows import Choice, Message, Reply, msg
from flows.ctx import Ctx
from flows.types import BACK_KEY

#: "0. Back": the one back key of every page (review D12: "2. Back" beside the pager's "0. Back"
#: was two backs on one screen). On a keypad the engine takes "0" as back; a button sends "back".
BACK = Choice("back", "engine.prev", key=BACK_KEY)


async def current(ctx: Ctx) -> ConsentView:
    return await ctx.services.consent.find(ctx.data["abha"], ctx.data["code"])


def is_open(view: ConsentView, ctx: Ctx) -> bool:
    return view.status_now(ctx.now()) is ConsentStatus.REQUESTED


def answered_message(view: ConsentView, ctx: Ctx) -> Message:
    """How the request stands now that it is no longer waiting ("You already denied ...")."""
    status = view.status_now(ctx.now())
    return msg(f"consent.code.answered.{status.value}", code=view.code)


def answered(view: ConsentView, ctx: Ctx) -> Reply:
    """That, and only "Back"."""
    return Reply(messages=(answered_message(view, ctx),), choices=(BACK,))
