"""A PIN typed in a conversation: read as typed, and typed again to confirm a new one.

Why here: creating a Health ID, "My Health ID" and "My records" all set a PIN the same way
(type it, type it again), and all read one with core's rules (`core.healthid.pins`). Between
the two typings only core's keyed digest is kept in the conversation, never the PIN.
"""

from __future__ import annotations

from collections.abc import Callable

from core.healthid import pins
from flows.ctx import Ctx


def parse_pin(text: str) -> str:
    return pins.check_format(text.strip())


def parse_new_pin(year_of_birth: int | None = None) -> Callable[[str], str]:
    """A new PIN: well formed and not one a guesser tries first (`pin.weak`)."""

    def parse(text: str) -> str:
        return pins.check_strength(pins.check_format(text.strip()), year_of_birth)

    return parse


def pin_digest(ctx: Ctx, pin: str) -> str:
    """What is kept between "PIN" and "PIN again": core's digest, bound to this conversation."""
    secret = ctx.services.settings.secret_key.get_secret_value()
    return pins.confirmation_digest(pin, secret=secret, scope=f"{ctx.key.state_key()}:{ctx.flow}")
