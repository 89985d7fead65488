"""Input normalisation and global words, as properties over any text a phone might send."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from flows.normalise import GLOBAL_WORDS, MAX_INPUT_CHARS, Word, global_word, normalise

DEVANAGARI_DIGITS = "०१२३४५६७८९"


@given(st.text())
def test_normalised_text_is_clean_bounded_and_stable(text: str) -> None:
    out = normalise(text)
    assert normalise(out) == out
    assert len(out) <= MAX_INPUT_CHARS
    assert out == out.strip()
    assert unicodedata.is_normalized("NFC", out)
    assert "  " not in out
    assert not any(unicodedata.category(ch) in ("Cc", "Cs") for ch in out)
    assert not any(ch in DEVANAGARI_DIGITS for ch in out)


@given(st.lists(st.integers(0, 9), min_size=1, max_size=20), st.text(" \t\n\x00\u200b", max_size=3))
def test_devanagari_digits_read_as_ascii(digits: list[int], noise: str) -> None:
    written = "".join(DEVANAGARI_DIGITS[d] for d in digits)
    assert normalise(noise + written + noise) == "".join(map(str, digits))


@given(st.sampled_from(sorted(GLOBAL_WORDS)), st.data())
def test_global_words_match_in_any_case_with_spaces_and_punctuation(
    word: str, data: st.DataObject
) -> None:
    cased = "".join(data.draw(st.sampled_from([c.upper(), c.lower()])) for c in word)
    padding = data.draw(st.sampled_from(["", " ", "  ", "\t"]))
    trailing = data.draw(st.sampled_from(["", ".", "!", "?", "।"]))
    assert global_word(f"{padding}{cased}{trailing}{padding}") is GLOBAL_WORDS[word]


def test_words_in_both_scripts() -> None:
    assert global_word("MENU") is global_word("मेनू") is Word.MENU
    assert global_word("Back") is global_word("पीछे") is Word.BACK
    assert global_word("help") is global_word("मदद") is Word.HELP
    assert global_word("भाषा") is Word.LANGUAGE
    assert global_word("HINDI") is global_word("हिन्दी") is global_word("हिंदी") is Word.HINDI
    assert global_word("अंग्रेज़ी") is global_word("अंग्रेजी") is Word.ENGLISH
    assert global_word("ENGLISH") is Word.ENGLISH
    assert global_word("stop") is Word.STOP
    assert global_word("START") is Word.START


@given(st.text(min_size=1))
def test_a_keyword_inside_other_text_is_not_a_keyword(text: str) -> None:
    sentence = f"please help me {text} now"
    assert global_word(sentence) is None


def test_control_characters_and_long_input() -> None:
    assert normalise("\x00A\x07sha\u200b\u202e ") == "Asha"
    assert normalise("क्\u200dष") == "क्\u200dष"  # the joiner shapes the conjunct: kept
    assert normalise("a\r\nb\tc") == "a b c"
    assert len(normalise("x" * 10_000)) == MAX_INPUT_CHARS
    assert normalise("😀 hi") == "😀 hi"
