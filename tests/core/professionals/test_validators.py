"""Property tests for the registry's parsers: what they accept is always well formed, and
what they produce they accept again unchanged."""

from __future__ import annotations

import random
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.errors import InvalidInput, NotFound
from core.professionals.application import (
    clean_email,
    clean_name,
    clean_registration_number,
    clean_text,
)
from core.professionals.councils import COUNCILS, parse_council
from core.professionals.identifiers import (
    format_hpr_id,
    generate_hpr_id,
    handle_candidates,
    is_valid_handle,
    parse_handle,
    parse_hpr_id,
)

MARKUP = set('<>&"`;{}')


@given(st.text(max_size=40))
def test_a_registration_number_parses_to_a_canonical_form(text: str) -> None:
    try:
        number = clean_registration_number(text)
    except InvalidInput:
        return
    assert re.fullmatch(r"[A-Z0-9][A-Z0-9/.\-]{0,31}", number)
    assert clean_registration_number(number) == number
    assert clean_registration_number(" ".join(number.lower())) == number


@given(st.text(max_size=120))
def test_a_name_never_carries_markup_or_control_characters(text: str) -> None:
    try:
        name = clean_name(text)
    except InvalidInput:
        return
    assert not MARKUP & set(name)
    assert name == name.strip()
    assert "  " not in name
    assert clean_name(name) == name


@given(st.text(max_size=200))
def test_free_text_has_no_control_characters_and_is_stable(text: str) -> None:
    try:
        cleaned = clean_text(text, "institution", max_length=120)
    except InvalidInput:
        return
    assert 1 <= len(cleaned) <= 120
    assert all(ord(char) >= 0x20 and char not in "\x7f\n\r\t" for char in cleaned)
    assert clean_text(cleaned, "institution", max_length=120) == cleaned


@given(st.emails())
def test_real_email_addresses_are_accepted(email: str) -> None:
    try:
        cleaned = clean_email(email)
    except InvalidInput:
        return  # hypothesis's generator allows shapes we deliberately do not (IP domains)
    assert cleaned.split("@")[0] == email.split("@")[0]
    assert clean_email(cleaned) == cleaned


@given(st.randoms(use_true_random=False))
def test_generated_hpr_ids_are_14_digits_and_parse_back(rng: random.Random) -> None:
    hpr_id = generate_hpr_id(rng)
    assert re.fullmatch(r"[1-9]\d{13}", hpr_id)
    assert parse_hpr_id(format_hpr_id(hpr_id)) == hpr_id


@given(st.text(max_size=30))
def test_anything_else_is_not_an_hpr_id(text: str) -> None:
    try:
        hpr_id = parse_hpr_id(text)
    except NotFound:
        return
    assert re.fullmatch(r"[1-9]\d{13}", hpr_id)


@given(st.text(max_size=40), st.randoms(use_true_random=False))
def test_handle_candidates_are_valid_whatever_the_name(name: str, rng: random.Random) -> None:
    candidates = handle_candidates(name, rng)
    assert candidates
    assert all(is_valid_handle(handle) for handle in candidates)
    assert len(set(candidates)) == len(candidates)


@given(st.text(max_size=40))
def test_a_parsed_handle_is_valid(text: str) -> None:
    try:
        handle = parse_handle(text)
    except InvalidInput:
        return
    assert is_valid_handle(handle)
    assert parse_handle(handle.upper() + "@HPR") == handle


@given(st.text(max_size=8))
def test_only_listed_councils_parse(text: str) -> None:
    if text.strip().upper().removeprefix("IN-") in COUNCILS:
        assert parse_council(text) in COUNCILS
    else:
        with pytest.raises(InvalidInput, match=r"hpr\.council_unknown"):
            parse_council(text)


def test_the_master_list_has_every_state_council_and_the_nmc() -> None:
    assert len(COUNCILS) == 32
    assert parse_council("in-mh") == "MH"
    assert not COUNCILS["NMC"].state
    with pytest.raises(InvalidInput):
        parse_council("MAH")
