"""The words Arogya says from a medicine's coded fields, and the hospital's own words marked as
theirs (review D17), in both languages: over the prescription written for this project
(`testing.records.MEDICINES_FIXTURE`) and a hand-made timing code."""

from __future__ import annotations

from core.records.fhir import parse_document
from core.records.summary import summarise
from testing.records import MEDICINES_FIXTURE, fixture
from tests.core.records.test_summary_rendering import document, lines_under, medicine, summary


def medicines(lang: str) -> tuple[str, ...]:
    raw = fixture(MEDICINES_FIXTURE)
    found = summarise(parse_document(raw, max_bytes=len(raw)), lang)
    return lines_under(found, "Medicines" if lang == "en" else "दवाइयाँ")


def test_coded_doses_and_timings_are_said_in_each_language() -> None:
    assert medicines("en") == (
        "Paracetamol 500 mg (for fever): 1 tablet, 3 times a day, for 5 days",
        "Amoxicillin 500 mg: 1 capsule, 2 times a day",
        "Cetirizine 10 mg: 1 tablet, at bedtime",
        'Utamide 50 mg oral tablet(Bicalutamide 50 mg oral tablet): as written "(1)-Twice a day '
        '(Duration:8)"',
    )
    assert medicines("hi") == (
        "Paracetamol 500 mg (fever के लिए): 1 गोली, दिन में 3 बार, 5 दिन तक",
        "Amoxicillin 500 mg: 1 कैप्सूल, दिन में 2 बार",
        "Cetirizine 10 mg: 1 गोली, सोते समय",
        'Utamide 50 mg oral tablet(Bicalutamide 50 mg oral tablet): अस्पताल ने लिखा "(1)-Twice a '
        'day (Duration:8)"',
    )


GTS = "http://terminology.hl7.org/CodeSystem/v3-GTSAbbreviation"


def test_a_timing_code_we_cannot_say_is_marked_as_written() -> None:
    every_other_day = medicine(
        "m1",
        "Methotrexate 7.5 mg",
        {
            "doseAndRate": [{"doseQuantity": {"value": 2, "code": "{tbl}", "unit": "tab"}}],
            "timing": {"code": {"coding": [{"system": GTS, "code": "QOD"}]}},
        },
    )
    unknown = medicine("m2", "Iron 100 mg", {"timing": {"code": {"text": "alternate Sundays"}}})
    raw = document(
        "440545006",
        [("Medications", "721912009", ["MedicationRequest/m1", "MedicationRequest/m2"])],
        every_other_day,
        unknown,
    )
    assert lines_under(summary(raw, "en"), "Medicines") == (
        "Methotrexate 7.5 mg: 2 tablets, once every 2 days",
        'Iron 100 mg: as written "alternate Sundays"',
    )
    assert lines_under(summary(raw, "hi"), "दवाइयाँ") == (
        "Methotrexate 7.5 mg: 2 गोलियाँ, हर 2 दिन में एक बार",
        'Iron 100 mg: अस्पताल ने लिखा "alternate Sundays"',
    )
