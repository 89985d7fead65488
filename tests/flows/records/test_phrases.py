"""Breaking a record's lines for a small screen between phrases (review D17): properties over
generated lines, and the review's own lines at a Hindi USSD screen's width."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from flows.records.phrases import Room, phrases, wrap

#: Words of summaries, with the punctuation phrases end or start with.
WORDS = st.sampled_from(
    [
        "mg",
        "tablet",
        "day,",
        "food",
        "(for",
        "cough)",
        "लिखा",
        "दिन",
        "में",
        "2",
        "बार,",
        "x:",
        "weeks.",
        "Dr.",
        "(1)-Twice",
        '"1',
        'capsule"',
        "गोली;",
        "सलाह।",
        "a" * 70,
    ]
)
LINES = st.lists(WORDS, min_size=1, max_size=40).map(" ".join)
WIDTHS = st.integers(min_value=8, max_value=120)


def room_of(width: int) -> Room:
    return lambda text: width - len(text)


@given(LINES)
def test_phrases_join_back_into_the_line(line: str) -> None:
    assert " ".join(phrases(line)) == line


@given(LINES, WIDTHS)
def test_wrap_keeps_every_word_in_order_and_each_line_fits(line: str, width: int) -> None:
    lines = wrap(line, room_of(width))
    assert " ".join(lines) == line
    for text in lines:
        assert len(text) <= width or " " not in text, (text, width)  # one long word may not fit


@given(LINES, WIDTHS)
def test_a_line_that_fits_is_left_whole(line: str, width: int) -> None:
    if len(line) <= width:
        assert wrap(line, room_of(width)) == [line]


#: A Hindi USSD screen less its "98. आगे" and "0. पीछे" lines (`flows.records.reading`).
HINDI_SCREEN = 80 - 17


def test_the_reviews_lines_break_between_phrases() -> None:
    room = room_of(HINDI_SCREEN)
    assert wrap(
        "- Utamide 50 mg oral tablet(Bicalutamide 50 mg oral tablet): अस्पताल ने लिखा "
        '"(1)-Twice a day (Duration:8)"',
        room,
    ) == [
        "- Utamide 50 mg oral tablet(Bicalutamide 50 mg oral tablet):",
        'अस्पताल ने लिखा "(1)-Twice a day (Duration:8)"',
    ]
    assert wrap(
        "- Active Plan for next 2 months: Actively monitor progress. Review every week to "
        "start with. Medications to be revised after 2 weeks.",
        room,
    ) == [
        "- Active Plan for next 2 months: Actively monitor progress.",
        "Review every week to start with.",
        "Medications to be revised after 2 weeks.",
    ]


def test_an_abbreviation_does_not_end_a_phrase() -> None:
    assert phrases("Dr. Meera Rao, A.P. & OBLIQUE VIEW (left hand)") == [
        "Dr. Meera Rao,",
        "A.P. & OBLIQUE VIEW",
        "(left hand)",
    ]


def test_a_lone_fragment_costs_more_than_a_break_inside_a_phrase() -> None:
    """Three phrases where the last one alone would be a fragment on its own line: the even
    breaking puts a break inside the middle phrase instead."""
    line = "- cough syrup 10 ml: two spoons after every meal for a week (for cough)"
    lines = wrap(line, room_of(40))
    assert len(lines) == 2
    assert lines[-1] != "(for cough)"
