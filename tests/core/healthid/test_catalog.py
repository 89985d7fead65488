"""Every code the Health ID registry raises, and every card label, reads in English and Hindi."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from locales import load_catalog, placeholders

SOURCE = Path(__file__).resolve().parents[3] / "core" / "healthid"
RAISED = re.compile(
    r"\b(?:InvalidInput|NotFound|Conflict|Forbidden|Locked|Unavailable)\(\s*\"([a-z_.]+)\""
)
# docs/core-api.md lists these for the Health ID registry.
DOCUMENTED = [
    "aadhaar.invalid",
    "aadhaar.mobile_not_linked",
    "aadhaar.otp_invalid",
    "aadhaar.txn_expired",
    "aadhaar.too_many_attempts",
    "mobile.invalid",
    "mobile.cap_reached",
    "address.invalid",
    "address.taken",
    "abha.invalid",
    "abha.not_found",
    "abha.inactive",
    "abha.deleted",
    "pin.invalid",
    "pin.locked",
    "pin.not_set",
    "pin.weak",
    "pin.format",
    "profile.invalid",
    "draft.expired",
    "draft.incomplete",
]
DEVANAGARI = re.compile(r"[\u0900-\u097f]")


def _raised_codes() -> set[str]:
    return {code for path in SOURCE.glob("*.py") for code in RAISED.findall(path.read_text())}


def test_the_scan_finds_the_codes() -> None:
    assert {"abha.invalid", "pin.locked", "aadhaar.txn_expired"} <= _raised_codes()


@pytest.mark.parametrize("code", sorted(_raised_codes() | set(DOCUMENTED)))
def test_each_error_reads_in_both_languages(code: str) -> None:
    english, hindi = load_catalog("en"), load_catalog("hi")
    key = f"error.{code}"
    assert key in english
    assert key in hindi
    assert placeholders(english[key]) == placeholders(hindi[key])
    assert DEVANAGARI.search(hindi[key])


def test_the_healthid_catalogs_hold_the_same_keys() -> None:
    def keys(lang: str) -> set[str]:
        path = (
            Path(__file__).resolve().parents[3] / "locales" / lang / "LC_MESSAGES" / "healthid.po"
        )
        return set(re.findall(r'^msgid "(.+)"$', path.read_text(), flags=re.MULTILINE))

    assert keys("en") == keys("hi")
    card_labels = {key for key in keys("en") if key.startswith("healthid.card.")}
    assert {"healthid.card.name", "healthid.card.gender.O", "healthid.card.yob"} <= card_labels
