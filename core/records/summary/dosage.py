"""Medicines: name, dose, how often, for how long, and what for.

Why structured first: a `Dosage` with a timing (`2 times a day, for 7 days`) can be said in
Hindi; a dosage typed as free text (`1 capsule 2 times a day with food`) can only be shown as
the doctor wrote it. So the structured parts win when present and the text is the fallback.
"""

from __future__ import annotations

from fhir.resources.R4B.condition import Condition
from fhir.resources.R4B.dosage import Dosage
from fhir.resources.R4B.duration import Duration
from fhir.resources.R4B.medication import Medication
from fhir.resources.R4B.medicationrequest import MedicationRequest
from fhir.resources.R4B.quantity import Quantity
from fhir.resources.R4B.timing import Timing

from core.records.summary.context import Ctx
from core.records.summary.index import clean, concept_text, concepts_text

#: UCUM units of time a catalog knows how to say.
TIME_UNITS = frozenset({"min", "h", "d", "wk", "mo", "a"})


def quantity_text(quantity: Quantity | Duration | None, ctx: Ctx) -> str | None:
    """`90 mg`, `1.3 mmol/L`: the number and the unit as written."""
    if quantity is None or quantity.value is None:
        return None
    unit = clean(quantity.unit) or clean(quantity.code) or ""
    comparator = quantity.comparator or ""
    return f"{comparator}{ctx.words.number(quantity.value)} {unit}".strip()


def _frequency(timing: Timing, ctx: Ctx) -> str | None:
    repeat = timing.repeat
    if repeat is not None and repeat.frequency and repeat.period and repeat.periodUnit:
        unit = str(repeat.periodUnit)
        if unit not in TIME_UNITS:
            return None
        period = ctx.words.number(repeat.period)
        count = repeat.frequency
        plural = "one" if count == 1 else "other"
        if period == "1":
            return ctx.words(f"freq.per_{unit}.{plural}", count=count)
        unit_words = ctx.words.unit(unit, period)
        return ctx.words(f"freq.every.{plural}", count=count, period=period, unit=unit_words)
    return concept_text(timing.code)


def _duration(duration: Duration | None, ctx: Ctx) -> str | None:
    if duration is None or duration.value is None:
        return None
    code = str(duration.code or duration.unit or "")
    value = ctx.words.number(duration.value)
    if code in TIME_UNITS:
        return ctx.words("duration.for", value=value, unit=ctx.words.unit(code, value))
    return ctx.words("duration.for", value=value, unit=clean(duration.unit) or code)


def dosage_text(dosage: Dosage, ctx: Ctx, supply: Duration | None = None) -> str | None:
    """`1 tablet, 2 times a day, for 7 days`; the free text when nothing is structured.
    `supply` (the dispense request's expected supply) stands in for a missing duration."""
    repeat = dosage.timing.repeat if dosage.timing else None
    parts = [
        quantity_text(dosage.doseAndRate[0].doseQuantity, ctx) if dosage.doseAndRate else None,
        _frequency(dosage.timing, ctx) if dosage.timing else None,
        ctx.words("dose.as_needed") if dosage.asNeededBoolean else None,
    ]
    if not any(parts):
        return clean(dosage.text) or clean(dosage.patientInstruction)
    parts.append(_duration((repeat.boundsDuration if repeat else None) or supply, ctx))
    parts.append(concepts_text(dosage.additionalInstruction))
    return ", ".join(part for part in parts if part)


def medicine_name(request: MedicationRequest, ctx: Ctx) -> str | None:
    name = concept_text(request.medicationCodeableConcept)
    if name is None:
        medication = ctx.index.resolve(request.medicationReference)
        if isinstance(medication, Medication):
            name = concept_text(medication.code)
        if name is None and request.medicationReference is not None:
            name = clean(request.medicationReference.display)
    return name


def medicine_reason(request: MedicationRequest, ctx: Ctx) -> str | None:
    reasons = [
        concept_text(c.code)
        for c in ctx.index.resolve_all(request.reasonReference)
        if isinstance(c, Condition)
    ]
    texts = [text for text in reasons if text] or [concepts_text(request.reasonCode) or ""]
    return ", ".join(text for text in texts if text) or None


def medicine_line(request: MedicationRequest, ctx: Ctx) -> str | None:
    """`dextromethorphan 90 mg: 1 capsule 2 times a day with food (for cough)`."""
    name = medicine_name(request, ctx)
    if name is None:
        return None
    supply = request.dispenseRequest.expectedSupplyDuration if request.dispenseRequest else None
    dosages = [dosage_text(d, ctx, supply) for d in request.dosageInstruction or []]
    dosage = "; ".join(text for text in dosages if text)
    line = ctx.words("line.medicine", name=name, dosage=dosage) if dosage else name
    reason = medicine_reason(request, ctx)
    return ctx.words("line.for_reason", what=line, reason=reason) if reason else line
