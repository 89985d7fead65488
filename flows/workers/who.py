"""Which verified health worker is talking to us, if any.

Why only USSD and Telegram: on USSD the operator proves the caller's number (the network
delivered the dial); on Telegram the chat proved its mobile by an OTP (`core.channels`). An SMS
sender can be forged, so SMS never gets "Enrol someone". A worker who is pending, rejected or
withdrawn is no worker here: her phone gets the ordinary menu (fail closed).
"""

from __future__ import annotations

from core.workers.views import WorkerView
from flows.ctx import Ctx

#: Where a phone can act as a health worker.
WORKER_CHANNELS = frozenset({"ussd", "telegram"})


async def chat_mobile(ctx: Ctx) -> str | None:
    """The phone number this conversation speaks for, proved by the network or by an OTP."""
    if ctx.channel == "ussd":
        return ctx.subject
    if ctx.channel == "telegram":
        endpoint = await ctx.services.channels.endpoint(ctx.channel, ctx.subject)
        return None if endpoint is None else endpoint.mobile
    return None


async def acting_worker(ctx: Ctx) -> WorkerView | None:
    """The VERIFIED worker on this conversation's proved mobile, read afresh every time."""
    if ctx.channel not in WORKER_CHANNELS:
        return None
    return await ctx.services.workers.verified_by_mobile(await chat_mobile(ctx))
