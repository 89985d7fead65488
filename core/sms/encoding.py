"""How many characters fit: GSM-7 versus UCS-2, per 3GPP TS 23.038.

Why it matters: one Devanagari character turns a whole SMS or USSD page into UCS-2, which cuts
an SMS from 160 to 70 characters and a USSD page from 182 to about 80. Every channel that shows
text to a feature phone counts with these functions.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

# The GSM 03.38 default alphabet and its extension table (extension characters cost two septets).
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENDED = frozenset("^{}\\[~]|€\f")


class Encoding(StrEnum):
    GSM7 = "GSM-7"
    UCS2 = "UCS-2"


def encoding_of(text: str) -> Encoding:
    if all(c in GSM7_BASIC or c in GSM7_EXTENDED for c in text):
        return Encoding.GSM7
    return Encoding.UCS2


def length_in_units(text: str, encoding: Encoding | None = None) -> int:
    """Septets for GSM-7 (extension characters count 2), UTF-16 code units for UCS-2."""
    encoding = encoding or encoding_of(text)
    if encoding is Encoding.GSM7:
        return sum(2 if c in GSM7_EXTENDED else 1 for c in text)
    return len(text.encode("utf-16-le")) // 2


@dataclass(frozen=True, slots=True)
class SmsSize:
    encoding: Encoding
    units: int
    segments: int


SINGLE_LIMIT = {Encoding.GSM7: 160, Encoding.UCS2: 70}
PART_LIMIT = {Encoding.GSM7: 153, Encoding.UCS2: 67}


def sms_size(text: str) -> SmsSize:
    encoding = encoding_of(text)
    units = length_in_units(text, encoding)
    if units <= SINGLE_LIMIT[encoding]:
        segments = 1 if units else 0
    else:
        segments = math.ceil(units / PART_LIMIT[encoding])
    return SmsSize(encoding, units, segments)


def fits(text: str, *, gsm7_limit: int, ucs2_limit: int) -> bool:
    """Does `text` fit a page whose budget depends on its encoding (a USSD page, an SMS)?"""
    encoding = encoding_of(text)
    limit = gsm7_limit if encoding is Encoding.GSM7 else ucs2_limit
    return length_in_units(text, encoding) <= limit
