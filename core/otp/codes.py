"""Making and checking OTP codes.

Why HMAC-SHA256 with a per-transaction salt, not scrypt: a 6-digit code has only a million
values, so no password hash makes a stolen row safe by cost alone: a GPU walks a million scrypt
guesses in minutes, and the code is dead in ten anyway. What does protect it is a key the
database does not hold: the HMAC is keyed with `settings.secret_key`, so a dump of the table
alone reveals nothing, and the random salt keeps two transactions with the same code from
sharing a hash. It also keeps verification cheap on the hot path of a USSD hop. Comparison is
constant-time (`hmac.compare_digest`).
"""

from __future__ import annotations

import hashlib
import hmac
import random

CODE_DIGITS = 6


def new_code(rng: random.Random) -> str:
    """Six digits, leading zeros kept (`rng` is `secrets.SystemRandom` in production)."""
    return f"{rng.randrange(10**CODE_DIGITS):0{CODE_DIGITS}d}"


def new_salt(rng: random.Random) -> str:
    return rng.randbytes(16).hex()


def code_hash(secret_key: str, salt: str, txn_id: str, code: str) -> str:
    """The stored form of a code, bound to its transaction and salt."""
    message = f"arogya.otp.v1|{txn_id}|{salt}|{code}".encode()
    return hmac.new(secret_key.encode(), message, hashlib.sha256).hexdigest()


def code_matches(secret_key: str, salt: str, txn_id: str, code: str, stored: str) -> bool:
    return hmac.compare_digest(code_hash(secret_key, salt, txn_id, code), stored)
