"""Devanagari to Latin, just enough to build an ABHA address handle from a Hindi name.

Why: a person enrolling in Hindi types `रमेश कुमार`, but an ABHA address is ASCII letters and
digits, so `suggest_addresses` needs `ramesh.kumar`. This is a deliberately small, readable
scheme, not ISO 15919: it aims at the spelling a Hindi speaker would type on a phone keypad.

Rules:
- each consonant carries the inherent `a` unless a vowel sign (matra) or virama follows;
- Hindi schwa deletion, simplified: the inherent `a` is dropped word-finally (`रमेश` ->
  `ramesh`, not `ramesha`) and between a vowel-consonant and a consonant-vowel, scanning from
  the right (`कमला` -> `kamla`, `गुरप्रीत` -> `gurprit`, `अमरनाथ` -> `amarnath`);
- long and short vowels collapse (`ा` and `अ` -> `a`, `ी` -> `i`), as people write names;
- anusvara and chandrabindu become `n`, visarga `h`; a nukta letter takes its loanword
  sound (`ज़` -> `z`, `फ़` -> `f`), typed precomposed or as letter + nukta;
- anything outside Devanagari passes through unchanged (the caller filters to ASCII);
- a few very common name words whose usual Latin spelling no rule gives (`सिंह` -> `singh`)
  come from a short table.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

CONSONANTS: dict[str, str] = {
    "क": "k", "ख": "kh", "ग": "g", "घ": "gh", "ङ": "n",
    "च": "ch", "छ": "chh", "ज": "j", "झ": "jh", "ञ": "n",
    "ट": "t", "ठ": "th", "ड": "d", "ढ": "dh", "ण": "n",
    "त": "t", "थ": "th", "द": "d", "ध": "dh", "न": "n",
    "प": "p", "फ": "ph", "ब": "b", "भ": "bh", "म": "m",
    "य": "y", "र": "r", "ल": "l", "व": "v", "ळ": "l",
    "श": "sh", "ष": "sh", "स": "s", "ह": "h",
    "क़": "q", "ख़": "kh", "ग़": "g", "ज़": "z", "ड़": "r", "ढ़": "rh", "फ़": "f", "य़": "y",
}  # fmt: skip

VOWELS: dict[str, str] = {
    "अ": "a", "आ": "a", "इ": "i", "ई": "i", "उ": "u", "ऊ": "u", "ऋ": "ri",
    "ए": "e", "ऐ": "ai", "ओ": "o", "औ": "au", "ऑ": "o", "ऍ": "e",
}  # fmt: skip

VOWEL_SIGNS: dict[str, str] = {
    "ा": "a", "ि": "i", "ी": "i", "ु": "u", "ू": "u", "ृ": "ri",
    "े": "e", "ै": "ai", "ो": "o", "ौ": "au", "ॉ": "o", "ॅ": "e",
}  # fmt: skip

MARKS: dict[str, str] = {"ं": "n", "ँ": "n", "ः": "h"}
VIRAMA = "्"
NUKTA = "़"
#: Words whose everyday Latin spelling differs from what the letter rules give.
COMMON_WORDS: dict[str, str] = {"सिंह": "singh", "मोहम्मद": "mohammad", "श्री": "shri"}


@dataclass
class _Syllable:
    onset: str  # Latin consonants before the vowel ("" for an independent vowel)
    vowel: str  # Latin vowel ("" after a word-final virama)
    inherent: bool  # the vowel is the unwritten `a` a consonant carries
    coda: str = ""  # anusvara / chandrabindu / visarga
    conjunct: bool = False  # the onset joins consonants with a virama (`न्द्र`)


#: Devanagari letters and signs, without its digits (a digit ends a word for schwa deletion).
_DEVANAGARI_RUN = re.compile(r"([\u0900-\u0965\u0970-\u097f]+)")
_DIGITS = str.maketrans({chr(0x0966 + value): str(value) for value in range(10)})


def to_latin(text: str) -> str:
    """Transliterate the Devanagari in `text`; other characters are kept as they are."""
    # NFD splits the precomposed nukta letters (U+0958-U+095F) into letter + nukta.
    words = unicodedata.normalize("NFD", text).split()
    return " ".join(COMMON_WORDS.get(word) or _word_to_latin(word) for word in words)


def _word_to_latin(word: str) -> str:
    parts = _DEVANAGARI_RUN.split(word.translate(_DIGITS))
    return "".join(_run_to_latin(part) if index % 2 else part for index, part in enumerate(parts))


def _run_to_latin(run: str) -> str:
    syllables = _syllables(run)
    _delete_schwas(syllables)
    return "".join(s.onset + s.vowel + s.coda for s in syllables)


def _syllables(run: str) -> list[_Syllable]:
    """Split a Devanagari run into onset+vowel+coda units, marking inherent vowels."""
    syllables: list[_Syllable] = []
    onset = ""
    conjunct = False
    index = 0
    while index < len(run):
        char = run[index]
        if index + 1 < len(run) and run[index + 1] == NUKTA:
            char, index = char + NUKTA, index + 1
        index += 1
        following = run[index] if index < len(run) else ""
        if char in CONSONANTS:
            onset += CONSONANTS[char]
            if following == VIRAMA:
                index += 1
                conjunct = True
                continue  # the next consonant joins this onset
            if following in VOWEL_SIGNS:
                syllables.append(_Syllable(onset, VOWEL_SIGNS[following], False, "", conjunct))
                index += 1
            else:
                syllables.append(_Syllable(onset, "a", True, "", conjunct))
            onset, conjunct = "", False
        elif char in VOWELS:
            syllables.append(_Syllable(onset, VOWELS[char], inherent=False))
            onset = ""
        elif char in MARKS and syllables:
            syllables[-1].coda += MARKS[char]
        # any other sign (a stray virama, nukta or matra) carries no sound of its own
    if onset:
        syllables.append(_Syllable(onset, "", inherent=False))
    return syllables


def _delete_schwas(syllables: list[_Syllable]) -> None:
    """Hindi drops an inherent `a` word-finally and in a VC_CV context (right to left).

    A syllable opening with a conjunct keeps its `a` (`नरेंद्र` -> `narendra`), as does one
    closed by an anusvara (`हंस` -> `hans`) or the only syllable of a word (`क` -> `ka`).
    """
    for index in range(len(syllables) - 1, 0, -1):
        current = syllables[index]
        if not current.inherent or current.coda or current.conjunct:
            continue
        if index == len(syllables) - 1:
            current.vowel = ""
            continue
        before, after = syllables[index - 1], syllables[index + 1]
        if before.vowel and after.onset and after.vowel:
            current.vowel = ""
