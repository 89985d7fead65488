"""The renderers on hand-made bundles: what the ABDM examples do not exercise.

Structured dosages are said in the reader's language (only free text stays as written),
reference ranges and flags are labelled, long sections are cut with "and N more".
"""

from __future__ import annotations

import base64
import json
from typing import Any

from core.records.fhir import parse_document
from core.records.summary import Summary, summarise
from core.records.summary.sections import MAX_LINES


def document(code: str, sections: list[tuple[str, str, list[str]]], *resources: Any) -> bytes:
    """A document bundle: a Composition of type `code` with (title, code, refs) sections."""
    composition = {
        "resourceType": "Composition",
        "status": "final",
        "type": {"coding": [{"system": "http://snomed.info/sct", "code": code}]},
        "date": "2026-01-15T10:00:00+05:30",
        "title": "Test document",
        "author": [{"reference": "Practitioner/dr"}],
        "custodian": {"display": "Primary Health Centre, Bakshi Ka Talab"},
        "section": [
            {
                "title": title,
                "code": {"coding": [{"system": "http://snomed.info/sct", "code": section_code}]},
                "entry": [{"reference": ref} for ref in refs],
            }
            for title, section_code, refs in sections
        ],
    }
    doctor = {
        "resourceType": "Practitioner",
        "id": "dr",
        "name": [{"prefix": ["Dr"], "given": ["Meera"], "family": "Rao"}],
    }
    entries = [composition, doctor, *resources]
    return json.dumps(
        {"resourceType": "Bundle", "type": "document", "entry": [{"resource": r} for r in entries]}
    ).encode()


def summary(raw: bytes, lang: str) -> Summary:
    return summarise(parse_document(raw), lang)


def lines_under(summary: Summary, heading: str) -> tuple[str, ...]:
    return next(s.lines for s in summary.sections if s.heading == heading)


def medicine(rid: str, name: str, dosage: dict[str, Any]) -> dict[str, Any]:
    return {
        "resourceType": "MedicationRequest",
        "id": rid,
        "status": "active",
        "intent": "order",
        "subject": {"display": "patient"},
        "medicationCodeableConcept": {"text": name},
        "dosageInstruction": [dosage],
    }


STRUCTURED = medicine(
    "m1",
    "Amoxicillin 500 mg capsule",
    {
        "text": "1-0-1 after food",
        "doseAndRate": [{"doseQuantity": {"value": 1, "unit": "capsule"}}],
        "timing": {
            "repeat": {
                "frequency": 2,
                "period": 1,
                "periodUnit": "d",
                "boundsDuration": {"value": 5, "unit": "days", "code": "d"},
            }
        },
    },
)
ONCE_A_WEEK = medicine(
    "m2",
    "Vitamin D3 60000 IU",
    {
        "timing": {
            "repeat": {
                "frequency": 1,
                "period": 1,
                "periodUnit": "wk",
                "boundsDuration": {"value": 1, "code": "mo"},
            }
        },
    },
)
EVERY_8_HOURS = medicine(
    "m3",
    "Paracetamol 650 mg",
    {
        "timing": {"repeat": {"frequency": 1, "period": 8, "periodUnit": "h"}},
        "asNeededBoolean": True,
    },
)


def test_structured_dosages_are_said_in_each_language() -> None:
    raw = document(
        "440545006",
        [
            (
                "Medications",
                "721912009",
                ["MedicationRequest/m1", "MedicationRequest/m2", "MedicationRequest/m3"],
            )
        ],
        STRUCTURED,
        ONCE_A_WEEK,
        EVERY_8_HOURS,
    )
    en, hi = summary(raw, "en"), summary(raw, "hi")
    assert en.title == "Prescription, 15 Jan 2026"
    assert en.sections[0].lines == (
        "Doctor: Dr Meera Rao",
        "Facility: Primary Health Centre, Bakshi Ka Talab",
    )
    assert lines_under(en, "Medicines") == (
        "Amoxicillin 500 mg capsule: 1 capsule, 2 times a day, for 5 days",
        "Vitamin D3 60000 IU: once a week, for 1 month",
        "Paracetamol 650 mg: once every 8 hours, when needed",
    )
    assert lines_under(hi, "दवाइयाँ") == (
        "Amoxicillin 500 mg capsule: 1 capsule, दिन में 2 बार, 5 दिन तक",
        "Vitamin D3 60000 IU: हफ़्ते में एक बार, 1 महीने तक",
        "Paracetamol 650 mg: हर 8 घंटे में एक बार, ज़रूरत होने पर",
    )


def observation(rid: str, name: str, **value: Any) -> dict[str, Any]:
    return {
        "resourceType": "Observation",
        "id": rid,
        "status": "final",
        "code": {"text": name},
        **value,
    }


def test_results_show_flags_and_reference_ranges() -> None:
    hb = observation(
        "hb",
        "Haemoglobin",
        valueQuantity={"value": 9.8, "unit": "g/dL"},
        interpretation=[{"coding": [{"code": "L"}]}],
        referenceRange=[
            {"low": {"value": 12, "unit": "g/dL"}, "high": {"value": 15.5, "unit": "g/dL"}}
        ],
    )
    sugar = observation(
        "fbs",
        "Fasting blood sugar",
        valueQuantity={"value": 132, "unit": "mg/dL"},
        interpretation=[{"coding": [{"code": "H"}]}],
        referenceRange=[{"high": {"value": 100, "unit": "mg/dL"}}],
    )
    hiv = observation("hiv", "HIV 1 and 2 antibodies", valueBoolean=False)
    report = {
        "resourceType": "DiagnosticReport",
        "id": "cbc",
        "status": "final",
        "code": {"text": "Complete blood count"},
        "result": [
            {"reference": "Observation/hb"},
            {"reference": "Observation/fbs"},
            {"reference": "Observation/hiv"},
        ],
        "conclusion": "Mild anaemia.",
    }
    raw = document(
        "721981007", [("Lab", "721981007", ["DiagnosticReport/cbc"])], report, hb, sugar, hiv
    )
    en, hi = summary(raw, "en"), summary(raw, "hi")
    assert lines_under(en, "Complete blood count") == (
        "Haemoglobin: 9.8 g/dL, low, normal 12–15.5 g/dL",
        "Fasting blood sugar: 132 mg/dL, high, normal below 100 mg/dL",
        "HIV 1 and 2 antibodies: no",
        "Conclusion: Mild anaemia.",
    )
    assert lines_under(hi, "Complete blood count") == (
        "Haemoglobin: 9.8 g/dL, कम, सामान्य 12–15.5 g/dL",
        "Fasting blood sugar: 132 mg/dL, ज़्यादा, सामान्य 100 mg/dL से कम",
        "HIV 1 and 2 antibodies: नहीं",
        "निष्कर्ष: Mild anaemia.",
    )


def test_long_sections_are_cut_with_a_count() -> None:
    readings = [observation(f"o{n}", f"Reading {n}", valueString=str(n)) for n in range(20)]
    refs = [f"Observation/o{n}" for n in range(20)]
    raw = document("371530004", [("Physical Examination", "425044008", refs)], *readings)
    en, hi = summary(raw, "en"), summary(raw, "hi")
    shown = lines_under(en, "Examination findings")
    assert len(shown) == MAX_LINES
    assert shown[0] == "Reading 0: 0"
    assert shown[-1] == f"and {20 - MAX_LINES + 1} more"
    assert lines_under(hi, "जाँच में पाया गया")[-1] == f"और {20 - MAX_LINES + 1} बातें"


def test_attachments_name_their_kind_and_size() -> None:
    photo = {
        "resourceType": "DocumentReference",
        "id": "d1",
        "status": "current",
        "content": [
            {
                "attachment": {
                    "contentType": "image/jpeg",
                    "title": "Prescription photo",
                    "data": base64.b64encode(b"\xff" * 3000).decode(),
                }
            }
        ],
    }
    scan = {
        "resourceType": "DocumentReference",
        "id": "d2",
        "status": "current",
        "type": {"text": "MRI brain"},
        "content": [{"attachment": {"contentType": "application/dicom", "size": 3 * 1024**2}}],
    }
    raw = document(
        "419891008",
        [("Documents", "419891008", ["DocumentReference/d1", "DocumentReference/d2"])],
        photo,
        scan,
    )
    assert lines_under(summary(raw, "en"), "Attached documents") == (
        "Prescription photo: JPEG image, 3 KB",
        "MRI brain: application/dicom, 3.0 MB",
    )
    assert lines_under(summary(raw, "hi"), "साथ लगे दस्तावेज़")[0] == (
        "Prescription photo: JPEG फ़ोटो, 3 KB"
    )


def test_vaccines_not_given_and_follow_up_without_a_note() -> None:
    skipped = {
        "resourceType": "Immunization",
        "id": "v1",
        "status": "not-done",
        "vaccineCode": {"text": "Measles-Rubella (MR)"},
        "patient": {"display": "child"},
        "occurrenceDateTime": "2026-01-15",
    }
    visit = {
        "resourceType": "Appointment",
        "id": "a1",
        "status": "booked",
        "start": "2026-02-15T10:00:00+05:30",
        "end": "2026-02-15T10:15:00+05:30",
        "participant": [{"status": "accepted", "actor": {"display": "Dr Meera Rao"}}],
    }
    raw = document(
        "41000179103",
        [
            ("Vaccines", "41000179103", ["Immunization/v1"]),
            ("Follow up", "736271009", ["Appointment/a1"]),
        ],
        skipped,
        visit,
    )
    en, hi = summary(raw, "en"), summary(raw, "hi")
    assert lines_under(en, "Vaccines given") == ("Measles-Rubella (MR): not given",)
    assert lines_under(en, "Follow-up") == ("Visit again on 15 Feb 2026",)
    assert lines_under(hi, "दोबारा दिखाना") == ("15 फ़रवरी 2026 को दोबारा दिखाएँ",)
