"""The main menu's "Enrol someone" entry, shown only to a verified health worker.

On USSD it is a line of its own, "9. Enrol someone", after the seven fixed options and the
consent line "8", so no number a person has learned moves; on Telegram it is one more button.
The main menu (`flows.menu.MainMenu`) calls `offer` when it asks and `chosen` when it takes.
"""

from __future__ import annotations

from flows import Choice, Go, Input, Outcome, Reply, msg
from flows.ctx import Ctx
from flows.workers.who import acting_worker

#: The flow a worker enrols others in.
FLOW = "worker_enrol"
NUMBER = "9"
CHOICE = "worker"
_SHOWN = "worker_entry"


async def offer(ctx: Ctx, reply: Reply) -> Reply:
    """`reply` with the entry added when this phone is a verified worker's."""
    ctx.data.pop(_SHOWN, None)
    if await acting_worker(ctx) is None:
        return reply
    ctx.data[_SHOWN] = True
    if ctx.channel == "telegram":
        choice = Choice(CHOICE, "workers.main.enrol")
        return Reply(messages=reply.messages, choices=(*reply.choices, choice))
    line = msg("workers.main.line", number=NUMBER)
    return Reply(messages=(*reply.messages, line), choices=reply.choices)


def chosen(ctx: Ctx, answer: Input) -> Outcome | None:
    """Where the entry leads, if `answer` names it (the flow checks the worker again)."""
    if not ctx.data.get(_SHOWN):
        return None
    if answer.choice == CHOICE or (answer.choice is None and answer.text == NUMBER):
        return Go(flow=FLOW)
    return None
