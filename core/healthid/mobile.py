"""Indian mobile numbers, however a person types them, stored as E.164 and shown masked.

Why phonenumbers: `98765 43210`, `098765-43210`, `+91 9876543210` and `919876543210` are the
same phone, and USSD/SMS gateways hand us yet other spellings. Reading them with Google's
metadata (not a regex) also rejects landlines, which cannot receive an OTP SMS.
"""

from __future__ import annotations

import re

import phonenumbers
from phonenumbers import PhoneNumberType

from core.errors import InvalidInput

REGION = "IN"
_ALLOWED = re.compile(r"[+\d\s\-().]+")
_MOBILE_TYPES = frozenset({PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE})


def parse(text: str) -> str:
    """E.164 (`+919876543210`) of an Indian mobile; `mobile.invalid` for anything else."""
    cleaned = text.strip()
    # phonenumbers would turn letters into keypad digits ("1800-FLOWERS"); a person never means that
    if not _ALLOWED.fullmatch(cleaned):
        raise InvalidInput("mobile.invalid")
    try:
        number = phonenumbers.parse(cleaned, REGION)
    except phonenumbers.NumberParseException as exc:
        raise InvalidInput("mobile.invalid") from exc
    if (
        number.country_code != 91
        or not phonenumbers.is_valid_number(number)
        or phonenumbers.number_type(number) not in _MOBILE_TYPES
    ):
        raise InvalidInput("mobile.invalid")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def is_valid(text: str) -> bool:
    try:
        parse(text)
    except InvalidInput:
        return False
    return True


def mask(e164: str) -> str:
    """`+919876543210` -> `******3210`: enough for a person to recognise their own phone."""
    return "******" + e164[-4:]


def national(e164: str) -> str:
    """The ten digits people write (`9876543210`)."""
    return e164.removeprefix("+91")
