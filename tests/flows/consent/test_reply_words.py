"""Answers by code as people type them ("yes 4f7k", "हाँ 4F7K", "NO-4F7K"), and the catalog
keys the consent flows and notices use, in both languages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.consent.answers import clean_code
from core.consent.models import ConsentStatus
from core.consent.requests import CODE_ALPHABET
from core.consent.terms import HI_TYPES, PURPOSES, parse_hi_type, parse_purpose
from core.errors import InvalidInput
from flows.consent import parse_reply
from flows.consent.keep import SPANS
from flows.consent.replies import NO_WORDS, YES_WORDS, parse_deep_link
from locales import LANGUAGES, load_catalog

ROOT = Path(__file__).resolve().parents[3]
CODES = st.text(st.sampled_from(CODE_ALPHABET), min_size=4, max_size=4)


@given(
    code=CODES,
    word=st.sampled_from(sorted(YES_WORDS | NO_WORDS)),
    gap=st.sampled_from([" ", "  ", "-", " : ", ""]),
    case=st.sampled_from([str.upper, str.lower, str.title]),
)
def test_an_answer_by_code_is_read_however_it_is_typed(
    code: str, word: str, gap: str, case: object
) -> None:
    text = f"  {case(word)}{gap}{case(code)}. "  # type: ignore[operator]
    action = "approve" if word in YES_WORDS else "deny"
    assert parse_reply(text) == (action, code)
    assert clean_code(code.lower()) == code


@given(text=st.text(max_size=20))
def test_anything_else_is_not_an_answer(text: str) -> None:
    parsed = parse_reply(text)
    if parsed is not None:  # then it really was a yes/no word and a four-character code
        action, code = parsed
        assert action in {"approve", "deny"}
        assert re.fullmatch("[A-Z0-9]{4}", code)


@pytest.mark.parametrize(
    "text",
    ["YES", "YES 4F7", "YES 4F7KX", "MAYBE 4F7K", "4F7K", "YES 4F 7K", "1", "no 1234", "yes OI0L"],
)
def test_near_misses_are_not_answers(text: str) -> None:
    assert parse_reply(text) is None


def test_a_deep_link_names_a_request() -> None:
    request_id = "5f7a535d-a3fd-416b-b069-c97d021fbacd"
    assert parse_deep_link(f"consent_{request_id}") == request_id
    assert parse_deep_link(f"/start consent_{request_id}") == request_id
    assert parse_deep_link("consent_5f7a535d") is None


@given(code=st.text(max_size=6))
def test_only_codes_of_the_alphabet_name_a_request(code: str) -> None:
    cleaned = clean_code(code)
    if cleaned is not None:
        assert len(cleaned) == 4
        assert set(cleaned) <= set(CODE_ALPHABET)


def test_vocabulary_parsers_refuse_what_abdm_does_not_know() -> None:
    assert parse_purpose(" caremgt ") == "CAREMGT"
    assert parse_hi_type("diagnosticreport") == "DiagnosticReport"
    for bad in ("CARE", "", None, 3):
        with pytest.raises(InvalidInput):
            parse_purpose(bad)
    for bad in ("Xray", "", None):
        with pytest.raises(InvalidInput):
            parse_hi_type(bad)


def test_every_consent_key_in_the_code_exists_in_both_languages() -> None:
    used: set[str] = set()
    for folder in ("core/consent", "flows"):
        for path in (ROOT / folder).rglob("*.py"):
            if path.name == "ask.py":  # names ABDM's fields (consent.hiu.id), not messages
                continue
            used |= set(
                re.findall(
                    r"""["'](consent\.[a-z_]+(?:\.[a-z_]+)*)["']""",
                    path.read_text(encoding="utf-8"),
                )
            )
    families = {
        **{f"consent.hitype.{kind}": None for kind in HI_TYPES},
        **{f"consent.purpose.{code}": None for code in PURPOSES},
        **{f"consent.status.{s.value}": None for s in ConsentStatus},
        **{f"consent.code.answered.{s.value}": None for s in ConsentStatus},
        **{f"consent.pin.{action}": None for action in ("approve", "narrow", "deny", "revoke")},
        **{f"consent.narrow.dates.{name}": None for name, _ in SPANS},
        **{f"consent.done.{outcome}": None for outcome in ("granted", "denied", "revoked")},
    }
    audited = {
        f"consent.{action}"
        for action in ("requested", "granted", "denied", "revoked", "expired", "fetched")
    }
    for lang in LANGUAGES:
        catalog = load_catalog(lang)
        missing = {
            key
            for key in (used - audited) | set(families)
            if key not in catalog and f"error.{key}" not in catalog  # an error code's message
        }
        assert not missing, (lang, missing)
    defined = {key for key in load_catalog("en") if key.startswith("consent.")}
    assert defined - used - set(families) == set(), "consent keys nobody uses"


#: Labels with nothing to translate: a mark and a name (a kind of record, a place) given whole.
SYMBOLS_ONLY = frozenset({"consent.narrow.on", "consent.narrow.off"})


def test_hindi_consent_texts_are_in_devanagari() -> None:
    for key, text in load_catalog("hi").items():
        if key.startswith(("consent.", "error.consent.")) and key not in SYMBOLS_ONLY:
            assert re.search("[\u0900-\u097f]", text), key
