"""ABDM's `ABHAProfile` read as the registry's demographics, checked before it is kept.

Why checked: the profile becomes a local person that cards, records and consent read; an
answer with no first name, an unknown gender or an impossible birth date is a malformed
answer (`abdm.bad_answer`, logged by field name), not a person.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from core.abdm.client import Json
from core.abdm.faults import bad_answer
from core.healthid.profile import Demographics


def demographics(profile: Json, path: str) -> Demographics:
    """ABDM's `ABHAProfile` as the registry's demographics (dob is `dd-mm-yyyy`)."""
    try:
        day, month, year = (int(part) for part in str(profile["dob"]).split("-"))
        date(year, month, day)  # a real day, or the answer is malformed
        gender = str(profile["gender"])
        first = str(profile["firstName"]).strip()
    except (KeyError, ValueError, TypeError, OverflowError):  # a year past C's long: malformed
        raise bad_answer(path, "ABHAProfile") from None
    if not first or gender not in ("M", "F", "O", "T"):
        raise bad_answer(path, "ABHAProfile")
    line = profile.get("address") or profile.get("addressLine1")
    return Demographics(
        first_name=first,
        middle_name=str(profile.get("middleName") or "").strip() or None,
        last_name=str(profile.get("lastName") or "").strip() or None,
        gender="O" if gender == "T" else gender,
        year_of_birth=year,
        month_of_birth=month,
        day_of_birth=day,
        address_line=str(line) if line else None,
        state_lgd=_int(profile.get("stateCode")),
        district_lgd=_int(profile.get("districtCode")),
        pin_code=str(profile.get("pinCode") or ""),
    )


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def address_of(profile: Json) -> str | None:
    """The first ABHA address an existing ABHA already has, if any."""
    listed = profile.get("phrAddress")
    if isinstance(listed, list) and listed:
        return str(listed[0])
    return None
