"""Every catalog, both languages: the same keys, the same placeholders, nothing empty; and the
conversation keys the Health ID flows use all exist (and all that exist are used)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from locales import LANGUAGES, catalog_paths, load_catalog, placeholders

ROOT = Path(__file__).resolve().parents[2]
FLOW_KEY = re.compile(r"""["'](flows\.[a-z_]+(?:\.[a-zA-Z_]+)*)["']""")
#: Keys built at run time from a value (`flows.gender.{M,F,O}`, `flows.myid.kyc.{kind}`).
DYNAMIC_FAMILIES = ("flows.gender.", "flows.myid.kyc.")


def test_both_languages_have_the_same_files() -> None:
    english = {path.name for path in catalog_paths("en")}
    hindi = {path.name for path in catalog_paths("hi")}
    assert english == hindi
    assert "flows.po" in english


def test_both_languages_hold_the_same_keys() -> None:
    assert set(load_catalog("en")) == set(load_catalog("hi"))


@pytest.mark.parametrize("key", sorted(load_catalog("en")))
def test_placeholders_agree_and_no_text_is_empty(key: str) -> None:
    texts = {lang: load_catalog(lang)[key] for lang in LANGUAGES}
    assert all(text.strip() for text in texts.values()), key
    assert placeholders(texts["en"]) == placeholders(texts["hi"]), key


def flow_keys_in_code() -> set[str]:
    found: set[str] = set()
    for path in (ROOT / "flows").rglob("*.py"):
        found |= set(FLOW_KEY.findall(path.read_text(encoding="utf-8")))
    return found


def test_every_flow_key_used_exists_and_every_one_defined_is_used() -> None:
    defined = {key for key in load_catalog("en") if key.startswith("flows.")}
    used = flow_keys_in_code()
    assert used - defined == set(), "used by a flow, missing from flows.po"
    unused = {k for k in defined - used if not k.startswith(DYNAMIC_FAMILIES)}
    assert unused == set(), "in flows.po but used by no flow"


def test_hindi_flow_texts_are_in_devanagari() -> None:
    for key, text in load_catalog("hi").items():
        if key.startswith("flows.") and key not in {
            "flows.myid.person",
            "flows.myid.person_address",
        }:
            assert re.search("[\u0900-\u097f]", text), key


#: One term per idea in Hindi (issue 14, the review's "inconsistency in four places"): the
#: spelling a person reads, and the variants that must not come back.
HINDI_TERMS = {
    "आभा": ("हेल्थ आईडी",),
    "OTP": ("ओटीपी",),
    "पिन": ("PIN",),
    "जाँच": ("जांच",),
    "हिंदी": ("हिन्दी",),
}


@pytest.mark.parametrize("term", sorted(HINDI_TERMS))
def test_hindi_says_each_idea_one_way(term: str) -> None:
    for key, text in load_catalog("hi").items():
        for variant in HINDI_TERMS[term]:
            assert variant not in text, f"{key}: {variant!r} where Hindi says {term!r}"
