"""The OpenAPI document states the shape rules core enforces, and states them as core does.

Why a property test against core's own checks: a pattern copied into the document drifts the
day core's rule changes. Here every string the document's pattern allows must pass core's
check and every string core accepts (once it has tidied it) must match, so a partner's
generated client neither sends what core refuses for its shape nor refuses what core takes.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from core.errors import InvalidInput
from core.facilities.draft import check_pincode
from core.professionals.application import clean_registration_number
from core.professionals.identifiers import parse_handle
from core.records.checks import check_reference
from webhooks.api.openapi import build_document

DOCUMENT = build_document()
SCHEMAS: dict[str, Any] = DOCUMENT["components"]["schemas"]


def prop(model: str, name: str) -> dict[str, Any]:
    found: dict[str, Any] = SCHEMAS[model]["properties"][name]
    return found


def allowed(pattern: str) -> st.SearchStrategy[str]:
    """What an ECMA-262 pattern `^...$` matches (Python's `$` would also take a final newline)."""
    return st.from_regex(pattern.removeprefix("^").removesuffix("$"), fullmatch=True)


def accepted(check: Any, value: str) -> bool:
    try:
        check(value)
    except InvalidInput:
        return False
    return True


def test_facility_registration_states_its_lengths_and_pin_code() -> None:
    assert (
        prop("FacilityRegistration", "name")["minLength"],
        prop("FacilityRegistration", "name")["maxLength"],
    ) == (3, 200)
    assert prop("FacilityRegistration", "address")["maxLength"] == 300
    assert prop("FacilityRegistration", "specialities")["maxItems"] == 30
    assert prop("FacilityRegistration", "specialities")["items"]["maxLength"] == 100
    assert prop("Rejection", "reason")["maxLength"] == 500


def test_a_registration_year_runs_to_this_year() -> None:
    year = prop("ProfessionalRegistration", "registration_year")
    assert (year["minimum"], year["maximum"]) == (1900, dt.date.today().year)
    assert prop("QualificationBody", "year")["maximum"] == dt.date.today().year
    assert prop("ProfessionalRegistration", "years_of_experience")["maximum"] == 70
    assert prop("ProfessionalRegistration", "qualifications")["minItems"] == 1


def test_a_doctor_search_requires_a_listed_specialisation() -> None:
    (parameter,) = [
        p
        for p in DOCUMENT["paths"]["/api/v1/professionals"]["get"]["parameters"]
        if p["name"] == "specialisation"
    ]
    assert parameter["required"] is True
    assert "general_medicine" in parameter["schema"]["enum"]


@given(allowed(prop("FacilityRegistration", "pincode")["pattern"]))
def test_a_pin_code_the_document_allows_is_accepted(pincode: str) -> None:
    assert accepted(check_pincode, pincode)


@given(allowed(prop("CareContextLink", "reference")["pattern"]))
def test_a_reference_the_document_allows_is_accepted(reference: str) -> None:
    assert accepted(check_reference, reference)


@given(st.text(alphabet="0123456789 abc-", max_size=9))
def test_a_pin_code_core_accepts_matches_the_pattern(text: str) -> None:
    if accepted(check_pincode, text):
        assert re.search(prop("FacilityRegistration", "pincode")["pattern"], "".join(text.split()))


@given(st.text(alphabet="AZaz09/.-@hpr_", max_size=40))
def test_what_core_accepts_the_document_allows(text: str) -> None:
    """Registration numbers and handles without spaces (the document states the form without
    the inner spaces core forgives): anything core accepts matches the pattern, so the document
    never forbids a value the server takes, which schemathesis's negative data would trip on."""
    if accepted(clean_registration_number, text):
        assert re.search(prop("ProfessionalRegistration", "registration_number")["pattern"], text)
    if accepted(parse_handle, text):
        assert re.search(prop("ProfessionalRegistration", "handle")["pattern"], text)
