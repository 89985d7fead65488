"""What the USSD channel remembers of a gateway session, and how it reads the `text` field.

Why: Africa's Talking sends `text` as *every* input of the session so far joined by `*`
(`1*Asha*2001`). Splitting on `*` would break an input that itself contains `*`, so instead we
remember how much of `text` we have already consumed (its length and a digest, not the text: a
10 kB `text` must not bloat the store) and take the newest input as what follows it. The
record also keeps the last reply and the page shown, so "98"/"0" page through a long reply
without disturbing the conversation, and a repeated request (same session, same `text`) is
answered with the same page and no second effect. A long reply is kept packed
(`webhooks.kept_reply`), so the record stays small.

The record lives inside the conversation's state (`Session.channel["ussd"]`), so it is written
in the same `set` as the conversation it describes.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from webhooks.kept_reply import pack, unpack


def digest(text: str, key: bytes = b"") -> str:
    """Keyed with the server's secret in production: `text` holds every input of the session,
    the OTP and the PIN among them, and an unkeyed digest of a few known inputs and a 4-digit
    PIN is 10,000 guesses away from the PIN for anyone who can read the state store."""
    data = text.encode("utf-8", "surrogatepass")
    return hashlib.blake2b(data, digest_size=12, key=key[:64]).hexdigest()


@dataclass
class UssdSession:
    #: The gateway's sessionId.
    sid: str
    #: Length and digest of the `text` answered last (everything consumed so far).
    consumed_len: int = 0
    consumed_digest: str = ""
    #: How many inputs that `text` holds (0 right after the dial).
    inputs: int = 0
    #: The engine's last reply (JSON) and which of its pages is showing.
    reply: dict[str, Any] = field(default_factory=dict)
    page: int = 0
    #: The digest key (not saved): `Settings.secret_key`-derived, see `digest`.
    key: bytes = field(default=b"", repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.consumed_digest:
            self.consumed_digest = digest("", self.key)

    def is_repeat(self, text: str) -> bool:
        return len(text) == self.consumed_len and digest(text, self.key) == self.consumed_digest

    def newest_input(self, text: str) -> str | None:
        """What was typed since the last request, or None when `text` does not continue it."""
        if self.inputs == 0:
            return text
        head, rest = text[: self.consumed_len], text[self.consumed_len :]
        if not rest.startswith("*") or digest(head, self.key) != self.consumed_digest:
            return None
        return rest[1:]

    def consume(self, text: str) -> None:
        self.inputs += 1
        self.consumed_len = len(text)
        self.consumed_digest = digest(text, self.key)

    def to_json(self) -> dict[str, Any]:
        return {
            "sid": self.sid,
            "len": self.consumed_len,
            "digest": self.consumed_digest,
            "inputs": self.inputs,
            "reply": pack(self.reply),
            "page": self.page,
        }

    @classmethod
    def from_json(cls, raw: dict[str, Any], key: bytes = b"") -> UssdSession:
        return cls(
            sid=str(raw["sid"]),
            consumed_len=int(raw["len"]),
            consumed_digest=str(raw["digest"]),
            inputs=int(raw["inputs"]),
            reply=unpack(raw["reply"]),
            page=int(raw["page"]),
            key=key,
        )

    @classmethod
    def dialled(cls, sid: str, text: str, key: bytes = b"") -> UssdSession:
        """A session's first request; its `text` is empty unless the code carried an input."""
        return cls(
            sid=sid,
            consumed_len=len(text),
            consumed_digest=digest(text, key),
            inputs=int(bool(text)),
            key=key,
        )
