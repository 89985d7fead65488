"""What every Arogya step is handed, and the one fact about a channel the flows rely on.

Why one place: the Health ID, records, consent and doctor conversations all take a
`Context[Services]`, and all must agree on where the sender's phone number *is* the person
(USSD and SMS: the gateway vouches for it) and where it is not (a Telegram chat id, which is
tied to a mobile only by an OTP proved in that chat).
"""

from __future__ import annotations

from core.services import Services
from flows.flow import Context

Ctx = Context[Services]

#: Channels where the sender's phone number is the identity (Telegram knows only a chat id).
PHONE_CHANNELS = frozenset({"ussd", "sms"})


def is_phone_channel(ctx: Ctx) -> bool:
    return ctx.channel in PHONE_CHANNELS
