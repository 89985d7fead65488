"""ABDM's health information (HI) types, and how a FHIR Composition says which one it is.

Why the Composition decides: a care context declares its HI type when a facility links it, and
the document pushed for it must be that kind of document; otherwise a "prescription" the person
opens could be a discharge summary, or a consent for prescriptions could release lab reports.

ABDM codes Composition.type in SNOMED CT. Older HIPs built on ProjectEKA's reference service
write the same codes under `https://projecteka.in/sct`, so both systems are accepted. A
WellnessRecord and an Invoice have no SNOMED code in ABDM's profiles and are recognised by their
text: NRCeS's `InvoiceRecord` profile fixes `Composition.type.text` to "Invoice Record" exactly
(IG 6.x), and ABDM's consent manager calls the HI type `Invoice`, the eighth of the eight every
HIP must be able to share.
"""

from __future__ import annotations

from enum import StrEnum

from fhir.resources.R4B.codeableconcept import CodeableConcept

from core.errors import InvalidInput


class HiType(StrEnum):
    PRESCRIPTION = "Prescription"
    DIAGNOSTIC_REPORT = "DiagnosticReport"
    OP_CONSULTATION = "OPConsultation"
    DISCHARGE_SUMMARY = "DischargeSummary"
    IMMUNIZATION_RECORD = "ImmunizationRecord"
    HEALTH_DOCUMENT_RECORD = "HealthDocumentRecord"
    WELLNESS_RECORD = "WellnessRecord"
    INVOICE = "Invoice"


SNOMED_SYSTEMS = frozenset({"http://snomed.info/sct", "https://projecteka.in/sct"})

#: Composition.type code -> HI type (NRCeS FHIR IG for ABDM).
SNOMED_CODES: dict[str, HiType] = {
    "440545006": HiType.PRESCRIPTION,
    "721981007": HiType.DIAGNOSTIC_REPORT,
    "371530004": HiType.OP_CONSULTATION,
    "373942005": HiType.DISCHARGE_SUMMARY,
    "41000179103": HiType.IMMUNIZATION_RECORD,
    "419891008": HiType.HEALTH_DOCUMENT_RECORD,
}
CODE_OF: dict[HiType, str] = {hi_type: code for code, hi_type in SNOMED_CODES.items()}

#: Composition.type text (case-insensitive, trimmed) -> HI type, for the types without a code.
TEXT_TYPES: dict[str, HiType] = {
    "wellness record": HiType.WELLNESS_RECORD,
    "invoice record": HiType.INVOICE,
}


def parse_hi_type(text: object) -> HiType:
    """An HI type as a partner or a flow spells it (`Prescription`, `prescription`)."""
    if isinstance(text, HiType):
        return text
    if isinstance(text, str):
        wanted = text.strip().casefold()
        for hi_type in HiType:
            if hi_type.value.casefold() == wanted:
                return hi_type
    raise InvalidInput("records.invalid", field="hi_type")


def hi_type_of(concept: CodeableConcept | None) -> HiType | None:
    """The HI type a Composition.type names, or None when it names none we know."""
    if concept is None:
        return None
    for coding in concept.coding or []:
        if coding.system in SNOMED_SYSTEMS and coding.code in SNOMED_CODES:
            return SNOMED_CODES[str(coding.code)]
    texts = [concept.text, *(coding.display for coding in concept.coding or [])]
    for text in texts:
        found = TEXT_TYPES.get(text.strip().casefold()) if text else None
        if found is not None:
            return found
    return None
