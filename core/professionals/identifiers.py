"""HPR ids (14 random digits) and HPR addresses (`handle@hpr`).

Why no check digit: the HPR id is a registry key, not something read off a card into a USSD
menu, and ABDM publishes no check-digit rule for it, so the format is just 14 digits, the first
not zero. Why random: a sequential id leaks how many doctors registered; the draw comes from the
injected `rng` (a CSPRNG in production, seeded in tests) and the database's unique constraint
settles the rare collision.

A handle follows the ABHA address's character rules (letters, digits, at most one `.` and one
`_`, neither first nor last, at least one letter) with a shorter minimum (4), because doctors'
names make short handles (`dr.rao`). Handles are case-insensitive, stored lower case.
"""

from __future__ import annotations

import random
import re

from core.errors import InvalidInput, NotFound
from core.healthid.address import name_slug

HPR_ID_LENGTH = 14
HANDLE_MIN = 4
HANDLE_MAX = 24
SUFFIX = "hpr"
_HPR_ID = re.compile(r"[1-9][0-9]{13}")
_SEPARATORS = re.compile(r"[\s\-]+")
_HANDLE_CHARS = re.compile(r"[a-z0-9._]+")
#: Honorifics people type before a name; they make poor handles (`dr.dr.rao`).
_TITLES = frozenset({"dr", "doctor", "prof", "shri", "smt", "mr", "mrs", "ms"})


def generate_hpr_id(rng: random.Random) -> str:
    """Fourteen digits, the first 1-9."""
    return str(rng.randint(1, 9)) + "".join(str(rng.randrange(10)) for _ in range(13))


def parse_hpr_id(text: str) -> str:
    """`71-4476-3475-2431` or `71447634752431` -> compact digits; `hpr.not_found` otherwise.

    A malformed id is answered like an unknown one: both mean "no such doctor".
    """
    digits = _SEPARATORS.sub("", text.strip())
    if not _HPR_ID.fullmatch(digits):
        raise NotFound("hpr.not_found")
    return digits


def format_hpr_id(hpr_id: str) -> str:
    """`71447634752431` -> `71-4476-3475-2431`, grouped like an ABHA number for reading."""
    return f"{hpr_id[:2]}-{hpr_id[2:6]}-{hpr_id[6:10]}-{hpr_id[10:]}"


def is_valid_handle(handle: str) -> bool:
    return (
        HANDLE_MIN <= len(handle) <= HANDLE_MAX
        and bool(_HANDLE_CHARS.fullmatch(handle))
        and handle.count(".") <= 1
        and handle.count("_") <= 1
        and handle[0] not in "._"
        and handle[-1] not in "._"
        and any(char.isalpha() for char in handle)
    )


def parse_handle(text: str) -> str:
    """`Dr.Rao` or `dr.rao@HPR` -> `dr.rao`; `hpr.invalid` (field handle) otherwise."""
    handle, at, suffix = text.strip().lower().rpartition("@")
    if not at:
        handle = suffix
    elif suffix != SUFFIX:
        raise InvalidInput("hpr.invalid", field="handle")
    if not is_valid_handle(handle):
        raise InvalidInput("hpr.invalid", field="handle")
    return handle


def address(handle: str) -> str:
    return f"{handle}@{SUFFIX}"


def handle_candidates(name: str, rng: random.Random, count: int = 6) -> list[str]:
    """Valid handles from a name, likeliest first: `asha.rao`, `asharao`, `asha.rao42`...

    The last candidates carry random digits so that even a very common name finds a free one.
    """
    words = [name_slug(word) for word in name.split()]
    words = [word for word in words if word and word not in _TITLES] or ["doctor"]
    first, last = words[0][:11], (words[-1][:11] if len(words) > 1 else "")
    patterns = [f"{first}.{last}", f"{first}{last}"] if last else [first, f"dr.{first}"]
    base = patterns[0]
    while len(patterns) < count:
        patterns.append(f"{base[:20]}{rng.randrange(10, 10_000)}")
    seen: list[str] = []
    for handle in patterns:
        if is_valid_handle(handle) and handle not in seen:
            seen.append(handle)
    return seen
