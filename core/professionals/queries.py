"""Reading registrations in bulk: the places of work of many rows in one query, and paging.

Why a module: the registry, its search and the console all turn rows into views the same way,
and every list is paged with the same bounds.
"""

from __future__ import annotations

from collections.abc import Sequence

from core.errors import InvalidInput
from core.professionals.models import PlaceOfWork, Professional
from core.professionals.views import ProfessionalView, view_of

MAX_PAGE_SIZE = 100


async def facility_ids_of(rows: Sequence[Professional]) -> dict[int, list[str]]:
    """Each row's places of work in the order given, in one query."""
    places: dict[int, list[str]] = {row.id: [] for row in rows}
    for professional_id, facility_id in (
        await PlaceOfWork.filter(professional_id__in=list(places))
        .order_by("position")
        .values_list("professional_id", "facility_id")
    ):
        places[professional_id].append(facility_id)
    return places


async def views_of(rows: Sequence[Professional]) -> tuple[ProfessionalView, ...]:
    places = await facility_ids_of(rows)
    return tuple(view_of(row, places[row.id]) for row in rows)


def page_bounds(page: int, per_page: int) -> tuple[int, int]:
    if page < 1 or not 1 <= per_page <= MAX_PAGE_SIZE:
        raise InvalidInput("hpr.invalid", field="page")
    return (page - 1) * per_page, per_page
