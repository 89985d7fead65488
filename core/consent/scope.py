"""The one place that decides what a consent covers: which care contexts a grant includes, and
which records an artefact releases.

Why one module: "no record leaves without its holder's consent" is true only if every path that
releases a record asks the same question. A grant fixes, per HIP, the care contexts that match
the (possibly narrowed) HI types and dates; a fetch releases a record only if it belongs to the
artefact's person and HIP, to one of those care contexts, and is of one of its HI types and
dated within its range. `covers` says the same in plain Python and is checked again on every
record a query returns, so a query bug cannot widen a consent.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from tortoise.queryset import QuerySet

from core.consent.models import ConsentArtefact, ConsentRequest
from core.consent.terms import parse_hi_type
from core.consent.views import HipChoice, Narrowing
from core.errors import Conflict, InvalidInput
from core.facilities.models import Facility
from core.records.hitypes import HiType
from core.records.models import CareContext, HealthRecord

RECORD_KINDS = frozenset(kind.value for kind in HiType)


@dataclass(frozen=True, slots=True)
class GrantPlan:
    """What a grant will create: the effective terms and, per HIP, its care contexts."""

    hi_types: tuple[str, ...]
    date_from: date
    date_to: date
    hips: dict[str, list[CareContext]]


def _narrow_invalid(field: str) -> InvalidInput:
    return InvalidInput("consent.narrow_invalid", field=field)


def record_kinds(hi_types: tuple[str, ...] | list[str]) -> list[HiType]:
    """The HI types records can have, from a consent's list (unknown names are dropped)."""
    return [HiType(kind) for kind in hi_types if kind in RECORD_KINDS]


async def matching_contexts(
    person_id: int, hi_types: tuple[str, ...], date_from: date, date_to: date
) -> list[CareContext]:
    """The person's care contexts of these HI types, dated within the range, oldest first."""
    kinds = record_kinds(hi_types)
    if not kinds:
        return []
    return (
        await CareContext.filter(
            person_id=person_id,
            hi_type__in=kinds,
            date__gte=date_from,
            date__lte=date_to,
        )
        .order_by("date", "id")
        .select_related("facility")
    )


def within_reach(request: ConsentRequest, contexts: list[CareContext]) -> list[CareContext]:
    """The contexts the request may reach: all, or only its named HIP's (and named visits)."""
    reach = request.reach
    if not reach:
        return contexts
    hip, refs = str(reach.get("hip")), reach.get("careContexts") or []
    return [
        context
        for context in contexts
        if str(context.facility_id) == hip  # type: ignore[attr-defined]
        and (not refs or context.reference in refs)  # type: ignore[operator]
    ]


async def asked_contexts(request: ConsentRequest) -> list[CareContext]:
    """The person's care contexts the request covers, as asked, oldest first."""
    contexts = await matching_contexts(
        request.person_id,  # type: ignore[attr-defined]
        tuple(request.hi_types),
        request.date_from,
        request.date_to,
    )
    return within_reach(request, contexts)


async def hip_choices(request: ConsentRequest) -> tuple[HipChoice, ...]:
    contexts = await asked_contexts(request)
    types: dict[str, dict[str, None]] = defaultdict(dict)
    names: dict[str, str] = {}
    for context in contexts:
        facility: Facility = context.facility
        types[facility.id][str(context.hi_type)] = None
        names[facility.id] = facility.name
    return tuple(HipChoice(hip, names[hip], tuple(kinds)) for hip, kinds in types.items())


async def plan_grant(request: ConsentRequest, narrowing: Narrowing | None) -> GrantPlan:
    """The terms a grant gets: the request's, or a narrowing of them (refused if it widens)."""
    narrowing = narrowing or Narrowing()
    asked = tuple(request.hi_types)
    hi_types = asked
    if narrowing.hi_types is not None:
        try:
            chosen = {parse_hi_type(value) for value in narrowing.hi_types}
        except InvalidInput:
            raise _narrow_invalid("hi_types") from None
        if not chosen or not chosen <= set(asked):
            raise _narrow_invalid("hi_types")
        hi_types = tuple(kind for kind in asked if kind in chosen)
    date_from = narrowing.date_from or request.date_from
    date_to = narrowing.date_to or request.date_to
    if not request.date_from <= date_from <= date_to <= request.date_to:
        raise _narrow_invalid("date_range")
    reached = await asked_contexts(request)
    offered = {str(context.facility_id) for context in reached}  # type: ignore[attr-defined]
    if narrowing.hip_ids is not None and (
        not narrowing.hip_ids or not set(narrowing.hip_ids) <= offered
    ):
        raise _narrow_invalid("hip_ids")  # only HIPs the request reaches may be chosen
    hips: dict[str, list[CareContext]] = defaultdict(list)
    for context in reached:
        hip = str(context.facility_id)  # type: ignore[attr-defined]
        if (
            str(context.hi_type) in hi_types
            and date_from <= context.date <= date_to
            and (narrowing.hip_ids is None or hip in narrowing.hip_ids)
        ):
            hips[hip].append(context)
    if not hips:
        raise Conflict("consent.nothing_to_share")
    return GrantPlan(hi_types, date_from, date_to, dict(hips))


def records_query(artefact: ConsentArtefact) -> QuerySet[HealthRecord] | None:
    """Every record the artefact releases, oldest first (its status is the caller's check);
    None when it can release none (only kinds no record has)."""
    kinds = record_kinds(artefact.hi_types)
    if not kinds or not artefact.care_contexts:
        return None
    return HealthRecord.filter(
        person_id=artefact.person_id,  # type: ignore[attr-defined]
        facility_id=artefact.hip_id,  # type: ignore[attr-defined]
        care_context_id__in=list(artefact.care_contexts),
        hi_type__in=kinds,
        date__gte=artefact.date_from,
        date__lte=artefact.date_to,
    ).order_by("date", "seq")


def covers(artefact: ConsentArtefact, record: HealthRecord) -> bool:
    """The same rule as `records_query`, record by record."""
    return (
        record.person_id == artefact.person_id  # type: ignore[attr-defined]
        and record.facility_id == artefact.hip_id  # type: ignore[attr-defined]
        and record.care_context_id in artefact.care_contexts  # type: ignore[attr-defined]
        and str(record.hi_type) in artefact.hi_types
        and artefact.date_from <= record.date <= artefact.date_to
    )
