"""Council officers' passwords: salted scrypt, parameters stored with the hash.

Why scrypt from hashlib: it is memory-hard (a GPU farm gains little), ships with Python (no new
dependency), and is what the Health ID registry uses for PINs. The cost parameters are written
into each stored hash (`scrypt$n$r$p$salt$hash`), so raising the cost later does not lock out
officers whose hashes were made at the old cost. Hashing takes tens of milliseconds by design,
so the async helpers run it in a worker thread, off the event loop serving USSD hops.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import random

R = 8
P = 1
SALT_BYTES = 16
KEY_BYTES = 32


def _derive(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(
        password.encode(), salt=salt, n=n, r=r, p=p, dklen=KEY_BYTES, maxmem=256 * r * n + 2**20
    )


def _stored(salt: bytes, key: bytes, cost: int) -> str:
    return f"scrypt${cost}${R}${P}${salt.hex()}${key.hex()}"


def hash_password(password: str, rng: random.Random, *, cost: int) -> str:
    """The stored form of `password`; `cost` is scrypt's N (a power of two)."""
    salt = rng.randbytes(SALT_BYTES)
    return _stored(salt, _derive(password, salt, cost, R, P), cost)


def password_matches(password: str, stored: str) -> bool:
    """Constant-time check of `password` against a stored hash; False for a malformed hash."""
    try:
        scheme, n, r, p, salt, key = stored.split("$")
        if scheme != "scrypt":
            return False
        derived = _derive(password, bytes.fromhex(salt), int(n), int(r), int(p))
    except ValueError:
        return False
    return hmac.compare_digest(derived, bytes.fromhex(key))


async def hash_password_async(password: str, rng: random.Random, *, cost: int) -> str:
    # Drawn here, not in the thread: a seeded rng must be used from one thread in order.
    salt = rng.randbytes(SALT_BYTES)
    return _stored(salt, await asyncio.to_thread(_derive, password, salt, cost, R, P), cost)


async def password_matches_async(password: str, stored: str) -> bool:
    return await asyncio.to_thread(password_matches, password, stored)
