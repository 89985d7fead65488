"""What the `abdm` adapter reads from ABDM's answers, whatever ABDM sends: the card's bytes
(`core.abdm.abha_card.as_png`) and the ABHA-address login's profile
(`core.abdm.address_login.phr_profile_as_abha`, read by `core.abdm.profile.demographics`).
A malformed answer is `abdm.bad_answer` or "not an image", never an exception a person hears
as a crash."""

from __future__ import annotations

import io
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from core.abdm.abha_card import PNG, as_png
from core.abdm.address_login import phr_profile_as_abha
from core.abdm.profile import demographics
from core.errors import RemoteUnavailable
from core.healthid.profile import Demographics

PATH = "/v3/phr/web/login/profile/abha-profile"
PROFILE: dict[str, Any] = {
    "abhaAddress": "kamla.joshi58@sbx",
    "firstName": "Kamla",
    "middleName": "",
    "lastName": "Joshi",
    "dayOfBirth": "2",
    "monthOfBirth": "1",
    "yearOfBirth": "1958",
    "gender": "F",
    "mobile": "9876543210",
    "abhaNumber": "91-2000-0000-0006",
    "stateCode": "10",
    "districtCode": "233",
    "pinCode": "821307",
}


def image(kind: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 25), (10, 80, 160)).save(out, format=kind)
    return out.getvalue()


def test_a_png_passes_as_it_is_and_a_jpeg_becomes_a_png() -> None:
    png = image("PNG")
    assert as_png(png) == png
    converted = as_png(image("JPEG"))
    assert converted is not None
    assert converted.startswith(PNG)
    assert Image.open(io.BytesIO(converted)).size == (40, 25)


@given(st.binary(max_size=300))
def test_any_bytes_are_a_png_or_not_an_image(raw: bytes) -> None:
    got = as_png(raw)
    assert got is None or got.startswith(PNG)


@given(st.sampled_from([PNG, b"\xff\xd8\xff", b"%PDF-"]), st.binary(max_size=200))
def test_a_broken_file_behind_a_real_signature_is_not_an_image(head: bytes, rest: bytes) -> None:
    assert as_png(head + rest) is None


def test_the_phr_profile_reads_as_the_abha_profile() -> None:
    person = demographics(phr_profile_as_abha(PROFILE), PATH)
    assert (person.first_name, person.last_name, person.gender) == ("Kamla", "Joshi", "F")
    assert (person.day_of_birth, person.month_of_birth, person.year_of_birth) == (2, 1, 1958)
    assert person.district_lgd == 233
    dated = demographics(phr_profile_as_abha({**PROFILE, "dateOfBirth": "03-04-1990"}), PATH)
    assert (dated.day_of_birth, dated.month_of_birth, dated.year_of_birth) == (3, 4, 1990)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=5,
)
FIELDS = st.sampled_from(
    ["dateOfBirth", "dayOfBirth", "monthOfBirth", "yearOfBirth", "gender", "firstName",
     "middleName", "lastName", "address", "stateCode", "districtCode", "pinCode"]
)  # fmt: skip


@given(
    st.dictionaries(FIELDS, JSON | st.integers(min_value=10**18) | st.from_regex(r"\d+-\d+-\d+"))
)
def test_any_profile_is_a_person_or_a_bad_answer(changes: dict[str, Any]) -> None:
    outcome: object
    try:
        outcome = demographics(phr_profile_as_abha({**PROFILE, **changes}), PATH)
    except RemoteUnavailable as bad:
        outcome = bad.code
    if isinstance(outcome, str):
        assert outcome == "abdm.bad_answer"
    else:
        assert isinstance(outcome, Demographics)
        assert outcome.first_name
        assert outcome.gender in ("M", "F", "O")
