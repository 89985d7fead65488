"""ABHA addresses and their suggestions, including Hindi names (property tests)."""

from __future__ import annotations

import re

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from core.errors import InvalidInput
from core.healthid import address
from core.healthid.translit import to_latin

ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789"
DEVANAGARI = "".join(chr(c) for c in range(0x0900, 0x0980))


@st.composite
def handles(draw: st.DrawFn) -> str:
    """Rule-abiding handles: 8-18 characters, a letter, at most one interior `.` and `_`."""
    core = draw(st.text(ALNUM, min_size=6, max_size=16))
    core = draw(st.sampled_from("abcxyz")) + core
    for mark in draw(st.sets(st.sampled_from("._"))):
        spot = draw(st.integers(1, len(core) - 1))
        if core[spot - 1] in "._" or core[spot] in "._":
            continue
        core = core[:spot] + mark + core[spot:]
    assume(8 <= len(core) <= 18)
    return core


def _follows_the_rules(handle: str) -> bool:
    return (
        8 <= len(handle) <= 18
        and re.fullmatch(r"[a-z0-9._]+", handle) is not None
        and handle.count(".") <= 1
        and handle.count("_") <= 1
        and handle[0] not in "._"
        and handle[-1] not in "._"
        and re.search(r"[a-z]", handle) is not None
    )


@given(handles(), st.booleans(), st.booleans())
def test_handles_parse_case_insensitively_with_or_without_suffix(
    handle: str, shout: bool, with_suffix: bool
) -> None:
    typed = handle.upper() if shout else handle
    typed += "@SBX" if with_suffix and shout else "@sbx" if with_suffix else ""
    assert address.parse(f" {typed} ", "sbx") == f"{handle}@sbx"


@given(st.text(max_size=30))
def test_parse_accepts_only_rule_abiding_handles(text: str) -> None:
    handle, at, suffix = text.strip().lower().rpartition("@")
    handle = handle if at else suffix
    if _follows_the_rules(handle) and (not at or suffix == "abdm"):
        assert address.parse(text, "abdm") == f"{handle}@abdm"
    else:
        with pytest.raises(InvalidInput, match=r"address\.invalid"):
            address.parse(text, "abdm")


@pytest.mark.parametrize(
    "text",
    [
        "ramesh",
        "r" * 19,
        "ram.esh.kumar",
        "ram_esh_kumar",
        ".rameshkumar",
        "rameshkumar_",
        "ramesh kumar",
        "ramesh-kumar",
        "12345678",
        "rameshkumar@abdm",
        "rameshkumar@",
        "रमेशकुमार12",
    ],
)
def test_rule_breaking_addresses_are_refused(text: str) -> None:
    with pytest.raises(InvalidInput):
        address.parse(text, "sbx")


@given(
    st.text(min_size=1, max_size=30),
    st.none() | st.text(max_size=30),
    st.integers(1900, 2026),
    st.sets(st.text(ALNUM + "._", min_size=8, max_size=18), max_size=20),
)
def test_suggestions_are_valid_free_distinct_and_enough(
    first: str, last: str | None, year: int, taken: set[str]
) -> None:
    suggestions = address.suggest(first, last, year, taken.__contains__)
    assert len(suggestions) >= 3
    assert len(set(suggestions)) == len(suggestions)
    assert all(_follows_the_rules(handle) for handle in suggestions)
    assert not taken & set(suggestions)


@given(st.text(DEVANAGARI + " ", max_size=30))
def test_devanagari_names_become_plain_latin_letters(name: str) -> None:
    assert re.fullmatch(r"[a-z]*", address.name_slug(name))


def test_taken_patterns_give_way_to_numbered_handles() -> None:
    everything = set(address.candidates("Om", "Prakash", 1990))
    suggestions = address.suggest("Om", "Prakash", 1990, everything.__contains__)
    assert suggestions == ["om.19901", "om.19902", "om.19903"]


def test_a_hindi_name_is_suggested_in_latin() -> None:
    assert address.candidates("रमेश", "कुमार", 1990)[:3] == [
        "ramesh.kumar",
        "rameshkumar1990",
        "ramesh.kumar90",
    ]


@pytest.mark.parametrize(
    ("hindi", "latin"),
    [
        ("रमेश कुमार", "ramesh kumar"),
        ("सुनीता देवी", "sunita devi"),
        ("प्रिया शर्मा", "priya sharma"),
        ("लक्ष्मी", "lakshmi"),
        ("नरेंद्र", "narendra"),
        ("कमला", "kamla"),
        ("गुरप्रीत सिंह", "gurprit singh"),
        ("ज़ैनब", "zainab"),
        ("\u095b\u0948\u0928\u092c", "zainab"),
        ("हंस", "hans"),
        ("राम१९९०", "ram1990"),
        ("Asha", "Asha"),
    ],
)
def test_transliteration_reads_as_hindi_speakers_spell(hindi: str, latin: str) -> None:
    assert to_latin(hindi) == latin
