"""What every summary shares: its title, who wrote it, where, and the diagnosis gathered from
wherever a bundle keeps it.

Why gather the diagnosis: FHIR bundles state it in three places (Encounter.diagnosis, a
Condition categorised `encounter-diagnosis`, or the reason on a prescription), and a person
wants one "Diagnosis" heading whatever the hospital's software chose.
"""

from __future__ import annotations

from collections.abc import Iterable

from fhir.resources.R4B.condition import Condition
from fhir.resources.R4B.encounter import Encounter
from fhir.resources.R4B.medicationrequest import MedicationRequest
from fhir.resources.R4B.organization import Organization
from fhir.resources.R4B.resource import Resource

from core.records.fhir import Document
from core.records.summary.context import Ctx
from core.records.summary.model import Section, Summary
from core.records.summary.sections import Part, composition_parts, ordered_sections


def title(document: Document, ctx: Ctx) -> str:
    return ctx.words(
        "title",
        type=ctx.words(f"type.{document.hi_type.value}"),
        date=ctx.words.date(document.date),
    )


def intro(document: Document, ctx: Ctx) -> Section | None:
    """`Doctor: Dr Manju Sengar` and `Facility: Max Super Speciality Hospital, Saket`."""
    composition = document.composition
    index = ctx.index
    doctors = [
        index.name_of(author)
        for author in composition.author or []
        if not isinstance(index.resolve(author), Organization)
    ]
    places = [index.name_of(composition.custodian)]
    places += [index.name_of(attester.party) for attester in composition.attester or []]
    places += [
        index.name_of(author)
        for author in composition.author or []
        if isinstance(index.resolve(author), Organization)
    ]
    lines = []
    doctor = next((name for name in doctors if name), None)
    if doctor:
        lines.append(ctx.words("line.doctor", name=doctor))
    place = next((name for name in places if name), None)
    if place:
        lines.append(ctx.words("line.facility", name=place))
    return Section("", tuple(lines)) if lines else None


def encounter(document: Document, ctx: Ctx) -> Encounter | None:
    found = ctx.index.resolve(document.composition.encounter)
    if isinstance(found, Encounter):
        return found
    encounters = ctx.index.of_type(Encounter)
    return encounters[0] if encounters else None


def diagnosis(
    document: Document, ctx: Ctx, shown: Iterable[Part], *, from_reasons: bool = True
) -> Part:
    """Conditions that are diagnoses and are not already shown under another heading; with
    `from_reasons`, also what medicines were prescribed for (an OP visit's only diagnosis is
    often there)."""
    index = ctx.index
    found: list[Resource] = []
    visit = encounter(document, ctx)
    if visit is not None:
        found += index.resolve_all(item.condition for item in visit.diagnosis or [])
    for condition in index.of_type(Condition):
        categories = [c.code for concept in condition.category or [] for c in concept.coding or []]
        if "encounter-diagnosis" in categories:
            found.append(condition)
    for request in index.of_type(MedicationRequest) if from_reasons else []:
        found += index.resolve_all(request.reasonReference)
    already = {id(resource) for part in shown for resource in part.resources}
    conditions: list[Resource] = [
        r for r in found if isinstance(r, Condition) and id(r) not in already
    ]
    return Part("diagnosis", None, conditions)  # `merge` drops repeats


def build(
    document: Document, ctx: Ctx, parts: list[Part], order: Iterable[str], lang: str
) -> Summary:
    lead = intro(document, ctx)
    sections = ordered_sections(parts, order, ctx)
    return Summary(title(document, ctx), tuple(([lead] if lead else []) + sections), lang)


def standard(
    document: Document,
    ctx: Ctx,
    order: Iterable[str],
    *,
    diagnosis_from_reasons: bool | None = None,
    fallback: dict[str, type[Resource]] | None = None,
) -> Summary:
    """The Composition's sections in `order`; `fallback` fills a kind the sections lack from
    every resource of a type (a bundle whose Composition lists nothing still shows its
    medicines); `diagnosis_from_reasons` (True or False, not None) adds the gathered
    diagnosis (see `diagnosis`)."""
    parts = composition_parts(document.composition, ctx)
    kinds = {part.kind for part in parts}
    for kind, resource_type in (fallback or {}).items():
        if kind not in kinds:
            parts.append(Part(kind, None, list(ctx.index.of_type(resource_type))))
    if diagnosis_from_reasons is not None:
        parts.append(diagnosis(document, ctx, parts, from_reasons=diagnosis_from_reasons))
    return build(document, ctx, parts, order, ctx.words.lang)
