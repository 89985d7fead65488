"""The ABDM example bundles, and a person and facilities to hang them on.

FIXTURES maps each bundle in tests/fixtures/abdm/fhir/ to the HI type its Composition
declares; tests push each one through the real services.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from core.records.hitypes import HiType

#: The visit date care contexts are linked with in these tests (before the frozen clock's today).
VISIT = date(2026, 1, 10)

FIXTURE_DIR = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "abdm" / "fhir"

FIXTURES: dict[str, HiType] = {
    "MAXRVH9999PrescriptionDoc20160805.json": HiType.PRESCRIPTION,
    "MAXLIVNO10DiagnosticReportDoc20190801.json": HiType.DIAGNOSTIC_REPORT,
    "MAXRVH1012OPConsultationDoc20190807.json": HiType.OP_CONSULTATION,
    "OP_Consultation_fhir_bundle.json": HiType.OP_CONSULTATION,
    "MAXRVH1003ImmunizationDoc20190801.json": HiType.IMMUNIZATION_RECORD,
    "MAXLIVNO99WellnessRecordDoc20190801.json": HiType.WELLNESS_RECORD,
    "MAXLIVNO15DischargeSummaryDoc20161209.json": HiType.DISCHARGE_SUMMARY,
    "MAXLIVNO99HealthDocumentRecordDoc20190801.json": HiType.HEALTH_DOCUMENT_RECORD,
}

#: ABDM's eighth HI type, in a bundle written for this project (see the fixtures' README). Kept
#: out of FIXTURES, which the record-list transcripts push whole, so adding a kind does not
#: reorder every list on screen; its own tests push and read it.
INVOICE_FIXTURE = "ArogyaInvoiceRecordDoc20241120.json"
#: A prescription written for this project whose medicines say their dose and timing in coded
#: fields (UCUM/SNOMED units, `Timing.repeat`, HL7 timing abbreviations) beside one in free
#: text: what the ABDM examples never do (they write every dosage as text). Kept out of
#: FIXTURES for the same reason as the invoice; the medicine transcripts push it alone.
MEDICINES_FIXTURE = "ArogyaMedicinesPrescriptionDoc20260105.json"
#: Every example bundle, the invoice included.
ALL_FIXTURES: dict[str, HiType] = {**FIXTURES, INVOICE_FIXTURE: HiType.INVOICE}
#: The HI type of every bundle a test may push, the medicines prescription included.
PUSHABLE: dict[str, HiType] = {**ALL_FIXTURES, MEDICINES_FIXTURE: HiType.PRESCRIPTION}


def fixture(name: str) -> bytes:
    return (FIXTURE_DIR / name).read_bytes()
