"""Opening "My consents" from the main menu: who is this phone, or this chat?

On USSD and SMS the sender's number is the identity (docs/design.md §4): its one Health ID goes
straight to the list, several are chosen from, none gets a pointer to "Create Health ID". Listing
needs no OTP (the same phone already receives every consent notice); every answer needs the PIN. On
Telegram the chat logs in as "My Health ID" does (a chat that proved its mobile before picks one of
its ABHAs; else an OTP).
"""

from __future__ import annotations

from core.consent.views import ConsentView
from core.healthid import numbers
from flows import Go, Outcome, finish, msg
from flows.ctx import Ctx, is_phone_channel

FLOW = "consents"


async def phone_abhas(ctx: Ctx) -> list[str]:
    """The active Health IDs held by the sender's phone (USSD, SMS), compact numbers."""
    people = await ctx.services.healthid.by_mobile(ctx.subject)
    return [numbers.compact(p.abha_number) for p in people if p.status == "active"]


async def first_pending(ctx: Ctx) -> tuple[ConsentView, int] | None:
    """The newest request waiting for this phone's answer, and how many wait in all (USSD,
    SMS: the number is the identity, so the main menu can show them before anything else)."""
    if not is_phone_channel(ctx):
        return None
    waiting = [
        view for abha in await phone_abhas(ctx) for view in await ctx.services.consent.pending(abha)
    ]
    if not waiting:
        return None
    newest = max(waiting, key=lambda view: view.created_at)
    return newest, len(waiting)


async def open_consents(ctx: Ctx) -> Outcome:
    """The main menu's "My consents"."""
    if not is_phone_channel(ctx):
        return Go(flow=FLOW)  # the flow starts with the chat's login
    held = await phone_abhas(ctx)
    if not held:
        return finish(msg("consent.no_abha"))
    if len(held) == 1:
        return Go("home", flow=FLOW, data={"abha": held[0]})
    return Go("choose", flow=FLOW, data={"choices": held})
