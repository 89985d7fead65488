"""Rendering replies: pages within budget in both languages, nothing cut, SMS part sizes."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.clock import FrozenClock
from core.sms.encoding import Encoding, sms_size
from flows import Choice, Context, ConversationKey, Reply, msg
from flows.turn import MODE_QUESTIONS
from tests.flows.engine.demo import DemoServices, demo_flows, demo_translate
from tests.webhooks.pager_reference import reference_paginate
from webhooks.pager import PageBudget, Pager, paginate
from webhooks.render import render_text

MORE, BACK = "98. More", "0. Back"
WORDS = st.text(
    st.sampled_from("abcdefghij ABC0123456789.,?-कखगमनआईउएओािीुेोंँ्")
    | st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zs", "Zl", "Zp")),
    min_size=1,
    max_size=60,
)


def content(pages: list[str], nav: tuple[str, str] = (MORE, BACK)) -> list[str]:
    return [line for page in pages for line in page.split("\n") if line not in nav]


@given(
    st.lists(WORDS, max_size=6),
    st.lists(WORDS.map(lambda w: f"9. {w}"), max_size=15),
    st.sampled_from([PageBudget(), PageBudget(60, 30), PageBudget(40, 20)]),
)
def test_every_page_fits_and_no_word_is_lost(
    texts: list[str], choices: list[str], budget: PageBudget
) -> None:
    pages = paginate(texts, choices, more=MORE, back=BACK, budget=budget)
    assert pages
    assert all(budget.fits(page) for page in pages)
    original = "".join("".join(t.split()) for t in texts) + "".join(
        "".join(c.split()) for c in choices
    )
    assert "".join("".join(line.split()) for line in content(pages)) == original
    if len(pages) > 1:
        assert pages[0].endswith(MORE)
        assert pages[-1].endswith(BACK)
        assert all(page.endswith(f"{MORE}\n{BACK}") for page in pages[1:-1])


@given(
    st.lists(WORDS | st.text("ab €{[ कि्", min_size=1, max_size=300), max_size=6),
    st.lists(WORDS.map(lambda w: f"9. {w}"), max_size=15),
    st.sampled_from([PageBudget(), PageBudget(60, 30), PageBudget(40, 20), PageBudget(12, 6)]),
)
def test_the_linear_fitting_cuts_the_same_pages_as_the_measure_everything_one(
    texts: list[str], choices: list[str], budget: PageBudget
) -> None:
    """The fitting measures each line and word once (issue 18); its pages are the ones the
    fitting that measured the whole page for every word tried cut, to the character."""
    assert paginate(texts, choices, more=MORE, back=BACK, budget=budget) == reference_paginate(
        texts, choices, more=MORE, back=BACK, budget=budget
    )


def test_a_choice_line_is_never_split_when_it_fits_a_page() -> None:
    choices = [f"{n}. Option number {n} with a longer label" for n in range(1, 12)]
    pages = paginate(["Pick one:"], choices, more=MORE, back=BACK, budget=PageBudget())
    assert len(pages) > 1
    assert content(pages) == ["Pick one:", *choices]


def test_a_word_longer_than_a_page_is_split_between_syllables() -> None:
    word = "क्षत्रिय" * 20
    pages = paginate([word], [], more=MORE, back=BACK, budget=PageBudget(182, 40))
    assert all(PageBudget(182, 40).fits(p) for p in pages)
    pieces = content(pages)
    assert "".join(pieces) == word
    assert not any(piece.startswith(("्", "ि", "्ष")) for piece in pieces)


def test_an_empty_reply_is_one_empty_page() -> None:
    assert paginate([], [], more=MORE, back=BACK, budget=PageBudget()) == [""]


def context(lang: str) -> Context[DemoServices]:
    return Context(
        services=DemoServices(),
        key=ConversationKey("ussd", "+919876543210"),
        flow="",
        step="",
        lang=lang,
        data={"name": "अनुराधा कृष्णमूर्ति", "year": 1990, "handle": "anuradha42"},
        clock=FrozenClock(),
        rng=random.Random(1),
        ids=lambda: "id",
    )


@pytest.mark.parametrize("budget", [PageBudget(), PageBudget(120, 50)])
@pytest.mark.parametrize("lang", ["en", "hi"])
async def test_every_question_of_every_flow_fits_its_pages(lang: str, budget: PageBudget) -> None:
    replies: list[Reply] = []
    for flow in demo_flows():
        for step in flow.steps:
            replies.append(await step.ask(context(lang)))
    replies += [Reply(messages=(q,), choices=c) for q, c in MODE_QUESTIONS.values()]
    for reply in replies:
        stamped = Reply(reply.messages, reply.choices, lang=lang)
        pages = Pager(budget, demo_translate).pages(stamped)
        assert all(budget.fits(page) for page in pages), pages
        nav = (
            f"98. {demo_translate('engine.more', lang)}",
            f"0. {demo_translate('engine.prev', lang)}",
        )
        assert "".join(content(pages, nav)).replace(" ", "") == render_text(
            stamped, demo_translate
        ).replace("\n", "").replace(" ", "")


def test_sms_parts_are_numbered_and_at_most_so_many_segments() -> None:
    pager = Pager(PageBudget.segments(1), demo_translate)
    reply = Reply((msg("demo.handle.ask"),), (Choice("1", "engine.verbatim", {"text": "asha7"}),))
    assert pager.pages(reply) == ["Choose a nickname:\n1. asha7"]
    parts = pager.pages(Reply((msg("demo.about.text"),) * 3, lang="hi"))
    assert len(parts) > 1
    assert all(sms_size(part).segments == 1 for part in parts)
    assert {sms_size(part).encoding for part in parts} == {Encoding.UCS2}


def test_an_error_code_without_text_falls_back_to_a_generic_apology() -> None:
    reply = Reply((msg("error.no.such.code", x=1), msg("demo.name.ask")), lang="hi")
    assert render_text(reply, demo_translate) == (
        "माफ़ कीजिए, यह नहीं हो पाया। कृपया फिर कोशिश करें।\nआपका नाम?"
    )
    with pytest.raises(KeyError):
        render_text(Reply((msg("demo.no.such.key"),)), demo_translate)
