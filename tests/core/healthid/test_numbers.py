"""ABHA numbers: 14 digits, Luhn, random, shown XX-XXXX-XXXX-XXXX (property tests)."""

from __future__ import annotations

import itertools
import random
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum import luhn

from core.errors import InvalidInput
from core.healthid import numbers

BODIES = st.from_regex(r"[1-9][0-9]{12}", fullmatch=True)
SEPARATORS = st.lists(st.sampled_from(["", "", " ", "-", "  ", " - "]), min_size=13, max_size=13)


def _spaced(number: str, separators: list[str]) -> str:
    return "".join(digit + sep for digit, sep in zip(number, [*separators, ""], strict=True))


@given(st.randoms(use_true_random=False))
def test_generated_numbers_are_well_formed(rng: random.Random) -> None:
    number = numbers.generate(rng)
    assert re.fullmatch(r"[1-9][0-9]{13}", number)
    assert luhn.is_valid(number)
    assert numbers.parse(numbers.format(number)) == number


@given(BODIES, SEPARATORS)
def test_any_checked_number_parses_however_it_is_spaced(body: str, separators: list[str]) -> None:
    number = body + luhn.calc_check_digit(body)
    assert numbers.parse(f"  {_spaced(number, separators)} ") == number
    assert re.fullmatch(r"\d{2}-\d{4}-\d{4}-\d{4}", numbers.format(number))


@given(BODIES, st.integers(0, 13), st.integers(1, 9))
def test_a_single_mistyped_digit_is_caught(body: str, position: int, shift: int) -> None:
    number = body + luhn.calc_check_digit(body)
    typo = number[:position] + str((int(number[position]) + shift) % 10) + number[position + 1 :]
    assert not numbers.is_valid(typo)
    with pytest.raises(InvalidInput) as refused:
        numbers.parse(typo)
    assert refused.value.code == "abha.invalid"


@given(st.text(max_size=40))
def test_parse_returns_a_valid_number_or_refuses(text: str) -> None:
    digits = re.sub(r"[\s\-]+", "", text)
    if re.fullmatch(r"[1-9][0-9]{13}", digits) and luhn.is_valid(digits):
        assert numbers.parse(text) == digits
    else:
        with pytest.raises(InvalidInput, match=r"abha\.invalid"):
            numbers.parse(text)


@pytest.mark.parametrize(
    "text", ["", "0" * 14, "1234567890123", "123456789012345", "12-3456-7890-12a4"]
)
def test_malformed_numbers_are_refused(text: str) -> None:
    assert not numbers.is_valid(text)


def test_ten_thousand_numbers_are_unique_valid_and_random() -> None:
    rng = random.Random(20260115)
    issued = [numbers.generate(rng) for _ in range(10_000)]
    assert len(set(issued)) == 10_000
    assert all(numbers.is_valid(number) for number in issued)
    assert {number[0] for number in issued} == set("123456789")
    gaps = [int(b) - int(a) for a, b in itertools.pairwise(issued)]
    assert min(abs(gap) for gap in gaps) > 1_000  # no number follows from the one before it
