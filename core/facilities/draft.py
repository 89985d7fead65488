"""What a facility declares about itself, and the checks it must pass before it is stored.

Why check here and not in the partner API: flows (an administrator's CLI, a future chat flow)
register facilities too, and every door must apply the same rules. Each refusal is
`facility.invalid` with the offending `field`, so the API can point at it and a flow can
re-ask exactly that question.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar
from urllib.parse import urlsplit

import phonenumbers

from core.errors import InvalidInput
from core.facilities import lgd
from core.facilities.models import FacilityType, Ownership, SystemOfMedicine
from core.netcheck import forbidden_address, is_loopback

NAME_MAX = 200
ADDRESS_MAX = 300
LIST_MAX_ITEMS = 30
LIST_ITEM_MAX = 100
URL_MAX = 500
_PINCODE = re.compile(r"[1-9][0-9]{5}")

E = TypeVar("E", bound=StrEnum)


@dataclass(frozen=True, slots=True)
class FacilityDraft:
    """A facility as typed by whoever registers it (enums may still be plain strings)."""

    name: str
    facility_type: FacilityType | str
    ownership: Ownership | str
    system_of_medicine: SystemOfMedicine | str
    address: str
    state_code: int
    district_code: int
    pincode: str
    phone: str
    specialities: Sequence[str] = ()
    services: Sequence[str] = ()
    callback_url: str | None = None


@dataclass(frozen=True, slots=True)
class FacilityFields:
    """A draft that passed every check, normalised (enums, E.164 phone, tidy lists)."""

    name: str
    facility_type: FacilityType
    ownership: Ownership
    system_of_medicine: SystemOfMedicine
    address: str
    state_code: int
    district_code: int
    pincode: str
    phone: str
    specialities: tuple[str, ...]
    services: tuple[str, ...]
    callback_url: str | None


def _invalid(field: str) -> InvalidInput:
    return InvalidInput("facility.invalid", field=field)


def tidy(text: str) -> str:
    """Trim and collapse runs of whitespace (people paste names from spreadsheets)."""
    return " ".join(text.split())


def _text(value: object, field: str) -> str:
    """A JSON body may carry a number where text belongs: refuse it, do not crash on it."""
    if not isinstance(value, str):
        raise _invalid(field)
    return value


def check_text(value: str, field: str, *, minimum: int, maximum: int) -> str:
    text = tidy(_text(value, field))
    if not minimum <= len(text) <= maximum or not any(char.isalpha() for char in text):
        raise _invalid(field)
    return text


def check_enum(value: E | str, enum: type[E], field: str) -> E:
    try:
        return enum(value.strip().lower() if isinstance(value, str) else value)
    except ValueError as exc:
        raise _invalid(field) from exc


def check_pincode(value: str) -> str:
    """India Post PIN codes: six digits, never starting with 0."""
    digits = "".join(_text(value, "pincode").split())
    if not _PINCODE.fullmatch(digits):
        raise _invalid("pincode")
    return digits


def check_phone(value: str) -> str:
    """Any valid Indian number (a facility's phone is often a landline), as E.164."""
    try:
        number = phonenumbers.parse(_text(value, "phone"), "IN")
    except phonenumbers.NumberParseException as exc:
        raise _invalid("phone") from exc
    if number.country_code != 91 or not phonenumbers.is_valid_number(number):
        raise _invalid("phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def check_callback_url(value: str | None, *, development: bool = False) -> str | None:
    """https only (records and consent notices travel there), to a public address. Only in
    development (`AROGYA_ENV=development`) may it point at loopback, there over plain http too,
    for a partner's local test server. Credentials in the URL are refused: they would be
    stored and logged in clear."""
    if value is None or not _text(value, "callback_url").strip():
        return None
    url = value.strip()
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError as exc:
        raise _invalid("callback_url") from exc
    local = development and is_loopback(host)
    secure = parts.scheme == "https" or (parts.scheme == "http" and local)
    if len(url) > URL_MAX or not secure or not host or parts.username or parts.password:
        raise _invalid("callback_url")
    # a private, link-local, metadata or (outside development) loopback address
    if forbidden_address(host, allow_loopback=development):
        raise _invalid("callback_url")
    return url


def check_list(values: Sequence[str], field: str) -> tuple[str, ...]:
    """Tidy items, drop repeats (case-insensitively), keep the declared order."""
    if isinstance(values, str) or len(values) > LIST_MAX_ITEMS:
        raise _invalid(field)
    seen: dict[str, str] = {}
    for value in values:
        if not isinstance(value, str):
            raise _invalid(field)
        item = tidy(value)
        if not 1 <= len(item) <= LIST_ITEM_MAX:
            raise _invalid(field)
        seen.setdefault(item.casefold(), item)
    return tuple(seen.values())


def check_place(state_code: int, district_code: int) -> tuple[int, int]:
    """The state must be a real one; a district we know must lie in it. A district missing
    from our sample table is accepted (it is not wrong, only unnamed here)."""
    if type(state_code) is not int or lgd.state(state_code) is None:
        raise _invalid("state_code")
    if type(district_code) is not int or not 1 <= district_code <= lgd.DISTRICT_CODE_MAX:
        raise _invalid("district_code")
    known = lgd.district(district_code)
    if known is not None and known.state_code != state_code:
        raise _invalid("district_code")
    return state_code, district_code


def check(draft: FacilityDraft, *, development: bool = False) -> FacilityFields:
    state_code, district_code = check_place(draft.state_code, draft.district_code)
    return FacilityFields(
        name=check_text(draft.name, "name", minimum=3, maximum=NAME_MAX),
        facility_type=check_enum(draft.facility_type, FacilityType, "facility_type"),
        ownership=check_enum(draft.ownership, Ownership, "ownership"),
        system_of_medicine=check_enum(
            draft.system_of_medicine, SystemOfMedicine, "system_of_medicine"
        ),
        address=check_text(draft.address, "address", minimum=5, maximum=ADDRESS_MAX),
        state_code=state_code,
        district_code=district_code,
        pincode=check_pincode(draft.pincode),
        phone=check_phone(draft.phone),
        specialities=check_list(draft.specialities, "specialities"),
        services=check_list(draft.services, "services"),
        callback_url=check_callback_url(draft.callback_url, development=development),
    )
