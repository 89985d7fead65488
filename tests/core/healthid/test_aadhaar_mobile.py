"""Aadhaar and mobile numbers: parsing, protection and masking (property tests)."""

from __future__ import annotations

import re

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from stdnum import verhoeff

from core.errors import InvalidInput
from core.healthid import aadhaar, mobile


@st.composite
def aadhaars(draw: st.DrawFn) -> str:
    body = draw(st.from_regex(r"[2-9][0-9]{10}", fullmatch=True))
    number = body + verhoeff.calc_check_digit(body)
    assume(number != number[::-1])
    return number


@given(aadhaars(), st.sampled_from(["{}", "{} {} {}", "{}-{}-{}", " {}  {} {} "]))
def test_valid_aadhaars_parse_however_they_are_grouped(number: str, layout: str) -> None:
    groups = (number,) if layout == "{}" else (number[:4], number[4:8], number[8:])
    assert aadhaar.parse(layout.format(*groups)) == number


@given(aadhaars(), st.integers(0, 11), st.integers(1, 9))
def test_a_single_mistyped_digit_is_caught(number: str, position: int, shift: int) -> None:
    typo = number[:position] + str((int(number[position]) + shift) % 10) + number[position + 1 :]
    with pytest.raises(InvalidInput, match=r"aadhaar\.invalid"):
        aadhaar.parse(typo)


@given(aadhaars(), st.integers(0, 10))
def test_swapped_neighbours_are_caught(number: str, position: int) -> None:
    assume(number[position] != number[position + 1])
    swapped = number[:position] + number[position + 1] + number[position] + number[position + 2 :]
    assert not aadhaar.is_valid(swapped)


@given(st.from_regex(r"[01][0-9]{10}", fullmatch=True))
def test_numbers_starting_with_0_or_1_are_never_aadhaars(body: str) -> None:
    assert not aadhaar.is_valid(body + verhoeff.calc_check_digit(body))


@given(aadhaars(), aadhaars())
def test_the_keyed_hash_identifies_without_revealing(first: str, second: str) -> None:
    digest = aadhaar.keyed_hash(first, "key-one")
    assert re.fullmatch(r"[0-9a-f]{64}", digest)
    assert digest == aadhaar.keyed_hash(first, "key-one")
    assert digest != aadhaar.keyed_hash(first, "key-two")
    assert (digest == aadhaar.keyed_hash(second, "key-one")) == (first == second)
    assert first not in digest
    assert aadhaar.mask(first) == f"XXXX-XXXX-{first[-4:]}" == aadhaar.mask(aadhaar.last4(first))


def test_uidai_test_uids_are_valid_aadhaars() -> None:
    for uid in ("999999990019", "999999990026", "999999990042", "999999990057"):
        assert aadhaar.parse(uid) == uid


@given(st.from_regex(r"[6-9][0-9]{9}", fullmatch=True))
def test_every_spelling_of_a_mobile_is_the_same_phone(digits: str) -> None:
    assume(mobile.is_valid(digits))
    spellings = [
        f"{digits[:5]} {digits[5:]}",
        f"0{digits[:5]}-{digits[5:]}",
        f"+91 {digits}",
        f"91{digits}",
        f"(+91) {digits[:5]}.{digits[5:]}",
    ]
    assert {mobile.parse(text) for text in spellings} == {f"+91{digits}"}
    assert mobile.mask(f"+91{digits}") == "******" + digits[-4:]
    assert mobile.national(f"+91{digits}") == digits


@given(st.text(max_size=20))
def test_parse_gives_an_indian_e164_mobile_or_refuses(text: str) -> None:
    if mobile.is_valid(text):
        assert re.fullmatch(r"\+91[6-9][0-9]{9}", mobile.parse(text))
    else:
        with pytest.raises(InvalidInput, match=r"mobile\.invalid"):
            mobile.parse(text)


@pytest.mark.parametrize(
    "text",
    ["022 2456 7890", "+1 650 253 0000", "98765ABCDE", "5876543210", "98765 4321", "", "+91"],
)
def test_landlines_foreign_and_malformed_numbers_are_refused(text: str) -> None:
    with pytest.raises(InvalidInput, match=r"mobile\.invalid"):
        mobile.parse(text)
