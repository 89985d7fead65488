"""Every SMS key has a DLT template and a text in both languages that fits the segment budget."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.sms.encoding import Encoding, sms_size
from core.sms.templates import (
    REPLY_TEMPLATE_KEY,
    TEMPLATES,
    MissingTemplate,
    loggable_template_ids,
    template_id,
)
from locales import LANGUAGES, load_catalog, placeholders, translate
from tests.conftest import make_settings

DLT_TEMPLATE_ID = re.compile(r"^[0-9]{19}$")


def sms_keys(lang: str) -> set[str]:
    return {key for key in load_catalog(lang) if key.startswith("sms.")}


#: Templates with a catalog text of their own (the conversational reply carries rendered pages).
TEXT_TEMPLATES = sorted(set(TEMPLATES) - {REPLY_TEMPLATE_KEY})


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_sms_text_has_a_template_and_every_template_a_text(lang: str) -> None:
    assert sms_keys(lang) <= set(TEMPLATES)
    assert set(TEXT_TEMPLATES) <= set(load_catalog(lang))
    assert REPLY_TEMPLATE_KEY not in load_catalog(lang)


@pytest.mark.parametrize("key", sorted(TEMPLATES))
def test_default_ids_look_like_dlt_ids(key: str) -> None:
    assert DLT_TEMPLATE_ID.match(template_id(key, make_settings()))


def test_default_ids_are_distinct() -> None:
    ids = [t.default_id for t in TEMPLATES.values()]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("key", TEXT_TEMPLATES)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_texts_use_exactly_the_template_parameters(key: str, lang: str) -> None:
    assert placeholders(load_catalog(lang)[key]) == TEMPLATES[key].params


def test_an_unregistered_key_is_a_programming_error() -> None:
    with pytest.raises(MissingTemplate):
        template_id("sms.nonexistent", make_settings())


def test_sensitive_texts_are_never_loggable() -> None:
    assert loggable_template_ids(make_settings()) == frozenset()


@given(
    otp=st.from_regex(r"\A[0-9]{6}\Z"),
    minutes=st.integers(min_value=1, max_value=99),
    lang=st.sampled_from(LANGUAGES),
)
def test_the_otp_sms_is_one_segment_in_both_languages(otp: str, minutes: int, lang: str) -> None:
    text = translate("sms.otp", lang, otp=otp, minutes=minutes)
    assert sms_size(text).segments == 1
    assert otp in text
    assert str(minutes) in text


def test_the_hindi_otp_sms_is_ucs2_and_warns_not_to_share() -> None:
    text = translate("sms.otp", "hi", otp="123456", minutes=10)
    assert sms_size(text).encoding is Encoding.UCS2
    assert sms_size(text).units <= 70
    assert "किसी को न बताएँ" in text
    assert "Do not share" in translate("sms.otp", "en", otp="123456", minutes=10)


@pytest.mark.parametrize("key", ["sms.welcome", "sms.card_details"])
def test_english_notices_fit_one_segment_for_a_typical_person(key: str) -> None:
    params = {
        "name": "Ramesh Kumar Sharma",  # 19 letters: a typical full name
        "abha_number": "91-5032-7845-2167",
        "address": "ramesh.sharma_1990@abdm",
    }
    text = translate(key, "en", **{k: params[k] for k in TEMPLATES[key].params})
    assert (sms_size(text).encoding, sms_size(text).segments) == (Encoding.GSM7, 1)
