"""ABDM's consent vocabulary: purposes, HI types, access modes, frequency units, and days.

Why a closed vocabulary: a consent is read by a person on a feature phone and enforced on every
fetch. A purpose or an HI type we do not know could be neither explained to the person nor
matched against records, so it is refused when the HIU asks, never stored.

Why calendar days in IST: a person reads "records from 1 Jan 2024" on their own calendar, and a
record's date is its document's date as written (IST in practice). ABDM sends the date range as
UTC instants; each is turned into the Indian calendar day it falls on, and both ends count.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from core.errors import InvalidInput
from core.records.hitypes import HiType

IST = timezone(timedelta(hours=5, minutes=30), "IST")

#: ABDM purpose of use codes (HL7 v3 PurposeOfUse subset).
PURPOSES: tuple[str, ...] = ("CAREMGT", "BTG", "PUBHLTH", "HPAYMT", "DSRCH", "PATRQT")
#: ABDM's eight HI types, all of which records may hold (Invoice included).
HI_TYPES: tuple[str, ...] = tuple(hi_type.value for hi_type in HiType)
ACCESS_MODES: tuple[str, ...] = ("VIEW", "STORE", "QUERY", "STREAM")
FREQUENCY_UNITS: tuple[str, ...] = ("HOUR", "DAY", "WEEK", "MONTH", "YEAR")


def invalid(field: str) -> InvalidInput:
    return InvalidInput("consent.invalid", field=field)


def parse_purpose(text: object) -> str:
    code = text.strip().upper() if isinstance(text, str) else ""
    if code not in PURPOSES:
        raise InvalidInput("consent.purpose_unknown", purpose=str(text)[:16])
    return code


def parse_hi_type(text: object) -> str:
    """An HI type as ABDM spells it (case-insensitively), in its canonical spelling."""
    wanted = text.strip().casefold() if isinstance(text, str) else ""
    for hi_type in HI_TYPES:
        if hi_type.casefold() == wanted:
            return hi_type
    raise InvalidInput("consent.hi_type_unknown", hi_type=str(text)[:32])


def parse_hi_types(values: object, field: str = "consent.hiTypes") -> tuple[str, ...]:
    """One or more HI types, duplicates dropped, in the order first given."""
    if not isinstance(values, list | tuple) or not values or len(values) > 4 * len(HI_TYPES):
        raise invalid(field)
    return tuple(dict.fromkeys(parse_hi_type(value) for value in values))


def parse_choice(text: object, allowed: tuple[str, ...], field: str) -> str:
    value = text.strip().upper() if isinstance(text, str) else ""
    if value not in allowed:
        raise invalid(field)
    return value


def ist_day(moment: datetime) -> date:
    """The Indian calendar day an instant falls on (naive instants are refused upstream)."""
    return moment.astimezone(IST).date()


def day_text(day: date) -> str:
    """How a date is written on a phone in both languages: 20-11-2026 (GSM-7, unambiguous)."""
    return day.strftime("%d-%m-%Y")
