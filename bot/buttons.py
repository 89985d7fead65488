"""Inline buttons bound to the question they answer.

Why bound: a Telegram chat keeps every old menu on screen, and any of its buttons can be pressed
hours later. A button that only said "choice 1" would then answer whatever question is pending
now, perhaps "Create my Health ID?" instead of "Which state?". So each button carries

- the *turn*: the `update_id` whose reply showed it (update ids only grow, so a newer question
  always has a newer turn, even after the conversation state expired and began again),
- the choice id the flow gave it,
- a short HMAC over (chat, turn, where the conversation waited, choice) with the server's
  secret, so data we did not issue is recognised as such ("forged") rather than mistaken for an
  old button.

Packed with aiogram's `CallbackData`: `s:<turn>:<sig>:<choice>`, within Telegram's 64 bytes.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

from aiogram.filters.callback_data import MAX_CALLBACK_LENGTH, CallbackData

#: Characters of the base64url HMAC kept: 60 bits, plenty against guessing a live button.
SIGNATURE_CHARS = 10


PREFIX = "s"
SEPARATOR = ":"


class StepButton(CallbackData, prefix=PREFIX, sep=SEPARATOR):
    turn: int
    sig: str
    choice: str


class ButtonSigner:
    def __init__(self, secret: str) -> None:
        self._key = hmac.new(secret.encode(), b"arogya:telegram:buttons", hashlib.sha256).digest()

    def _sign(self, chat_id: int, turn: int, position: str | None, choice: str) -> str:
        message = "\x1f".join((str(chat_id), str(turn), position or "-", choice)).encode()
        digest = hmac.new(self._key, message, hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).decode()[:SIGNATURE_CHARS]

    def button(self, chat_id: int, turn: int, position: str | None, choice: str) -> str:
        """Callback data for `choice` at `position`, as `StepButton(...).pack()` writes it
        (spelled out: a reply carries up to eight buttons, and a pydantic model each was a
        measurable share of a menu step). ValueError if it cannot be packed (an id with `:` or
        one too long for 64 bytes: a flow bug, found in the flow's own tests)."""
        if SEPARATOR in choice:
            raise ValueError(f"Separator symbol {SEPARATOR!r} can not be used in {choice!r}")
        data = f"{PREFIX}{SEPARATOR}{turn}{SEPARATOR}{self._sign(chat_id, turn, position, choice)}"
        data = f"{data}{SEPARATOR}{choice}"
        if len(data.encode()) > MAX_CALLBACK_LENGTH:
            raise ValueError(f"callback data {data!r} is too long")
        return data

    def genuine(self, chat_id: int, button: StepButton, position: str | None) -> bool:
        """Did we issue this button, in this chat, for this turn at this position?"""
        expected = self._sign(chat_id, button.turn, position, button.choice)
        return hmac.compare_digest(expected, button.sig)
