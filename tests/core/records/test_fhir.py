"""Reading pushed bundles: every ABDM example parses; everything else is refused with a reason."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.errors import InvalidInput
from core.records.fhir import calendar_date, parse_document
from core.records.hitypes import HiType, hi_type_of, parse_hi_type
from testing.records import ALL_FIXTURES, fixture

PRESCRIPTION = "MAXRVH9999PrescriptionDoc20160805.json"


def bundle(*resources: dict[str, Any], kind: str = "document") -> bytes:
    return json.dumps(
        {"resourceType": "Bundle", "type": kind, "entry": [{"resource": r} for r in resources]}
    ).encode()


def composition(**changes: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "resourceType": "Composition",
        "status": "final",
        "type": {"coding": [{"system": "http://snomed.info/sct", "code": "721981007"}]},
        "date": "2026-01-15T10:00:00+05:30",
        "title": "Lab report",
        "author": [{"display": "Dr Meera Rao"}],
    }
    values.update(changes)
    return {key: value for key, value in values.items() if value is not None}


def refusal(raw: bytes) -> InvalidInput:
    with pytest.raises(InvalidInput) as refused:
        parse_document(raw)
    return refused.value


@pytest.mark.parametrize("name", sorted(ALL_FIXTURES))
def test_every_example_bundle_parses_as_its_hi_type(name: str) -> None:
    document = parse_document(fixture(name))
    assert document.hi_type is ALL_FIXTURES[name]
    assert document.composition.get_resource_type() == "Composition"


def test_dates_are_the_authors_calendar_day() -> None:
    assert parse_document(fixture(PRESCRIPTION)).date == date(2016, 8, 5)
    late = composition(date="2026-01-15T23:30:00+05:30")  # 18:00 UTC, still the 15th in IST
    assert parse_document(bundle(late)).date == date(2026, 1, 15)
    assert calendar_date("2019") == date(2019, 1, 1)
    assert calendar_date("2019-08") == date(2019, 8, 1)
    assert calendar_date("nonsense") is None


@pytest.mark.parametrize(
    ("system", "code", "text", "expected"),
    [
        ("http://snomed.info/sct", "440545006", None, HiType.PRESCRIPTION),
        ("https://projecteka.in/sct", "373942005", None, HiType.DISCHARGE_SUMMARY),
        ("http://snomed.info/sct", "41000179103", None, HiType.IMMUNIZATION_RECORD),
        ("http://snomed.info/sct", "419891008", None, HiType.HEALTH_DOCUMENT_RECORD),
        ("http://loinc.org", "440545006", None, None),  # the right code in the wrong system
        ("http://snomed.info/sct", "000000", None, None),
        (None, None, " Wellness Record ", HiType.WELLNESS_RECORD),
        (None, None, "Wellness", None),
        (None, None, "Invoice Record", HiType.INVOICE),  # NRCeS InvoiceRecord: text only
        (None, None, " invoice record ", HiType.INVOICE),
        (None, None, "Invoice", None),
    ],
)
def test_composition_types(
    system: str | None, code: str | None, text: str | None, expected: HiType | None
) -> None:
    from fhir.resources.R4B.codeableconcept import CodeableConcept

    coding = [{"system": system, "code": code}] if code else []
    concept = CodeableConcept.model_validate({"coding": coding, "text": text})
    assert hi_type_of(concept) is expected


def test_hi_types_are_read_case_insensitively() -> None:
    assert parse_hi_type(" opconsultation ") is HiType.OP_CONSULTATION
    with pytest.raises(InvalidInput):
        parse_hi_type("InvoiceRecord")


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        (b"{not json", "records.invalid_json"),
        (b"\xff\xfe\xfa", "records.invalid_json"),
        (b"[]", "records.not_a_bundle"),
        (json.dumps({"resourceType": "Patient"}).encode(), "records.not_a_bundle"),
        (bundle(composition(), kind="collection"), "records.not_a_document"),
        (bundle(), "records.no_composition"),
        (bundle({"resourceType": "Patient"}, composition()), "records.no_composition"),
        (bundle(composition(type={"text": "Discharge note"})), "records.unknown_type"),
    ],
)
def test_what_is_not_an_abdm_document(raw: bytes, code: str) -> None:
    assert refusal(raw).code == code


def test_structural_errors_list_their_paths() -> None:
    broken = composition(date="15/01/2026", colour="blue")
    error = refusal(bundle(broken, {"resourceType": "Observation", "status": "final"}))
    assert error.code == "records.invalid_fhir"
    assert error.params["paths"] == [
        "entry.0.resource.date",
        "entry.0.resource.colour",
        "entry.1.resource.code",  # required, missing
    ]
    assert error.params["where"] == ", ".join(error.params["paths"])


def test_missing_required_elements_show_once_values_are_well_formed() -> None:
    # pydantic checks a resource's required elements after its values: a resource with a
    # malformed value reports that first, its missing elements on the next attempt.
    assert refusal(bundle(composition(status=None, title=None))).params["paths"] == [
        "entry.0.resource.status",
        "entry.0.resource.title",
    ]
    with_bad_date = composition(status=None, date="15/01/2026")
    assert refusal(bundle(with_bad_date)).params["paths"] == ["entry.0.resource.date"]


def test_unknown_resource_types_are_paths_too() -> None:
    error = refusal(bundle(composition(), {"resourceType": "Invoicee"}, {"resourceType": 5}))
    assert error.params["paths"] == [
        "entry.1.resource.resourceType",
        "entry.2.resource.resourceType",
    ]


def test_only_the_tabled_omission_is_tolerated() -> None:
    name = "MAXRVH1012OPConsultationDoc20190807.json"
    document = parse_document(fixture(name))
    assert document.warnings == ("entry.9.resource.recommendation.0.forecastStatus",)
    data = json.loads(fixture(name))
    del data["entry"][9]["resource"]["recommendation"][0]["vaccineCode"]
    del data["entry"][0]["resource"]["status"]  # not tolerated: the whole bundle is refused
    error = refusal(json.dumps(data).encode())
    assert error.params["paths"] == [
        "entry.0.resource.status",
        "entry.9.resource.recommendation.0.forecastStatus",
    ]


def test_the_r5_default_import_would_refuse_r4_bundles() -> None:
    # Why core.records.fhir imports fhir.resources.R4B: the package's default is R5.
    from fhir.resources.bundle import Bundle as R5Bundle
    from pydantic import ValidationError

    with pytest.raises((ValidationError, KeyError)):
        R5Bundle.model_validate_json(fixture("MAXLIVNO15DischargeSummaryDoc20161209.json"))
    parse_document(fixture("MAXLIVNO15DischargeSummaryDoc20161209.json"))


def outcome(raw: bytes) -> str:
    """The refusal's code, or "document": anything else (a crash) fails the property."""
    try:
        parse_document(raw)
    except InvalidInput as refused:
        return refused.code
    return "document"


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=12,
)


@settings(max_examples=150, deadline=None)
@given(entries=st.lists(json_values, max_size=3), kind=st.sampled_from(["document", "x", 3]))
def test_any_json_is_either_a_document_or_an_invalid_input(entries: list[Any], kind: Any) -> None:
    raw = json.dumps({"resourceType": "Bundle", "type": kind, "entry": entries}).encode()
    code = outcome(raw)
    assert code == "document" or code.startswith("records.")


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_mangling_a_real_bundle_never_crashes(data: st.DataObject) -> None:
    raw = json.loads(fixture(PRESCRIPTION))
    entry = data.draw(st.integers(min_value=0, max_value=len(raw["entry"]) - 1))
    resource = raw["entry"][entry]["resource"]
    key = data.draw(st.sampled_from(sorted(resource)))
    resource[key] = data.draw(json_values)
    code = outcome(json.dumps(raw).encode())
    assert code == "document" or code.startswith("records.")
