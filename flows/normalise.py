"""Input normalisation and the global words every step understands.

Why here and not in each step: a feature phone sends what its keypad produced, in whatever
script the person chose. `"  ४२ "`, `"42"` and `"42\\x00"` must all mean 42 to every step, and
`MENU`, `menu` and `मेनू` must all reach the main menu, without any flow thinking about it.
Normalising once, before a step sees the text, makes that true everywhere.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from enum import StrEnum

#: Longer input is cut: no answer a flow asks for (a name, an address, a PIN) is longer, and a
#: 10 kB paste must not reach the state store (the conversation stays under 1 KB).
MAX_INPUT_CHARS = 160
#: Zero-width (non-)joiners shape Devanagari conjuncts; every other format character goes.
_KEEP_FORMAT = frozenset("\u200c\u200d")
#: Punctuation people add around a keyword ("Stop.", "'menu'").
_KEYWORD_TRIM = " .,;:!?'\"-()।"
_NUKTA = "\u093c"


def normalise(text: str) -> str:
    """Trimmed, NFC, control characters gone, any script's digits as ASCII, capped in length.

    Case is kept: a name is stored as typed. Line breaks and tabs become single spaces.
    """
    chars: list[str] = []
    for ch in text[: MAX_INPUT_CHARS * 4]:  # bound the work before the per-character passes
        category = unicodedata.category(ch)
        if category in ("Cc", "Zl", "Zp"):
            chars.append(" " if ch.isspace() else "")
        elif category == "Cs" or (category == "Cf" and ch not in _KEEP_FORMAT):
            continue
        elif category == "Nd":
            chars.append(str(unicodedata.decimal(ch)))  # ०-९ (and other scripts) to 0-9
        else:
            chars.append(ch)
    cleaned = unicodedata.normalize("NFC", "".join(chars))
    return " ".join(cleaned.split())[:MAX_INPUT_CHARS].strip()


def keyword_form(text: str) -> str:
    """How a keyword is compared: case-folded, nukta-blind, without surrounding punctuation.

    Nukta-blind because people type अंग्रेजी as often as अंग्रेज़ी.
    """
    folded = unicodedata.normalize("NFC", normalise(text).casefold()).replace(_NUKTA, "")
    return " ".join(folded.strip(_KEYWORD_TRIM).split())


class Word(StrEnum):
    """A global word: it means the same in every step of every flow."""

    MENU = "menu"
    BACK = "back"
    HELP = "help"
    LANGUAGE = "language"
    HINDI = "hindi"
    ENGLISH = "english"
    STOP = "stop"
    START = "start"


_SPELLINGS: Mapping[Word, tuple[str, ...]] = {
    Word.MENU: ("menu", "home", "main menu", "मेनू", "मेन्यू", "मुख्य मेनू", "होम"),
    Word.BACK: ("back", "पीछे", "वापस"),
    Word.HELP: ("help", "मदद", "सहायता"),
    Word.LANGUAGE: ("language", "lang", "भाषा"),
    Word.HINDI: ("hindi", "हिंदी", "हिन्दी"),
    Word.ENGLISH: ("english", "अंग्रेज़ी", "अंग्रेजी", "इंग्लिश"),
    Word.STOP: ("stop", "unsubscribe", "रोकें", "बंद"),
    Word.START: ("start", "unstop", "शुरू", "चालू"),
}

#: keyword form -> word, for every spelling in both languages and scripts.
GLOBAL_WORDS: Mapping[str, Word] = {
    keyword_form(spelling): word for word, spellings in _SPELLINGS.items() for spelling in spellings
}


def global_word(text: str | None) -> Word | None:
    """The global word `text` is, if it is one (the whole input, not a word inside it)."""
    return GLOBAL_WORDS.get(keyword_form(text)) if text else None
