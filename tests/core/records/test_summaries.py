"""Every example bundle as short text in English and Hindi, with the facts a person needs.

Clinical terms (drugs, tests, vaccines, units, values) stay as the bundle wrote them; labels,
dates and connecting words are in the reader's language.
"""

from __future__ import annotations

import pytest

from core.records.fhir import parse_document
from core.records.summary import Summary, summarise
from testing.records import ALL_FIXTURES, fixture


def summary_of(name: str, lang: str) -> Summary:
    return summarise(parse_document(fixture(name)), lang)


def section(summary: Summary, heading: str) -> tuple[str, ...]:
    found = [s.lines for s in summary.sections if s.heading == heading]
    assert found, f"no {heading!r} section in {[s.heading for s in summary.sections]}"
    return found[0]


@pytest.mark.parametrize("lang", ["en", "hi"])
@pytest.mark.parametrize("name", sorted(ALL_FIXTURES))
def test_every_fixture_summarises_in_both_languages(name: str, lang: str) -> None:
    summary = summary_of(name, lang)
    assert summary.lang == lang
    assert summary.title
    assert all(section.lines for section in summary.sections)
    text = summary.text()
    assert text.splitlines() == summary.lines()
    assert "None" not in text
    assert "{" not in text
    if lang == "hi":  # the labels are Devanagari, not English left behind
        assert any("\u0900" <= char <= "\u097f" for char in summary.title)


def test_prescription() -> None:
    name = "MAXRVH9999PrescriptionDoc20160805.json"
    en, hi = summary_of(name, "en"), summary_of(name, "hi")
    assert en.title == "Prescription, 5 Aug 2016"
    assert hi.title == "दवा का पर्चा, 5 अगस्त 2016"
    assert section(en, "")[0] == "Doctor: Dr Manju Sengar"
    assert section(hi, "")[0] == "डॉक्टर: Dr Manju Sengar"
    assert section(en, "Medicines") == (
        'dextromethorphan 90 mg (for cough): as written "1 capsule 2 times a day with food"',
    )
    assert section(hi, "दवाइयाँ") == (
        'dextromethorphan 90 mg (cough के लिए): अस्पताल ने लिखा "1 capsule 2 times a day with food"',
    )


def test_diagnostic_report() -> None:
    name = "MAXLIVNO10DiagnosticReportDoc20190801.json"
    en, hi = summary_of(name, "en"), summary_of(name, "hi")
    assert en.title == "Diagnostic report, 1 Aug 2019"
    assert "Facility: Max Super Speciality Hospital, Saket" in section(en, "")
    report = "Hemoglobin [Mass/volume] in Blood"  # the panel's own name heads its results
    assert section(en, report) == (
        "Triglyceride: 1.3 mmol/L",
        "Conclusion: Refer to Doctor. To be correlated with further study.",
    )
    assert section(hi, report)[1] == "निष्कर्ष: Refer to Doctor. To be correlated with further study."


def test_projecteka_op_consultation() -> None:
    name = "MAXRVH1012OPConsultationDoc20190807.json"
    en, hi = summary_of(name, "en"), summary_of(name, "hi")
    assert en.title == "OP consultation, 7 Aug 2019"
    assert section(en, "Diagnosis") == ("Fever with bodyache",)
    assert section(en, "Medicines") == (
        'tramadol and paracetamol 500 mg: as written "1 tablet once a day"',
        "tramadol and paracetamol 500 mg (for Fever with bodyache): "
        'as written "1 tablet once a day"',
    )
    assert section(en, "Vaccines due") == ("Tuberculosis - Live Attenuated, due 7 Aug 2019",)
    assert section(hi, "आगे लगने वाले टीके") == (
        "Tuberculosis - Live Attenuated, लगवाने की तारीख 7 अगस्त 2019",
    )


def test_nrces_op_consultation() -> None:
    name = "OP_Consultation_fhir_bundle.json"
    en, hi = summary_of(name, "en"), summary_of(name, "hi")
    assert en.title == "OP consultation, 4 Jan 2024"
    assert section(en, "") == ("Doctor: doctor desk", "Facility: Demo Hospital, Gujarat")
    assert section(en, "Complaints") == ("Human rabies",)
    assert section(en, "Medical history") == ("Barbers' rash",)
    assert section(en, "Allergies") == ("Diazepam", "Dapsone")
    findings = section(en, "Examination findings")
    assert "Height: 170 CM" in findings
    assert "Temperature: 99 °F" in findings
    assert "Systolic Blood pressure: 126 mmHg" in findings
    assert "DIAGNOSIS: Lassa fever" in findings
    medicines = section(en, "Medicines")
    assert medicines[0].startswith("Faroeze 200 mg oral tablet(Faropenem")
    # The hospital's free text, marked as its words in the reader's language (review D17).
    assert medicines[0].endswith(': as written "(1)-Twice a day (Duration:7)"')
    assert section(hi, "दवाइयाँ")[1].endswith(': अस्पताल ने लिखा "(1)-Twice a day (Duration:8)"')
    assert medicines[1].startswith("Utamide 50 mg oral tablet")
    assert section(en, "Tests advised") == (
        "ZN staining for AFB",
        "A.P. & OBLIQUE VIEW OF HAND",
        "USG B-SCAN",
    )
    assert section(hi, "तकलीफ़ें") == ("Human rabies",)
    assert section(hi, "डॉक्टर ने ये जाँचें करवाने को कहा है")[2] == "USG B-SCAN"
    # a doctor's note reads complaints, then findings, then medicines
    headings = [s.heading for s in en.sections]
    assert headings.index("Complaints") < headings.index("Examination findings")
    assert headings.index("Examination findings") < headings.index("Medicines")


def test_immunization() -> None:
    name = "MAXRVH1003ImmunizationDoc20190801.json"
    en, hi = summary_of(name, "en"), summary_of(name, "hi")
    assert section(en, "Vaccines given") == (
        "Tuberculosis - Live Attenuated, dose 2nd, 1 Aug 2019",
        "Rotavirus Vaccine, dose 2nd, 1 Aug 2019, batch 1XXYTZZ",
    )
    assert section(hi, "लगाए गए टीके") == (
        "Tuberculosis - Live Attenuated, खुराक 2nd, 1 अगस्त 2019",
        "Rotavirus Vaccine, खुराक 2nd, 1 अगस्त 2019, बैच 1XXYTZZ",
    )


def test_wellness_record() -> None:
    name = "MAXLIVNO99WellnessRecordDoc20190801.json"
    en, hi = summary_of(name, "en"), summary_of(name, "hi")
    assert en.title == "Wellness record, 1 Aug 2019"
    vitals = section(en, "Vital signs")
    assert vitals == (  # two identical readings in the bundle show once
        "Blood pressure panel with all children optional: Systolic blood pressure 107 mmHg, "
        "Diastolic blood pressure 60 mmHg",
    )
    assert section(en, "Body measurements") == ("Body mass index (BMI) [Ratio]: 16.2 kg/m2",)
    assert section(en, "General assessment") == ("Glucose [Mass/volume] in Blood: 142 mg/dL",)
    assert section(en, "Physical activity") == ("Sleep duration: 8 h",)
    assert section(en, "Lifestyle") == (
        "Finding of tobacco smoking behavior: Never smoked tobacco",
    )
    assert section(hi, "शरीर की माप") == ("Body mass index (BMI) [Ratio]: 16.2 kg/m2",)


def test_discharge_summary() -> None:
    name = "MAXLIVNO15DischargeSummaryDoc20161209.json"
    en, hi = summary_of(name, "en"), summary_of(name, "hi")
    assert en.title == "Discharge summary, 9 Dec 2016"
    assert en.sections[1].heading == "Admission"  # right after the doctor
    assert section(en, "Admission") == ("Admitted 5 Dec 2016, discharged 9 Dec 2016",)
    assert section(hi, "भर्ती") == ("भर्ती 5 दिसंबर 2016, छुट्टी 9 दिसंबर 2016",)
    assert section(en, "Diagnosis") == ("Bacterial infection due to Bacillus",)
    assert section(en, "Complaints") == ("Fever",)
    assert section(en, "Procedures") == (
        "Coronary artery bypass grafting on 7 Dec 2016; complication: Bleeding",
    )
    assert section(hi, "ऑपरेशन और प्रक्रियाएँ") == (
        "Coronary artery bypass grafting, 7 दिसंबर 2016 को; जटिलता: Bleeding",
    )
    advice = section(en, "Advice on discharge")[0]
    assert advice.startswith("Active Plan for next 2 months: Actively monitor progress.")
    assert section(en, "Follow-up") == ("Review progress in 7 days, on 12 Dec 2016",)
    assert section(hi, "दोबारा दिखाना") == ("12 दिसंबर 2016 को: Review progress in 7 days",)
    assert section(en, "Allergies") == ("Cashew nuts, high risk", "Penicillin G, high risk")
    assert section(en, "Medicines")[0].startswith("dextromethorphan 90 mg")
    assert section(en, "Attached documents") == ("Surgical Pathology Report: PDF, 87 KB",)


def test_health_document_record() -> None:
    name = "MAXLIVNO99HealthDocumentRecordDoc20190801.json"
    en, hi = summary_of(name, "en"), summary_of(name, "hi")
    assert en.title == "Health document, 1 Aug 2019"
    assert section(en, "")[0] == "Title: Health Document Record"
    assert section(en, "Attached documents") == ("Surgical Pathology Report: PDF, 116 KB",)
    assert section(hi, "")[0] == "शीर्षक: Health Document Record"
    assert section(hi, "साथ लगे दस्तावेज़") == ("Surgical Pathology Report: PDF, 116 KB",)
