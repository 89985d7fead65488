"""A message parameter may be a message key itself, said in the reader's language.

Why it matters: flows hand over keys only (a kind of record, a purpose, a consent's status), and
the words are chosen where the reply is rendered, in the conversation's language, by the one
function every channel renders through (`locales.translate`). The reply must stay JSON for the
engine's delivery cache and the USSD/SMS screen kept in the state.
"""

from __future__ import annotations

import json

import pytest

from flows import Choice, Reply, msg
from locales import translate
from webhooks.render import render_text

KINDS = (msg("consent.hitype.Prescription"), msg("consent.hitype.DiagnosticReport"))
DETAILS = msg(
    "consent.request.details",
    requester="Dr. Meera Iyer",
    hiu="Sanjeevani Hospital",
    types=KINDS,
    purpose=msg("consent.purpose.CAREMGT"),
    until="20-12-2026",
    code="4F7K",
    **{"from": "01-01-2024", "to": "20-11-2026"},
)
SAID = {
    "en": ("prescriptions, test reports", "for your care"),
    "hi": ("दवा के पर्चे, जाँच रिपोर्ट", "इलाज के लिए"),
}


@pytest.mark.parametrize("lang", ["en", "hi"])
def test_a_nested_key_and_a_list_of_them_are_said_in_the_message_s_language(lang: str) -> None:
    text = translate(DETAILS.key, lang, **DETAILS.params)
    kinds, purpose = SAID[lang]
    assert kinds in text
    assert purpose in text
    assert "consent." not in text  # no key is left unsaid


@pytest.mark.parametrize("lang", ["en", "hi"])
def test_a_nested_key_keeps_its_own_parameters(lang: str) -> None:
    label = translate("consent.narrow.on", lang, name=msg("consent.types.count", count=3))
    assert label == "✓ " + translate("consent.types.count", lang, count=3)
    assert "3" in label


@pytest.mark.parametrize("lang", ["en", "hi"])
def test_a_reply_with_nested_keys_round_trips_through_json_and_renders_alike(lang: str) -> None:
    toggle = Choice("tPrescription", "consent.narrow.on", {"name": KINDS[0]})
    reply = Reply(messages=(DETAILS,), choices=(toggle,), lang=lang)
    stored = json.loads(json.dumps(reply.to_json(), ensure_ascii=False))
    again = Reply.from_json(stored)
    assert again == reply
    rendered = render_text(again, translate)
    assert rendered == render_text(reply, translate)
    assert SAID[lang][0] in rendered
    assert "✓ " + translate("consent.hitype.Prescription", lang) in rendered


def test_text_parameters_stay_text_when_read_back() -> None:
    """A parameter that merely looks like a key is a string, never mistaken for a message."""
    said = msg("consent.narrow.on", name="consent.hitype.Prescription")
    again = Reply.from_json(json.loads(json.dumps(Reply(messages=(said,)).to_json())))
    assert again.messages[0].params["name"] == "consent.hitype.Prescription"
