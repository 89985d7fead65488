"""Aadhaar numbers: read, check and immediately reduce to what we may keep.

Why so little is kept: the Aadhaar Act forbids an integrator to store the number, yet ABDM
requires one ABHA per Aadhaar. A keyed HMAC-SHA256 (the key in settings, never in the database)
gives a stable value to de-duplicate on that cannot be reversed by enumerating the 10^11 valid
numbers without the key; the last four digits are what UIDAI allows to be shown.

Rules (UIDAI): 12 digits, Verhoeff check digit, first digit 2-9, never a palindrome.
"""

from __future__ import annotations

import hashlib
import hmac
import re

from stdnum.in_ import aadhaar as stdnum_aadhaar

from core.errors import InvalidInput

_SEPARATORS = re.compile(r"[\s\-]+")


def parse(text: str) -> str:
    """`2345 6789 0124` -> `234567890124`; `aadhaar.invalid` when it cannot be an Aadhaar."""
    digits = _SEPARATORS.sub("", text.strip())
    if not digits.isascii() or not stdnum_aadhaar.is_valid(digits):
        raise InvalidInput("aadhaar.invalid")
    return str(digits)


def is_valid(text: str) -> bool:
    try:
        parse(text)
    except InvalidInput:
        return False
    return True


def keyed_hash(number: str, key: str) -> str:
    """The de-duplication value stored instead of the number (64 hex characters)."""
    return hmac.new(key.encode(), number.encode(), hashlib.sha256).hexdigest()


def last4(number: str) -> str:
    return number[-4:]


def mask(number_or_last4: str) -> str:
    """`XXXX-XXXX-1234`, from the full number or from the stored last four digits."""
    return f"XXXX-XXXX-{number_or_last4[-4:]}"
