"""One short line (or a few) per FHIR resource a Composition section points at.

Why per resource: the same Observation or Condition appears in an OP consultation, a discharge
summary and a wellness record; each HI type module only decides which sections to show and in
what order. A resource with nothing readable yields no line rather than a placeholder.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fhir.resources.R4B.allergyintolerance import AllergyIntolerance
from fhir.resources.R4B.appointment import Appointment
from fhir.resources.R4B.attachment import Attachment
from fhir.resources.R4B.careplan import CarePlan
from fhir.resources.R4B.condition import Condition
from fhir.resources.R4B.diagnosticreport import DiagnosticReport
from fhir.resources.R4B.documentreference import DocumentReference
from fhir.resources.R4B.encounter import Encounter
from fhir.resources.R4B.immunization import Immunization
from fhir.resources.R4B.immunizationrecommendation import ImmunizationRecommendation
from fhir.resources.R4B.medicationrequest import MedicationRequest
from fhir.resources.R4B.observation import Observation, ObservationReferenceRange
from fhir.resources.R4B.procedure import Procedure
from fhir.resources.R4B.resource import Resource
from fhir.resources.R4B.servicerequest import ServiceRequest

from core.records.summary.context import Ctx
from core.records.summary.dosage import medicine_line, quantity_text
from core.records.summary.index import clean, concept_text, concepts_text

#: Observation.interpretation codes (HL7 v3) a catalog names.
FLAGS = {
    "H": "high",
    "HH": "high",
    "HU": "high",
    "L": "low",
    "LL": "low",
    "LU": "low",
    "A": "abnormal",
    "AA": "abnormal",
    "N": "normal",
}


def _value(source: Any, ctx: Ctx) -> str | None:
    """The value[x] of an Observation or one of its components, as written."""
    words = ctx.words
    if source.valueQuantity is not None:
        return quantity_text(source.valueQuantity, ctx)
    if source.valueBoolean is not None:
        return words("yes" if source.valueBoolean else "no")
    if source.valueRange is not None:
        low = quantity_text(source.valueRange.low, ctx) or ""
        return f"{low}–{quantity_text(source.valueRange.high, ctx) or ''}"
    if source.valueDateTime is not None:
        return words.date(source.valueDateTime)
    if source.valueInteger is not None:
        return str(source.valueInteger)
    return concept_text(source.valueCodeableConcept) or clean(source.valueString)


def _flag(observation: Observation, ctx: Ctx) -> str | None:
    for concept in observation.interpretation or []:
        for coding in concept.coding or []:
            if str(coding.code) in FLAGS:
                return ctx.words(f"flag.{FLAGS[str(coding.code)]}")
        return concept_text(concept)
    return None


def _range(reference: ObservationReferenceRange, ctx: Ctx) -> str | None:
    words = ctx.words
    low, high = reference.low, reference.high
    if low is not None and high is not None and low.value is not None and high.value is not None:
        unit = clean(high.unit) or clean(high.code) or ""
        if (clean(low.unit) or clean(low.code) or "") == unit:
            span = f"{words.number(low.value)}–{words.number(high.value)} {unit}".strip()
            return words("range.between", span=span)
        span = f"{quantity_text(low, ctx)}–{quantity_text(high, ctx)}"
        return words("range.between", span=span)
    if low is not None and low.value is not None:
        return words("range.above", low=quantity_text(low, ctx))
    if high is not None and high.value is not None:
        return words("range.below", high=quantity_text(high, ctx))
    text = clean(reference.text)
    return words("range.text", text=text) if text else None


def observation_line(observation: Observation, ctx: Ctx) -> str | None:
    """`Hemoglobin: 10.2 g/dL, low, normal 13–17 g/dL`; a panel lists its components."""
    name = concept_text(observation.code)
    value = _value(observation, ctx)
    if observation.component:
        parts = [
            f"{concept_text(c.code) or ''} {_value(c, ctx) or ''}".strip()
            for c in observation.component
        ]
        value = ", ".join(part for part in parts if part) or value
    if not name or not value:
        return name  # a named finding without a value still says something; no name says nothing
    extra = [_flag(observation, ctx), *(_range(r, ctx) for r in observation.referenceRange or [])]
    return ctx.words("line.value", name=name, value=", ".join([value, *filter(None, extra)]))


def condition_line(condition: Condition, ctx: Ctx) -> str | None:
    return concept_text(condition.code)


def allergy_line(allergy: AllergyIntolerance, ctx: Ctx) -> str | None:
    substance = concept_text(allergy.code)
    if substance and allergy.criticality == "high":
        return f"{substance}, {ctx.words('allergy.high_risk')}"
    return substance


def service_request_line(request: ServiceRequest, ctx: Ctx) -> str | None:
    return concept_text(request.code)


def procedure_line(procedure: Procedure, ctx: Ctx) -> str | None:
    """`Coronary artery bypass grafting, 7 Dec 2016; complication: Bleeding`."""
    name = concept_text(procedure.code)
    if name is None:
        return None
    when = procedure.performedDateTime or (
        procedure.performedPeriod.start if procedure.performedPeriod else None
    )
    day = ctx.words.date(when)
    line = ctx.words("line.on_date", what=name, date=day) if day else name
    complication = concepts_text(procedure.complication)
    if complication:
        line += "; " + ctx.words("line.complication", text=complication)
    return line


def appointment_line(appointment: Appointment, ctx: Ctx) -> str | None:
    day = ctx.words.date(appointment.start)
    what = clean(appointment.description) or concepts_text(appointment.serviceType)
    if what and day:
        return ctx.words("line.appointment", what=what, date=day)
    return what or (ctx.words("line.visit_on", date=day) if day else None)


def care_plan_line(plan: CarePlan, ctx: Ctx) -> str | None:
    title = clean(plan.title)
    advice = clean(plan.description) or "; ".join(
        text for text in (clean(note.text) for note in plan.note or []) if text
    )
    if title and advice:
        return f"{title}: {advice}"
    return title or advice or None


def immunization_line(immunization: Immunization, ctx: Ctx) -> str | None:
    """`Rotavirus Vaccine, dose 2nd, 1 Aug 2019, batch 1XXYTZZ`."""
    vaccine = concept_text(immunization.vaccineCode)
    if vaccine is None:
        return None
    if immunization.status == "not-done":
        return ctx.words("vaccine.not_given", vaccine=vaccine)
    applied = immunization.protocolApplied[0] if immunization.protocolApplied else None
    dose = applied and (applied.doseNumberPositiveInt or clean(applied.doseNumberString))
    parts = [
        vaccine,
        ctx.words("vaccine.dose", dose=dose) if dose else None,
        ctx.words.date(immunization.occurrenceDateTime or immunization.occurrenceString),
        ctx.words("vaccine.batch", batch=immunization.lotNumber)
        if immunization.lotNumber
        else None,
    ]
    return ", ".join(part for part in parts if part)


def recommendation_lines(recommendation: ImmunizationRecommendation, ctx: Ctx) -> list[str]:
    """`Tuberculosis - Live Attenuated, due 7 Aug 2019`."""
    lines = []
    for item in recommendation.recommendation or []:
        vaccine = concepts_text(item.vaccineCode) or concept_text(item.targetDisease)
        due = ctx.words.date(item.dateCriterion[0].value) if item.dateCriterion else None
        if vaccine:
            lines.append(f"{vaccine}, {ctx.words('vaccine.due', date=due)}" if due else vaccine)
    return lines


def attachment_line(name: str | None, attachment: Attachment, ctx: Ctx) -> str | None:
    """`Surgical Pathology Report: PDF, 116 KB`."""
    title = name or clean(attachment.title)
    content = str(attachment.contentType or "").split(";")[0].strip().lower()
    if content == "application/pdf":
        kind = ctx.words("content.pdf")
    elif content.startswith("image/"):
        kind = ctx.words("content.image", format=content.removeprefix("image/").upper())
    else:
        kind = content or ctx.words("content.unknown")
    size = attachment.size or (len(attachment.data) if attachment.data else None)
    details = f"{kind}, {ctx.words.size(size)}" if size else kind
    return ctx.words("line.value", name=title, value=details) if title else details


def document_lines(document: DocumentReference, ctx: Ctx) -> list[str]:
    name = concept_text(document.type) or clean(document.description)
    found = (attachment_line(name, content.attachment, ctx) for content in document.content)
    return [line for line in found if line]


def report_lines(report: DiagnosticReport, ctx: Ctx) -> list[str]:
    """A report's results, its conclusion and any attached report file."""
    lines = [
        observation_line(r, ctx)
        for r in ctx.index.resolve_all(report.result)
        if isinstance(r, Observation)
    ]
    conclusion = clean(report.conclusion) or concepts_text(report.conclusionCode)
    if conclusion:
        lines.append(ctx.words("line.conclusion", text=conclusion))
    lines.extend(attachment_line(None, form, ctx) for form in report.presentedForm or [])
    return [line for line in lines if line]


def admission_line(encounter: Encounter, ctx: Ctx) -> str | None:
    period = encounter.period
    start = ctx.words.date(period.start) if period else None
    end = ctx.words.date(period.end) if period else None
    if start and end:
        return ctx.words("line.admitted", start=start, end=end)
    return ctx.words("line.admitted_on", start=start) if start else None


def _one(render: Callable[[Any, Ctx], str | None]) -> Callable[[Any, Ctx], list[str]]:
    def lines(resource: Any, ctx: Ctx) -> list[str]:
        line = render(resource, ctx)
        return [line] if line else []

    return lines


RENDERERS: dict[type[Resource], Callable[[Any, Ctx], list[str]]] = {
    MedicationRequest: _one(medicine_line),
    Observation: _one(observation_line),
    Condition: _one(condition_line),
    AllergyIntolerance: _one(allergy_line),
    ServiceRequest: _one(service_request_line),
    Procedure: _one(procedure_line),
    Appointment: _one(appointment_line),
    CarePlan: _one(care_plan_line),
    Immunization: _one(immunization_line),
    ImmunizationRecommendation: recommendation_lines,
    DocumentReference: document_lines,
    DiagnosticReport: report_lines,
}


def resource_lines(resource: Resource, ctx: Ctx) -> list[str]:
    render = RENDERERS.get(type(resource))
    return render(resource, ctx) if render else []
