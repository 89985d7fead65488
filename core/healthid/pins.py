"""The holder's 4-digit PIN: format and strength rules, and its slow salted hash.

Why scrypt (hashlib, no extra dependency): a 4-digit PIN has 10,000 values, so the hash cannot
make a stolen row safe by itself; what protects the PIN is the lockout (5 wrong tries, 30
minutes, enforced by the service). scrypt with a per-PIN salt still makes a bulk dump costly to
walk and keeps two people with the same PIN from sharing a hash. The cost `n` comes from
settings (tests lower it).

Why refuse weak PINs: ABDM's apps refuse the PINs everyone guesses first; with only five tries
before a lockout, a guesser's best five must not include the holder's PIN.

Why a confirmation digest: a new PIN is typed twice, in two turns of a conversation, and what
lies between the turns is the conversation's saved state, which must never hold the PIN. It
holds a keyed digest instead, bound to that conversation, and the second typing is compared
with it.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools

from core.errors import InvalidInput

PIN_LENGTH = 4
_SCHEME = "scrypt"
_R, _P, _DKLEN = 8, 1, 32


def check_format(pin: str) -> str:
    """The PIN as typed, trimmed; `pin.format` unless it is exactly four ASCII digits."""
    text = pin.strip()
    if len(text) != PIN_LENGTH or not (text.isascii() and text.isdigit()):
        raise InvalidInput("pin.format")
    return text


def is_weak(pin: str, year_of_birth: int | None = None) -> bool:
    """One digit repeated (1111), a run up or down (1234, 9876, 0123), a pair twice (1212),
    or the holder's birth year (1990)."""
    digits = [int(char) for char in pin]
    steps = {b - a for a, b in itertools.pairwise(digits)}
    return (
        (len(steps) == 1 and steps <= {-1, 0, 1})
        or pin[:2] == pin[2:]
        or (year_of_birth is not None and pin == f"{year_of_birth:04d}")
    )


def check_strength(pin: str, year_of_birth: int | None = None) -> str:
    """`check_format`, then `pin.weak` for a guessable PIN."""
    text = check_format(pin)
    if is_weak(text, year_of_birth):
        raise InvalidInput("pin.weak")
    return text


def confirmation_digest(pin: str, *, secret: str, scope: str) -> str:
    """A keyed digest of `pin` to check "type your PIN again" against, of no use outside
    `scope` (a conversation and its flow) and without the server's `secret`."""
    message = f"{scope}:{pin}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()[:32]


def hash_pin(pin: str, *, cost: int, salt: bytes) -> str:
    """`scrypt$n$r$p$salt$hash`: the parameters travel with the hash so the cost can change."""
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=cost, r=_R, p=_P, dklen=_DKLEN)
    return f"{_SCHEME}${cost}${_R}${_P}${salt.hex()}${digest.hex()}"


def cost_of(stored: str) -> int:
    """The scrypt cost `n` a stored `hash_pin` value was made with."""
    return int(stored.split("$")[1])


def pin_matches(pin: str, stored: str) -> bool:
    """Constant-time comparison against a stored `hash_pin` value."""
    scheme, cost, r, p, salt, expected = stored.split("$")
    if scheme != _SCHEME:
        raise ValueError(f"unknown PIN hash scheme {scheme!r}")
    digest = hashlib.scrypt(
        pin.encode(), salt=bytes.fromhex(salt), n=int(cost), r=int(r), p=int(p), dklen=_DKLEN
    )
    return hmac.compare_digest(digest.hex(), expected)
