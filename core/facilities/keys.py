"""Partner API keys: `afk_<key id>_<secret>`, shown once, stored as a hash.

Why two halves: the key id (8 base32 characters) is public and finds the row with one indexed
lookup; the secret (256 bits, 52 base32 characters) is what proves possession. Only SHA-256 of
the secret is stored: with 256 random bits there is nothing for a slow hash to protect, and a
database dump still cannot be replayed. The comparison is constant-time.

Why lowercase base32: a key survives being read aloud, pasted into a shell or a YAML file, and
`afk_` lets secret scanners spot a leaked one. Both halves come from the injected rng, which is
`secrets.SystemRandom` in production and seeded in tests.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import random
import re
from dataclasses import dataclass

PREFIX = "afk"
KEY_ID_BYTES = 5  # 8 base32 characters
SECRET_BYTES = 32  # 52 base32 characters
_SHAPE = re.compile(rf"{PREFIX}_([a-z2-7]{{8}})_([a-z2-7]{{52}})")


@dataclass(frozen=True, slots=True)
class ParsedKey:
    key_id: str
    secret: str


def _b32(raw: bytes) -> str:
    return base64.b32encode(raw).decode().rstrip("=").lower()


def _random_bytes(rng: random.Random, count: int) -> bytes:
    return rng.getrandbits(count * 8).to_bytes(count, "big")


def generate(rng: random.Random) -> tuple[str, ParsedKey]:
    """A new key: the full text to show once, and its halves."""
    parsed = ParsedKey(
        key_id=_b32(_random_bytes(rng, KEY_ID_BYTES)),
        secret=_b32(_random_bytes(rng, SECRET_BYTES)),
    )
    return f"{PREFIX}_{parsed.key_id}_{parsed.secret}", parsed


def parse(text: str) -> ParsedKey | None:
    """The halves of a well-formed key, or None: a malformed key is simply not a key."""
    match = _SHAPE.fullmatch(text.strip())
    if match is None:
        return None
    return ParsedKey(key_id=match.group(1), secret=match.group(2))


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def secret_matches(secret: str, stored_hash: str) -> bool:
    return hmac.compare_digest(hash_secret(secret), stored_hash)
