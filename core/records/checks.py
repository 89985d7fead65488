"""The shapes of what a partner or a person hands the records service.

Why strict: a care context reference travels in a URL path (`/care-contexts/{ref}/documents`)
and an idempotency key in a header, so both are kept to characters that need no escaping.
Every refusal is `records.invalid` naming its `field`.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from core.errors import InvalidInput

REFERENCE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:\-]{0,63}")
IDEMPOTENCY_KEY = re.compile(r"[A-Za-z0-9._:\-]{1,128}")
DISPLAY_MAX = 200


def invalid(field: str) -> InvalidInput:
    return InvalidInput("records.invalid", field=field)


def check_reference(reference: object) -> str:
    if not isinstance(reference, str) or not REFERENCE.fullmatch(reference):
        raise invalid("reference")
    return reference


def check_display(display: object, field: str = "display") -> str:
    text = " ".join(display.split()) if isinstance(display, str) else ""
    if not 1 <= len(text) <= DISPLAY_MAX:
        raise invalid(field)
    return text


def check_idempotency_key(key: object) -> str | None:
    if key is None:
        return None
    if not isinstance(key, str) or not IDEMPOTENCY_KEY.fullmatch(key):
        raise invalid("idempotency_key")
    return key


def check_visit_date(value: object, today: date) -> date:
    """A visit's date: a real date, not in the future (a day's grace covers time zones)."""
    if isinstance(value, datetime):
        value = value.date()
    if not isinstance(value, date) or value.year < 1900 or (value - today).days > 1:
        raise invalid("date")
    return value
