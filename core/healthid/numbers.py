"""ABHA numbers: 14 digits, the last a Luhn check digit, shown as `XX-XXXX-XXXX-XXXX`.

Why Luhn: every ABHA number in ABDM's public documents passes it, and a check digit catches the
typo a person makes reading a number off a card into a USSD menu before it costs an OTP.
Why random: a sequential number leaks how many people enrolled and lets anyone guess the next
person's number; the generator draws from the injected `rng` (a CSPRNG in production, seeded in
tests) and the database's unique constraint settles the rare collision.
"""

from __future__ import annotations

import random
import re

from stdnum import luhn

from core.errors import InvalidInput

LENGTH = 14
_SEPARATORS = re.compile(r"[\s\-]+")
_SHAPE = re.compile(r"[1-9][0-9]{13}")


def generate(rng: random.Random) -> str:
    """A fresh 14-digit number: first digit 1-9, twelve random digits, a Luhn check digit."""
    body = str(rng.randint(1, 9)) + "".join(str(rng.randrange(10)) for _ in range(LENGTH - 2))
    return body + luhn.calc_check_digit(body)


def compact(text: str) -> str:
    """Drop the separators people type or copy (`12-3456 7890-1234` -> `12345678901234`)."""
    return _SEPARATORS.sub("", text.strip())


def is_valid(number: str) -> bool:
    """True for a compact or formatted number of the right shape with a good check digit."""
    digits = compact(number)
    return bool(_SHAPE.fullmatch(digits)) and luhn.is_valid(digits)


def parse(text: str) -> str:
    """The compact 14 digits of a typed number; `abha.invalid` if it cannot be one."""
    digits = compact(text)
    if not is_valid(digits):
        raise InvalidInput("abha.invalid")
    return digits


def format(number: str) -> str:
    """`12345678901234` -> `12-3456-7890-1234`, the way ABDM prints it on cards."""
    digits = compact(number)
    return f"{digits[:2]}-{digits[2:6]}-{digits[6:10]}-{digits[10:]}"
