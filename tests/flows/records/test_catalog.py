"""The `recordsflow.` keys: every one the flow uses exists in both languages, every one defined
is used, Hindi reads in Devanagari, and each HI type has its list entry and heading."""

from __future__ import annotations

import re
from pathlib import Path

from core.records.hitypes import HiType
from locales import load_catalog

FLOW_DIR = Path(__file__).resolve().parents[3] / "flows" / "records"
KEY = re.compile(r"""["'](recordsflow\.[a-z_]+(?:\.[a-zA-Z_]+)*)["']""")
#: Keys built from an HI type at run time (`recordsflow.item.{type}`, `recordsflow.list.{type}`),
#: and the menu entry, which the main menu (flows/menu.py) uses.
DYNAMIC = {f"recordsflow.{family}.{kind.value}" for family in ("item", "list") for kind in HiType}
MENU_ENTRY = "recordsflow.menu"


def keys_in_code() -> set[str]:
    found: set[str] = set()
    for path in FLOW_DIR.rglob("*.py"):
        found |= set(KEY.findall(path.read_text(encoding="utf-8")))
    return found


def defined() -> set[str]:
    return {key for key in load_catalog("en") if key.startswith("recordsflow.")}


def test_every_key_used_exists_and_every_one_defined_is_used() -> None:
    used = keys_in_code()
    assert used - defined() == set()
    assert defined() - used - DYNAMIC - {MENU_ENTRY} == set()


def test_each_type_has_a_list_entry_and_a_heading_in_both_languages() -> None:
    for lang in ("en", "hi"):
        catalog = load_catalog(lang)
        for kind in HiType:
            assert "{date}" in catalog[f"recordsflow.item.{kind.value}"]
            assert "{total}" in catalog[f"recordsflow.list.{kind.value}"]
            assert f"records.type.{kind.value}" in catalog  # the filter's labels


def test_the_main_menu_offers_my_records() -> None:
    main = (FLOW_DIR.parent / "menu.py").read_text(encoding="utf-8")
    assert f'"{MENU_ENTRY}"' in main


def test_hindi_texts_are_in_devanagari() -> None:
    for key, text in load_catalog("hi").items():
        if key.startswith("recordsflow."):
            assert re.search("[\u0900-\u097f]", text), key
