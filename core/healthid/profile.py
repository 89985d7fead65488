"""Demographics: the same shape whether Aadhaar eKYC returned them or a person typed them.

Why validate here and not in the flows: the partner API and every channel enrol through the
same service, so the rules (a name has letters, a birth date is a real past date, a PIN code
has six digits) live next to the data. A refusal is `profile.invalid` with the `field` that
failed, so a flow can ask for that one field again.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass, replace
from datetime import date
from typing import Any

from core.errors import InvalidInput
from core.healthid.models import Gender

NAME_MAX = 50
EMAIL_MAX = 254
ADDRESS_LINE_MAX = 255
EARLIEST_YEAR = 1900
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]{2,}")
_PIN_CODE = re.compile(r"[1-9][0-9]{5}")
_NAME_PUNCTUATION = frozenset(" .'-")


@dataclass(frozen=True, slots=True)
class Demographics:
    """A person's details. As `SelfDeclaredProfile` it is what the no-Aadhaar path asks for."""

    first_name: str
    year_of_birth: int
    gender: str  # M, F or O
    state_lgd: int
    district_lgd: int
    pin_code: str
    middle_name: str | None = None
    last_name: str | None = None
    month_of_birth: int | None = None
    day_of_birth: int | None = None
    email: str | None = None
    address_line: str | None = None

    @property
    def name(self) -> str:
        parts = (self.first_name, self.middle_name, self.last_name)
        return " ".join(part for part in parts if part)

    @property
    def birth_date(self) -> date | None:
        if self.month_of_birth is None or self.day_of_birth is None:
            return None
        return date(self.year_of_birth, self.month_of_birth, self.day_of_birth)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Demographics:
        return cls(**data)


#: The no-Aadhaar path's input: the person's own declaration, validated by `validated`.
SelfDeclaredProfile = Demographics


def _refuse(field: str) -> InvalidInput:
    return InvalidInput("profile.invalid", field=field)


def clean_name(value: str | None, field: str, *, required: bool) -> str | None:
    """Trimmed, single-spaced; letters (any script, with their vowel signs) and ` .'-` only."""
    text = " ".join((value or "").split())
    if not text:
        if required:
            raise _refuse(field)
        return None
    allowed = all(
        unicodedata.category(char)[0] in "LM" or char in _NAME_PUNCTUATION for char in text
    )
    if len(text) > NAME_MAX or not allowed or not any(char.isalpha() for char in text):
        raise _refuse(field)
    return text


def clean_email(value: str | None) -> str | None:
    """Lowercased, or None when empty (an empty answer clears the email)."""
    text = (value or "").strip()
    if not text:
        return None
    if len(text) > EMAIL_MAX or not _EMAIL.fullmatch(text):
        raise _refuse("email")
    return text.lower()


def clean_address_line(value: str | None) -> str | None:
    text = " ".join((value or "").split())
    if len(text) > ADDRESS_LINE_MAX or any(unicodedata.category(char)[0] == "C" for char in text):
        raise _refuse("address_line")
    return text or None


def _check_birth(profile: Demographics, today: date) -> None:
    year, month, day = profile.year_of_birth, profile.month_of_birth, profile.day_of_birth
    if not isinstance(year, int) or not EARLIEST_YEAR <= year <= today.year:
        raise _refuse("year_of_birth")
    if month is None:
        if day is not None:
            raise _refuse("month_of_birth")
        return
    if not isinstance(month, int) or not 1 <= month <= 12:
        raise _refuse("month_of_birth")
    if day is None:
        if (year, month) > (today.year, today.month):
            raise _refuse("month_of_birth")
        return
    try:
        born = date(year, month, day)
    except (TypeError, ValueError):
        raise _refuse("day_of_birth") from None
    if born > today:
        raise _refuse("day_of_birth")


def validated(profile: Demographics, today: date) -> Demographics:
    """The profile cleaned up, or `profile.invalid(field=...)` naming the first bad field."""
    gender = str(profile.gender or "").strip().upper()
    if gender not in {g.value for g in Gender}:
        raise _refuse("gender")
    _check_birth(profile, today)
    if not isinstance(profile.state_lgd, int) or not 1 <= profile.state_lgd <= 99:
        raise _refuse("state_lgd")
    if not isinstance(profile.district_lgd, int) or not 1 <= profile.district_lgd <= 9999:
        raise _refuse("district_lgd")
    pin_code = str(profile.pin_code or "").strip()
    if not _PIN_CODE.fullmatch(pin_code):
        raise _refuse("pin_code")
    return replace(
        profile,
        first_name=clean_name(profile.first_name, "first_name", required=True) or "",
        middle_name=clean_name(profile.middle_name, "middle_name", required=False),
        last_name=clean_name(profile.last_name, "last_name", required=False),
        gender=gender,
        pin_code=pin_code,
        email=clean_email(profile.email),
        address_line=clean_address_line(profile.address_line),
    )


def split_name(full_name: str) -> tuple[str, str | None, str | None]:
    """eKYC gives one name string: `Ramesh Kumar Sharma` -> first, middle, last."""
    parts = full_name.split()
    if len(parts) == 1:
        return parts[0], None, None
    middle = " ".join(parts[1:-1]) or None
    return parts[0], middle, parts[-1]
