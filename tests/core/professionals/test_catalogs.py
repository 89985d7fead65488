"""The registry's and the console's catalogs: both languages complete and consistent."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from core.professionals.councils import COUNCILS
from core.professionals.masters import SPECIALISATIONS, SYSTEMS_OF_MEDICINE
from core.professionals.models import ProfessionalStatus
from locales import CATALOG_DIR, has_message, placeholders

ROOT = Path(__file__).resolve().parents[3]
AREAS = ("professionals", "council")
DEVANAGARI = re.compile(r"[\u0900-\u097f]")
RAISED = re.compile(r'(?:InvalidInput|Conflict|Forbidden|NotFound|Locked)\(\s*"([a-z_.]+)"')
#: A literal key (`t('council.nav.queue')`); prefixes joined with `~` are checked separately.
TEMPLATE_KEY = re.compile(r"""\bt\(\s*'([a-z_.]+[a-z_])'\s*[,)]""")


def catalog(area: str, lang: str) -> dict[str, str]:
    path = CATALOG_DIR / lang / "LC_MESSAGES" / f"{area}.po"
    header = path.read_text(encoding="utf-8").split("\n\n")[0]
    assert 'msgid ""' in header
    assert "Content-Type: text/plain; charset=UTF-8" in header
    with path.open("rb") as handle:
        parsed = read_po(handle, locale=lang)
    return {str(m.id): str(m.string) for m in parsed if m.id}


@pytest.mark.parametrize("area", AREAS)
def test_both_languages_have_the_same_keys_and_placeholders(area: str) -> None:
    english, hindi = catalog(area, "en"), catalog(area, "hi")
    assert english.keys() == hindi.keys()
    for key, text in english.items():
        assert text, key
        assert hindi[key], key
        assert placeholders(text) == placeholders(hindi[key]), key


@pytest.mark.parametrize("area", AREAS)
def test_hindi_is_written_in_devanagari(area: str) -> None:
    latin_only = {
        key
        for key, text in catalog(area, "hi").items()
        if not DEVANAGARI.search(text) and key != "council.language.en"
    }
    assert latin_only == set()


def test_every_master_list_entry_has_a_label() -> None:
    keys = [council.label_key for council in COUNCILS.values()]
    keys += [f"hpr.specialisation.{code}" for code in SPECIALISATIONS]
    keys += [f"hpr.system.{code}" for code in SYSTEMS_OF_MEDICINE]
    keys += [f"hpr.status.{status.value}" for status in ProfessionalStatus]
    for lang in ("en", "hi"):
        assert [key for key in keys if not has_message(key, lang)] == []


def test_every_error_the_registry_raises_has_a_message() -> None:
    sources = [
        *(ROOT / "core" / "professionals").glob("*.py"),
        *(ROOT / "webhooks" / "council").glob("*.py"),
    ]
    codes = {code for path in sources for code in RAISED.findall(path.read_text())}
    assert {"hpr.duplicate_registration", "hpr.other_council", "officer.locked"} <= codes
    for lang in ("en", "hi"):
        assert sorted(c for c in codes if not has_message(f"error.{c}", lang)) == []


def test_every_label_a_template_uses_exists() -> None:
    templates = (ROOT / "webhooks" / "council" / "templates").glob("*.html")
    keys = {key for path in templates for key in TEMPLATE_KEY.findall(path.read_text())}
    keys |= {
        "council.language.en",
        "council.language.hi",
        "council.done.verified",
        "council.done.rejected",
        "council.sign_in.expired",
        "council.signed_out",
        "council.detail.reason_needed",
        "council.error.csrf",
        "council.error.not_found",
        "council.error.server",
    }
    assert len(keys) > 40
    for lang in ("en", "hi"):
        assert sorted(key for key in keys if not has_message(key, lang)) == []
