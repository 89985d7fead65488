"""PIN rules and hashing, and self-declared profile rules."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.errors import InvalidInput
from core.healthid import pins
from core.healthid.profile import clean_name, split_name, validated
from testing.healthid import profile

FOUR_DIGITS = st.from_regex(r"[0-9]{4}", fullmatch=True)


@given(st.integers(0, 9))
def test_one_digit_four_times_is_weak(digit: int) -> None:
    assert pins.is_weak(str(digit) * 4)


@given(st.integers(0, 6))
def test_runs_up_and_down_are_weak(start: int) -> None:
    run = "".join(str(start + step) for step in range(4))
    assert pins.is_weak(run)
    assert pins.is_weak(run[::-1])


@given(st.from_regex(r"[0-9]{2}", fullmatch=True))
def test_a_pair_twice_is_weak(pair: str) -> None:
    assert pins.is_weak(pair * 2)


@pytest.mark.parametrize("pin", ["5683", "7291", "1357", "2580", "1122"])
def test_ordinary_pins_are_accepted(pin: str) -> None:
    assert pins.check_strength(pin, year_of_birth=1990) == pin


def test_the_birth_year_is_weak_for_its_holder_only() -> None:
    assert pins.is_weak("1988", year_of_birth=1988)
    assert not pins.is_weak("1988", year_of_birth=1990)


@given(st.text(max_size=8))
def test_only_four_ascii_digits_are_a_pin(text: str) -> None:
    stripped = text.strip()
    if len(stripped) == 4 and stripped.isascii() and stripped.isdigit():
        assert pins.check_format(text) == stripped
    else:
        with pytest.raises(InvalidInput, match=r"pin\.format"):
            pins.check_format(text)


@settings(max_examples=25)
@given(FOUR_DIGITS, FOUR_DIGITS, st.binary(min_size=16, max_size=16))
def test_a_pin_hash_matches_only_its_pin(pin: str, other: str, salt: bytes) -> None:
    stored = pins.hash_pin(pin, cost=16, salt=salt)
    scheme, cost, _, _, kept_salt, digest = stored.split("$")
    assert (scheme, cost, kept_salt) == ("scrypt", "16", salt.hex())
    assert len(digest) == 64
    assert digest != pin.encode().hex()
    resalted = pins.hash_pin(pin, cost=16, salt=bytes(b ^ 0xFF for b in salt))
    assert resalted.split("$")[-1] != digest  # salted: the same PIN hashes differently
    assert pins.pin_matches(pin, stored)
    assert pins.pin_matches(other, stored) == (pin == other)


def test_validated_profile_is_cleaned() -> None:
    clean = validated(
        profile(
            first_name="  Asha  ",
            middle_name=" ",
            last_name="Rani  Devi",
            gender="f",
            email=" Asha@Mail.COM ",
            pin_code=" 226001 ",
        ),
        date(2026, 1, 15),
    )
    assert (clean.first_name, clean.middle_name, clean.last_name) == ("Asha", None, "Rani Devi")
    assert (clean.gender, clean.email, clean.pin_code) == ("F", "asha@mail.com", "226001")
    assert clean.name == "Asha Rani Devi"


@pytest.mark.parametrize("name", ["सुनीता", "Mary-Anne", "D'Souza", "Ch. Ramaiah", "ज़ैनब"])
def test_names_in_any_script_are_accepted(name: str) -> None:
    assert clean_name(name, "first_name", required=True) == name


def test_ekyc_names_split_into_first_middle_last() -> None:
    assert split_name("Ramesh") == ("Ramesh", None, None)
    assert split_name("Ramesh Sharma") == ("Ramesh", None, "Sharma")
    assert split_name("Ramesh Kumar Prasad Sharma") == ("Ramesh", "Kumar Prasad", "Sharma")
