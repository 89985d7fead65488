"""Medicines: name, dose, how often, for how long, and what for.

Why structured first: a `Dosage` with a timing (`2 times a day, for 7 days`) can be said in
Hindi; a dosage typed as free text (`1 capsule 2 times a day with food`) can only be shown as
the doctor wrote it. So the structured parts win when present and the text is the fallback,
and then it is marked as the hospital's own words, in quotes (`अस्पताल ने लिखा "..."`): a
Hindi reader must not take an English phrase for something Arogya failed to translate (review
D17). Every word Arogya itself produces is said in the reader's language: the frequency from
`Timing.repeat` or from a timing code (BID, TID, QD... of HL7's timing abbreviations), and a
dose's unit of presentation (tablet, capsule) when coded in UCUM or SNOMED CT.
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
#: HL7 timing abbreviations (v3-GTSAbbreviation, FHIR's `timing-abbreviation` value set) as
#: (times, every, UCUM unit): said with the same catalog words as a structured repeat.
TIMING_CODES: dict[str, tuple[int, int, str]] = {
    "QD": (1, 1, "d"),
    "BID": (2, 1, "d"),
    "TID": (3, 1, "d"),
    "QID": (4, 1, "d"),
    "QOD": (1, 2, "d"),
    "Q1H": (1, 1, "h"),
    "Q2H": (1, 2, "h"),
    "Q3H": (1, 3, "h"),
    "Q4H": (1, 4, "h"),
    "Q6H": (1, 6, "h"),
    "Q8H": (1, 8, "h"),
    "WK": (1, 1, "wk"),
    "MO": (1, 1, "mo"),
}
#: Timing abbreviations that name a time of day, not a frequency (`records.timing.<code>`).
TIMES_OF_DAY = frozenset({"AM", "PM", "BED"})
#: Units of presentation of a dose (`records.dose_unit.<name>`), by UCUM annotation or by
#: SNOMED CT code (732936001 |Tablet (unit of presentation)|, 732937005 |Capsule (unit of
#: presentation)|); any other unit is a symbol (mg, mL) and shown as written.
DOSE_UNITS: dict[str, str] = {
    "{tbl}": "tablet",
    "{tablet}": "tablet",
    "{tab}": "tablet",
    "732936001": "tablet",
    "{cap}": "capsule",
    "{capsule}": "capsule",
    "732937005": "capsule",
}


def quantity_text(quantity: Quantity | Duration | None, ctx: Ctx) -> str | None:
    """`90 mg`, `1.3 mmol/L`: the number and the unit as written."""
    if quantity is None or quantity.value is None:
        return None
    unit = clean(quantity.unit) or clean(quantity.code) or ""
    comparator = quantity.comparator or ""
    return f"{comparator}{ctx.words.number(quantity.value)} {unit}".strip()


def dose_text(quantity: Quantity | None, ctx: Ctx) -> str | None:
    """`1 tablet` / `1 गोली` for a coded unit of presentation; else `quantity_text`."""
    if quantity is None or quantity.value is None:
        return None
    name = DOSE_UNITS.get(str(quantity.code or "").strip().lower()) if quantity.code else None
    if name is None:
        return quantity_text(quantity, ctx)
    value = ctx.words.number(quantity.value)
    unit = ctx.words(f"dose_unit.{name}.{'one' if value == '1' else 'other'}")
    return f"{value} {unit}"


def _times(count: int, period: str, unit: str, ctx: Ctx) -> str:
    """`2 times a day`, `once every 4 hours`, in the reader's language."""
    plural = "one" if count == 1 else "other"
    if period == "1":
        return ctx.words(f"freq.per_{unit}.{plural}", count=count)
    unit_words = ctx.words.unit(unit, period)
    return ctx.words(f"freq.every.{plural}", count=count, period=period, unit=unit_words)


def _coded(timing: Timing, ctx: Ctx) -> str | None:
    """A timing abbreviation (BID, QD, AM...) in words; None for a code we cannot say."""
    for coding in (timing.code.coding or []) if timing.code else []:
        code = str(coding.code or "").upper()
        if code in TIMING_CODES:
            count, every, unit = TIMING_CODES[code]
            return _times(count, str(every), unit, ctx)
        if code in TIMES_OF_DAY:
            return ctx.words(f"timing.{code}")
    return None


def _frequency(timing: Timing, ctx: Ctx) -> str | None:
    repeat = timing.repeat
    if repeat is not None and repeat.frequency and repeat.period and repeat.periodUnit:
        unit = str(repeat.periodUnit)
        if unit not in TIME_UNITS:
            return None
        return _times(repeat.frequency, ctx.words.number(repeat.period), unit, ctx)
    coded = _coded(timing, ctx)
    if coded is not None:
        return coded
    written = concept_text(timing.code)
    return ctx.words("dose.written", text=written) if written else None


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
        dose_text(dosage.doseAndRate[0].doseQuantity, ctx) if dosage.doseAndRate else None,
        _frequency(dosage.timing, ctx) if dosage.timing else None,
        ctx.words("dose.as_needed") if dosage.asNeededBoolean else None,
    ]
    if not any(parts):
        written = clean(dosage.text) or clean(dosage.patientInstruction)
        return ctx.words("dose.written", text=written) if written else None
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
    """`dextromethorphan 90 mg (for cough): 1 capsule, 2 times a day`: what for comes with
    the name, before the dose, so that a line broken for a small screen never leaves the
    reason alone after it (review D17)."""
    name = medicine_name(request, ctx)
    if name is None:
        return None
    reason = medicine_reason(request, ctx)
    if reason:
        name = ctx.words("line.for_reason", what=name, reason=reason)
    supply = request.dispenseRequest.expectedSupplyDuration if request.dispenseRequest else None
    dosages = [dosage_text(d, ctx, supply) for d in request.dosageInstruction or []]
    dosage = "; ".join(text for text in dosages if text)
    return ctx.words("line.medicine", name=name, dosage=dosage) if dosage else name
