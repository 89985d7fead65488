"""Query strings of the listing endpoints, read strictly.

Why strict: `?pin=226004` (for `pincode`) or `?district=Lucknow` silently ignored would answer
every facility in India and look like a working filter. An unknown parameter, a repeated one or
a number that is not plain ASCII digits is refused with the parameter named, so the caller
sees their mistake. An empty value (`?q=`) means "no filter", as HTML forms send it.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

from multidict import MultiMapping

from core.errors import InvalidInput
from core.facilities.models import FacilityStatus, FacilityType

SEARCH_PARAMETERS = frozenset({"q", "type", "district", "pincode", "page", "page_size"})
QUEUE_PARAMETERS = frozenset({"status", "page", "page_size"})
DEFAULT_PAGE_SIZE = 10
#: Longer than any page number or code we take; refuses a megabyte of digits before int().
NUMBER_MAX_DIGITS = 9


@dataclass(frozen=True, slots=True)
class FacilitySearch:
    q: str | None
    facility_type: FacilityType | None
    district: int | None
    pincode: str | None
    page: int
    page_size: int


def _invalid(field: str) -> InvalidInput:
    return InvalidInput("facility.invalid", field=field)


def single_values(query: MultiMapping[str], allowed: Collection[str]) -> dict[str, str]:
    """Each parameter once, known, and non-empty (empty ones are dropped)."""
    values: dict[str, str] = {}
    for name in query:
        if name not in allowed:
            raise InvalidInput("request.unknown_parameter", field=name)
        found = query.getall(name)
        if len(found) > 1:
            raise _invalid(name)
        if found[0].strip():
            values[name] = found[0].strip()
    return values


def number(values: Mapping[str, str], name: str) -> int | None:
    text = values.get(name)
    if text is None:
        return None
    if not (text.isascii() and text.isdigit()) or len(text) > NUMBER_MAX_DIGITS:
        raise _invalid(name)
    return int(text)


def paging(values: Mapping[str, str]) -> tuple[int, int]:
    """Page and page size; their ranges are core's to check (core.facilities.paging)."""
    page = number(values, "page")
    size = number(values, "page_size")
    return 1 if page is None else page, DEFAULT_PAGE_SIZE if size is None else size


def facility_type(values: Mapping[str, str]) -> FacilityType | None:
    text = values.get("type")
    if text is None:
        return None
    try:
        return FacilityType(text.lower())
    except ValueError:
        raise _invalid("type") from None


def facility_search(query: MultiMapping[str]) -> FacilitySearch:
    values = single_values(query, SEARCH_PARAMETERS)
    page, page_size = paging(values)
    return FacilitySearch(
        q=values.get("q"),
        facility_type=facility_type(values),
        district=number(values, "district"),
        pincode=values.get("pincode"),
        page=page,
        page_size=page_size,
    )


def facility_queue(query: MultiMapping[str]) -> tuple[FacilityStatus, int, int]:
    """The administrator's list: one status (SUBMITTED, the work queue, by default)."""
    values = single_values(query, QUEUE_PARAMETERS)
    try:
        status = FacilityStatus(values.get("status", FacilityStatus.SUBMITTED.value).upper())
    except ValueError:
        raise _invalid("status") from None
    page, page_size = paging(values)
    return status, page, page_size
