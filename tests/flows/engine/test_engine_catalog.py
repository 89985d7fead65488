"""The engine's words (`engine.po`): both languages, same placeholders, all used, none missing."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.pofile import read_po

import locales

ROOT = Path(__file__).resolve().parents[3]
KEY = re.compile(r"""["'](engine\.[a-z_]+(?:\.[a-z_]+)*)["']""")


def engine_catalog(lang: str) -> dict[str, str]:
    path = ROOT / "locales" / lang / "LC_MESSAGES" / "engine.po"
    with path.open("rb") as handle:
        return {str(m.id): str(m.string) for m in read_po(handle, locale=lang) if m.id}


def keys_in_code() -> set[str]:
    found: set[str] = set()
    for package in ("flows", "webhooks"):
        for path in (ROOT / package).rglob("*.py"):
            found |= set(KEY.findall(path.read_text(encoding="utf-8")))
    return found


def test_both_languages_hold_the_same_keys_and_placeholders() -> None:
    english, hindi = engine_catalog("en"), engine_catalog("hi")
    assert english.keys() == hindi.keys()
    for key, text in english.items():
        assert text, key
        assert hindi[key], key
        assert locales.placeholders(text) == locales.placeholders(hindi[key]), key


def test_every_key_is_used_and_every_used_key_exists() -> None:
    defined = engine_catalog("en").keys()
    used = keys_in_code()
    assert used - defined == set(), "used in code but missing from engine.po"
    assert defined - used == set(), "in engine.po but used nowhere"


def test_hindi_is_written_in_devanagari() -> None:
    latin_ok = {"engine.verbatim", "engine.language.en"}
    for key, text in engine_catalog("hi").items():
        if key not in latin_ok:
            assert re.search("[\u0900-\u097f]", text), key
