"""The USSD main menu's line for a facility's link request, and the Yes / No it leads to.

(dial) -> Arogya: your Health ID (ABHA) ... 10. Sanjeevani Hospital wants to add your visits
   10 -> Sanjeevani Hospital wants to add your visits to your ABHA. 1. Yes 2. No

Why a line on the menu: a feature phone may have missed or deleted the SMS, and USSD cannot
receive one mid-session; the caller's number is the identity on USSD (the network delivers the
dial), exactly what the SMS "YES <code>" relies on, so the same rule holds: no PIN (see
core.records.linking). Why "10": 1 to 7 are the fixed options, 8 the pending consent, 9 a health
worker's entry, 0 and 98 the keypad's back and more; a fixed key that none of them uses keeps
every number a person has learned in place. Shown on USSD and SMS (the phone channels, where the
number is the person); a Telegram chat answers with the notice's buttons instead.

`flows.menu.MainMenu` calls `offer` when it asks and `chosen` when it takes.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from core.consent.notice import clip
from core.services import Services
from flows import Flow, Go, Input, Menu, Message, Option, Outcome, Reply, finish, msg
from flows.ctx import Ctx, is_phone_channel
from flows.linking import answered, holder_abhas

FLOW = "link_prompt"
NUMBER = "10"
_SHOWN = "link_pending"
#: The facility's name is cut here in the menu line (the prompt names it whole), as the
#: consent line's is: the line shares the menu's first page.
NAME_MAX = 20


async def offer(ctx: Ctx, reply: Reply) -> Reply:
    """`reply` with the newest waiting request's line, on a phone with one."""
    ctx.data.pop(_SHOWN, None)
    if not is_phone_channel(ctx):
        return reply
    waiting = await ctx.services.links.pending_for(await holder_abhas(ctx))
    if not waiting:
        return reply
    newest = waiting[0]
    ctx.data[_SHOWN] = {"id": newest.id, "facility": newest.facility}
    line = msg("link.main.pending", number=NUMBER, facility=clip(newest.facility, NAME_MAX))
    return Reply(messages=(*reply.messages, line), choices=reply.choices)


def chosen(ctx: Ctx, answer: Input) -> Outcome | None:
    """The prompt, if `answer` names the line shown."""
    shown = ctx.data.get(_SHOWN)
    if not shown or answer.choice is not None or answer.text != NUMBER:
        return None
    return Go(flow=FLOW, data={"id": shown["id"], "facility": shown["facility"]})


def _question(ctx: Ctx) -> Message:
    return msg("link.prompt.ask", facility=ctx.data.get("facility", ""))


def _answer(approve: bool) -> Callable[[Ctx], Awaitable[Outcome]]:
    async def decide(ctx: Ctx) -> Outcome:
        result = await ctx.services.links.answer(
            await holder_abhas(ctx),
            approve=approve,
            request_id=str(ctx.data.get("id", "")),
            channel=ctx.channel,
        )
        return finish(answered(result))

    return decide


def link_prompt_flow() -> Flow[Services]:
    return Flow[Services](
        FLOW,
        [
            Menu(
                "ask",
                _question,
                [
                    Option("yes", "link.prompt.yes", _answer(True)),
                    Option("no", "link.prompt.no", _answer(False)),
                ],
            )
        ],
    )
