"""Property tests for the parsers between the wire and core: whatever arrives, the answer is a
value or a 4xx refusal, never an exception that would become a 500."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from multidict import MultiDict

from core.errors import ArogyaError
from core.facilities.draft import FacilityDraft, check
from core.facilities.models import FacilityType, Ownership, SystemOfMedicine
from locales import LANGUAGES
from tests.webhooks.api.schema_check import errors
from webhooks.api import query, schemas
from webhooks.api.auth import bearer_token
from webhooks.api.bodies import parse_model
from webhooks.api.openapi import build_document
from webhooks.errors import error_body, language_of

DOCUMENT = build_document()
ERROR_SCHEMA = {"$ref": "#/components/schemas/ErrorResponse"}

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)


def refusal(parse: Callable[..., Any], *args: Any) -> ArogyaError | None:
    """The domain refusal `parse(*args)` raises, or None when it parses. Anything else (a
    KeyError, a ValueError) escapes and fails the test: it would be a 500."""
    try:
        parse(*args)
    except ArogyaError as exc:
        return exc
    return None


@given(st.text())
def test_any_authorization_header_parses_to_a_token_or_nothing(header: str) -> None:
    token = bearer_token(header)
    assert token is None or isinstance(token, str)
    if token:
        assert token == token.strip()


@given(st.text(alphabet=st.characters(whitelist_categories=("L", "N", "P")), min_size=1))
def test_a_bearer_token_comes_back_as_sent(token: str) -> None:
    assert bearer_token(f"Bearer {token}") == token
    assert bearer_token(f"  bearer   {token}  ") == token


@given(st.binary())
def test_any_bytes_are_a_registration_or_a_4xx(raw: bytes) -> None:
    exc = refusal(parse_model, schemas.FacilityRegistration, raw)
    assert exc is None or exc.http_status in (400, 422)


@given(st.dictionaries(st.sampled_from(sorted(schemas.CareContextLink.model_fields)), json_values))
def test_any_json_object_is_a_link_or_names_its_failing_paths(body: dict[str, Any]) -> None:
    exc = refusal(parse_model, schemas.CareContextLink, json.dumps(body).encode())
    if exc is not None:
        assert (exc.http_status, exc.code) == (422, "request.invalid")
        assert exc.params["paths"]
        top_level = {path.split(".")[0] for path in exc.params["paths"]}
        assert top_level <= set(schemas.CareContextLink.model_fields)


@given(st.lists(st.tuples(st.text(max_size=12), st.text(max_size=12)), max_size=6))
def test_any_query_string_is_a_search_or_a_422(pairs: list[tuple[str, str]]) -> None:
    exc = refusal(query.facility_search, MultiDict(pairs))
    if exc is not None:
        assert exc.http_status == 422
        assert isinstance(exc.params["field"], str)
    else:
        wanted = query.facility_search(MultiDict(pairs))
        assert wanted.page >= 0
        assert wanted.page_size >= 0
        assert wanted.district is None or wanted.district >= 0


@given(st.integers(min_value=1, max_value=10**8), st.integers(min_value=1, max_value=50))
def test_page_numbers_round_trip(page: int, size: int) -> None:
    wanted = query.facility_search(MultiDict({"page": str(page), "page_size": str(size)}))
    assert (wanted.page, wanted.page_size) == (page, size)


#: The codes the partner API's own layer raises (webhooks/errors.py and webhooks/api/).
API_CODES = (
    "request.malformed_json",
    "request.invalid",
    "request.unsupported_media_type",
    "request.too_large",
    "request.unknown_parameter",
    "request.conflicting_credentials",
    "request.rate_limited",
    "request.nul_character",
    "admin.token_missing",
    "admin.token_invalid",
    "admin.disabled",
    "http.404",
    "http.405",
    "server.error",
)


@pytest.mark.parametrize("code", API_CODES)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_code_of_this_layer_has_a_message_in_both_languages(code: str, lang: str) -> None:
    assert (
        error_body(
            code, {"where": "x", "max_kb": 1, "retry_after": 1, "accepted": "x", "field": "x"}, lang
        )["error"]["message"]
        != code
    )


@given(
    st.sampled_from([*API_CODES, "facility.invalid", "records.invalid_fhir"]),
    st.dictionaries(
        st.sampled_from(["field", "paths", "where", "max_kb", "retry_after", "x"]),
        json_values,
        max_size=4,
    ),
    st.sampled_from(LANGUAGES),
)
def test_any_error_body_fits_the_documented_schema(
    code: str, params: dict[str, Any], lang: str
) -> None:
    body = error_body(code, params, lang)
    assert errors(ERROR_SCHEMA, body, DOCUMENT) == [], body


@given(st.text())
def test_any_accept_language_picks_a_catalog_language(header: str) -> None:
    assert language_of(header) in LANGUAGES
    assert language_of("hi-IN,en;q=0.5") == "hi"


registrations = st.fixed_dictionaries(
    {
        "name": st.text(max_size=30),
        "facility_type": st.sampled_from(list(FacilityType)),
        "ownership": st.sampled_from(list(Ownership)),
        "system_of_medicine": st.sampled_from(list(SystemOfMedicine)),
        "address": st.text(max_size=30),
        "state_code": st.integers(),
        "district_code": st.integers(),
        "pincode": st.text(max_size=8),
        "phone": st.text(max_size=16),
    },
    optional={
        "specialities": st.lists(st.text(max_size=8), max_size=3),
        "callback_url": st.none() | st.text(max_size=30),
    },
)


@given(registrations)
def test_any_well_typed_registration_is_a_facility_or_names_its_field(body: dict[str, Any]) -> None:
    """What the handler does between the wire and the database: parse, then core's checks."""
    parsed = parse_model(schemas.FacilityRegistration, json.dumps(body).encode())
    exc = refusal(check, FacilityDraft(**parsed.model_dump()))
    if exc is not None:
        assert (exc.http_status, exc.code) == (422, "facility.invalid")
        assert exc.params["field"] in schemas.FacilityRegistration.model_fields
