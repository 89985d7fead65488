"""The fake's HTML parse mode: escaped text always survives, markup always balances.

This is what lets a bot test catch a user value that was not escaped: if the fake accepted
broken HTML, or mangled escaped text, such a test could not fail.
"""

from __future__ import annotations

import html
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from testing.fakes.telegram_html import HtmlParseError, parse_html, utf16_len

#: Any text a person might type: Devanagari, emoji (two UTF-16 units), markup-like characters.
typed = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8", exclude_categories=["Cs"]),
        st.sampled_from("<>&\"'/;#अआक्षि१२३😀"),
    ),
    max_size=60,
)


@given(typed)
def test_escaped_text_comes_back_unchanged_without_entities(value: str) -> None:
    parsed = parse_html(html.escape(value))

    assert parsed.text == value
    assert parsed.entities == []


@given(typed, typed, st.sampled_from(["b", "i", "u", "s", "code", "tg-spoiler"]))
def test_a_tag_around_escaped_text_marks_exactly_that_text(
    before: str, inside: str, tag: str
) -> None:
    parsed = parse_html(f"{html.escape(before)}<{tag}>{html.escape(inside)}</{tag}>")

    assert parsed.text == before + inside
    if inside:
        [entity] = parsed.entities
        assert entity["offset"] == utf16_len(before)
        assert entity["length"] == utf16_len(inside)
    else:
        assert parsed.entities == []  # Telegram drops empty entities


@given(typed, typed.filter(lambda v: not re.match("[a-zA-Z/]", v)))
def test_an_unescaped_angle_bracket_is_refused(before: str, after: str) -> None:
    """A user's `<` that was not escaped makes the whole message fail, as on Telegram."""
    with pytest.raises(HtmlParseError, match="Unsupported start tag"):
        parse_html(f"<b>{html.escape(before)}</b><{html.escape(after)}")


def test_links_nesting_and_entities() -> None:
    parsed = parse_html(
        '<b>ABHA <i>91&#45;1234</i></b> <a href="https://abdm.gov.in/?a=1&amp;b=2">ABDM</a> 😀&gt;'
    )

    assert parsed.text == "ABHA 91-1234 ABDM 😀>"
    assert parsed.entities == [
        {"type": "bold", "offset": 0, "length": 12},
        {"type": "italic", "offset": 5, "length": 7},
        {"type": "text_link", "offset": 13, "length": 4, "url": "https://abdm.gov.in/?a=1&b=2"},
    ]


@pytest.mark.parametrize(
    ("source", "description"),
    [
        ("<b>bold", 'Can\'t find end tag corresponding to start tag "b"'),
        ("plain</b>", "Unexpected end tag at byte offset 5"),
        ("<b><i>x</b></i>", 'Unmatched end tag at byte offset 7, expected "</i>", found "</b>"'),
        ("नाम <राम>", 'Unsupported start tag "" at byte offset 10'),
        ("<br>", 'Unsupported start tag "br" at byte offset 0'),
        ('<span class="x">y</span>', 'Tag "span" must have class "tg-spoiler"'),
    ],
)
def test_broken_markup_is_refused_like_the_api(source: str, description: str) -> None:
    with pytest.raises(HtmlParseError) as refused:
        parse_html(source)

    assert str(refused.value) == description


def test_a_bare_ampersand_is_text() -> None:
    assert parse_html("Ram & Sita &unknown; &amp;").text == "Ram & Sita &unknown; &"
