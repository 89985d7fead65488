"""The records catalogs: both languages hold the same keys with the same placeholders, every
error code raised by core/records and core/facilities has a message, and every label a
summary or a menu can ask for exists."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from core.facilities.models import FacilityType, Ownership, SystemOfMedicine
from core.records.hitypes import HiType
from core.records.summary.dosage import TIME_UNITS
from core.records.summary.lines import FLAGS
from core.records.summary.sections import SECTION_CODES, SECTION_TITLES
from locales import CATALOG_DIR, has_message, placeholders

ROOT = Path(__file__).resolve().parents[3]
RAISED = re.compile(
    r"\b(?:InvalidInput|NotFound|Conflict|Forbidden|Unauthenticated|TooLarge|Unreadable)\(\s*"
    r"\"([a-z_]+\.[a-z_.]+)\""
)
#: Headings added by the HI type modules, beyond what section codes and titles map to.
EXTRA_SECTIONS = {"diagnosis", "admission", "vaccines_due", "other"}


def catalog(lang: str) -> dict[str, str]:
    with (CATALOG_DIR / lang / "LC_MESSAGES" / "records.po").open("rb") as handle:
        return {str(m.id): str(m.string) for m in read_po(handle, locale=lang) if m.id}


def test_both_languages_have_the_same_keys_and_placeholders() -> None:
    english, hindi = catalog("en"), catalog("hi")
    assert english.keys() == hindi.keys()
    for key, text in english.items():
        assert text, key
        assert hindi[key], key
        assert placeholders(text) == placeholders(hindi[key]), key


def raised_codes() -> set[str]:
    sources = [*ROOT.glob("core/records/**/*.py"), *ROOT.glob("core/facilities/**/*.py")]
    return {code for path in sources for code in RAISED.findall(path.read_text())}


def test_every_raised_code_has_a_message() -> None:
    codes = {code for code in raised_codes() if code.startswith(("records.", "facility."))}
    assert "records.invalid_fhir" in codes
    assert "facility.key_revoked" in codes
    for code in sorted(codes):
        for lang in ("en", "hi"):
            assert has_message(f"error.{code}", lang), (code, lang)


@pytest.mark.parametrize("lang", ["en", "hi"])
def test_every_label_a_summary_or_menu_needs(lang: str) -> None:
    keys = [f"records.type.{hi_type.value}" for hi_type in HiType]
    kinds = set(SECTION_CODES.values()) | set(SECTION_TITLES.values()) | EXTRA_SECTIONS
    keys += [f"records.section.{kind}" for kind in kinds]
    keys += [f"records.unit.{unit}.{n}" for unit in TIME_UNITS for n in ("one", "other")]
    keys += [f"records.freq.per_{unit}.{n}" for unit in TIME_UNITS for n in ("one", "other")]
    keys += [f"records.flag.{flag}" for flag in set(FLAGS.values())]
    keys += [f"facility.type.{kind.value}" for kind in FacilityType]
    keys += [f"facility.ownership.{kind.value}" for kind in Ownership]
    keys += [f"facility.system.{kind.value}" for kind in SystemOfMedicine]
    missing = [key for key in keys if not has_message(key, lang)]
    assert missing == []
