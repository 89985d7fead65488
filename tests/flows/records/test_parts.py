"""Cutting summaries into parts: nothing lost, nothing reordered, every part within its budget,
and headings kept with their first line. Properties over generated rows, and the eight ABDM
example bundles in both languages at the budget the phones use."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.records.fhir import parse_document
from core.records.summary import Section, Summary, summarise
from flows.records.parts import Row, rows_of, size, split_rows, split_summary, within
from flows.records.reading import PART_BYTES
from testing.records import FIXTURES, fixture

#: Latin, Devanagari (with its vowel signs and virama) and spaces: what summaries are made of.
LETTERS = st.sampled_from(list("abcdefghij KLMNOP 0123456789-.() कखगपमरलसहािीुूेैोौंः्"))
TEXTS = st.text(LETTERS, min_size=1, max_size=300).map(lambda text: text.strip() or "x")
#: Sections as summaries write them: an optional short heading ending with a colon (nothing
#: else does), then one or more lines.
HEADINGS = st.text(st.sampled_from("ABCDEFGH"), min_size=1, max_size=10).map(lambda t: t + ":")
SECTIONS = st.tuples(st.none() | HEADINGS, st.lists(TEXTS, min_size=1, max_size=5))
ROWS = st.lists(SECTIONS, min_size=1, max_size=8).map(
    lambda sections: [
        row
        for heading, lines in sections
        for row in ([Row(heading, heading=True)] if heading else []) + [Row(t) for t in lines]
    ]
)


def letters(texts: list[str]) -> str:
    """The text without the spaces and line breaks cutting may add or take away."""
    return "".join("".join(texts).split())


@given(ROWS, st.integers(min_value=24, max_value=600))
def test_parts_keep_every_letter_in_order_within_the_budget(rows: list[Row], budget: int) -> None:
    parts = split_rows(rows, within(budget))
    assert all(size(part) <= budget for part in parts)
    assert all(part for part in parts)
    assert letters([line for part in parts for line in part]) == letters([r.text for r in rows])


@given(ROWS, st.integers(min_value=24, max_value=600))
def test_a_heading_ends_a_part_only_when_it_could_not_travel_on(
    rows: list[Row], budget: int
) -> None:
    parts = split_rows(rows, within(budget))
    for part, following in itertools.pairwise(parts):
        if len(part) > 1 and part[-1].endswith(":"):
            assert size([part[-1], following[0]]) > budget, (part, following)


@given(ROWS)
def test_rows_that_fit_stay_whole_and_one_part_without_a_budget(rows: list[Row]) -> None:
    parts = split_rows(rows, within(10_000))
    assert parts == [[row.text for row in rows]]


def test_a_word_longer_than_a_part_is_cut_between_syllables_not_inside_one() -> None:
    word = "क्षत्रिय" * 20  # conjuncts with viramas and vowel signs throughout
    parts = split_rows([Row(word)], within(30))
    assert "".join(line for part in parts for line in part) == word
    for part in parts:
        first = part[0][0]
        assert first not in "ािीुूेैोौंः्", part  # no piece starts with a mark torn from its letter


def test_rows_of_marks_headings_as_summary_lines_writes_them() -> None:
    summary = Summary(
        "Prescription, 5 Aug 2016",
        (Section("", ("Doctor: Dr Manju Sengar",)), Section("Medicines", ("a", "b"))),
        "en",
    )
    rows = rows_of(summary)
    assert [row.text for row in rows] == summary.lines()
    assert [row.heading for row in rows] == [False, False, True, False, False]
    assert split_summary(summary, None) == [summary.lines()]


@pytest.mark.parametrize("budget", sorted(PART_BYTES.values()))
@pytest.mark.parametrize("lang", ["en", "hi"])
@pytest.mark.parametrize("name", sorted(FIXTURES))
def test_every_example_summary_splits_within_the_phone_budget(
    name: str, lang: str, budget: int
) -> None:
    raw = fixture(name)
    summary = summarise(parse_document(raw, max_bytes=len(raw)), lang)
    parts = split_summary(summary, within(budget))
    assert all(size(part) <= budget for part in parts)
    assert letters([line for part in parts for line in part]) == letters(summary.lines())
    headings = {f"{section.heading}:" for section in summary.sections if section.heading}
    assert not any(part[-1] in headings for part in parts[:-1])  # each travels with its lines
