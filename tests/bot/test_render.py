"""Rendering a Reply for Telegram and binding its buttons: escaping, splitting, signing.

The splitter and the button codec are parsers of a kind, so hypothesis drives them; the HTML
goes through the fake Bot API, which parses it as Telegram does and refuses what it cannot."""

from __future__ import annotations

import re

import pytest
from aiogram import Bot
from hypothesis import given
from hypothesis import strategies as st

from bot.buttons import ButtonSigner, StepButton
from bot.delivery import deliver
from bot.render import MENU_CHOICE, message_html, render_reply, split_text, utf16_len
from bot.routers.contact import e164_digits
from flows.types import Attachment, Choice, Reply, msg
from locales import MissingMessage
from testing.fakes.telegram_api import TelegramApiFake
from testing.fakes.telegram_updates import user

SIGNER = ButtonSigner("test-secret-key")
WHITESPACE = re.compile(r"\s")


def data_for(choice: str) -> str:
    return SIGNER.button(1, 10_000, "main.menu", choice)


@given(st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=600))
def test_split_text_keeps_every_character_within_the_limit(text: str) -> None:
    chunks = split_text(text, limit=64)
    assert all(utf16_len(chunk) <= 64 for chunk in chunks)
    assert WHITESPACE.sub("", "".join(chunks)) == WHITESPACE.sub("", text)


def test_split_text_cuts_at_lines_and_words() -> None:
    text = "\n".join(["word " * 10, "short", "x" * 30])
    assert split_text(text, limit=40) == [
        " ".join(["word"] * 8),
        "word word \nshort",
        "x" * 30,
    ]
    assert split_text("🙂" * 30, limit=41) == ["🙂" * 20, "🙂" * 10]  # two units each


choice_ids = st.text(
    alphabet=st.characters(whitelist_categories=["Ll", "Lu", "Nd"], max_codepoint=127)
    | st.sampled_from("_-."),
    min_size=1,
    max_size=24,
)


@given(
    chat=st.integers(min_value=1, max_value=2**52),
    turn=st.integers(min_value=1, max_value=2**40),
    position=st.none() | st.sampled_from(["main.menu", "enrol.state", "mode:language"]),
    choice=choice_ids,
)
def test_button_data_fits_and_is_genuine_only_where_it_was_issued(
    chat: int, turn: int, position: str | None, choice: str
) -> None:
    data = SIGNER.button(chat, turn, position, choice)
    button = StepButton.unpack(data)

    assert len(data.encode()) <= 64
    assert (button.turn, button.choice) == (turn, choice)
    assert SIGNER.genuine(chat, button, position)
    assert not SIGNER.genuine(chat + 1, button, position)
    assert not SIGNER.genuine(chat, button, "enrol.gender")
    moved = StepButton(turn=turn + 1, sig=button.sig, choice=choice)
    assert not SIGNER.genuine(chat, moved, position)
    assert not ButtonSigner("another-secret").genuine(chat, button, position)


def test_a_choice_id_that_cannot_be_packed_is_a_bug_found_loudly() -> None:
    with pytest.raises(ValueError, match="Separator"):
        SIGNER.button(1, 1, None, "a:b")
    with pytest.raises(ValueError, match="too long"):
        SIGNER.button(1, 1, None, "x" * 60)


@given(st.text(alphabet="0123456789", min_size=1, max_size=15))
def test_telegrams_plusless_numbers_get_their_plus(digits: str) -> None:
    expected = f"+{digits}" if len(digits) > 10 else digits
    assert e164_digits(digits) == expected
    assert e164_digits(f"+{digits}") == f"+{digits}"


def test_parameters_are_escaped_and_labels_are_not() -> None:
    reply = Reply(
        messages=(msg("flows.myid.home", name='<b>Tom & "Jerry"</b>'),),
        choices=(Choice("1", "engine.verbatim", {"text": "<i>a&b</i>"}),),
        lang="en",
    )
    outgoing = render_reply(reply, data_for=data_for, contact_shown=False)
    assert outgoing.texts == ("Hello &lt;b&gt;Tom &amp; &quot;Jerry&quot;&lt;/b&gt;",)
    assert outgoing.buttons[0].label == "<i>a&b</i>"
    assert StepButton.unpack(outgoing.buttons[0].data).choice == "1"


def test_an_ended_conversation_offers_the_main_menu_and_a_card_becomes_a_photo() -> None:
    reply = Reply(
        messages=(msg("flows.enrol.cancelled"),),
        attachments=(Attachment("health_id_card", "19-4009-4929-1349"), Attachment("x", "y")),
        end=True,
        lang="hi",
    )
    outgoing = render_reply(reply, data_for=data_for, contact_shown=True)
    assert [b.label for b in outgoing.buttons] == ["मुख्य मेनू"]
    assert StepButton.unpack(outgoing.buttons[0].data).choice == MENU_CHOICE
    assert outgoing.cards == ("19-4009-4929-1349",)
    assert outgoing.hide_contact
    assert not outgoing.ask_contact


def test_an_error_without_text_is_a_polite_apology_and_any_other_gap_a_bug() -> None:
    assert (
        message_html(msg("error.no.such.code"), "hi")
        == "माफ़ कीजिए, यह नहीं हो पाया। कृपया फिर कोशिश करें।"
    )
    with pytest.raises(MissingMessage):
        message_html(msg("flows.no_such_key"), "en")


async def test_what_the_renderer_writes_telegram_shows_verbatim(
    telegram_api: TelegramApiFake, telegram_bot: Bot
) -> None:
    """The fake parses HTML as Telegram does: an unescaped `<` would be refused outright."""
    person = user(870001, "Asha")
    telegram_api.add_user(person)
    reply = Reply(
        messages=(msg("flows.myid.home", name="<script>alert('x')</script> & co"),),
        choices=(Choice("ok", "flows.ok"),),
        lang="en",
    )
    outgoing = render_reply(reply, data_for=data_for, contact_shown=False)

    await deliver(telegram_bot, person["id"], outgoing, services=None)  # type: ignore[arg-type]

    sent = telegram_api.last_sent(person["id"])
    assert sent["text"] == "Hello <script>alert('x')</script> & co"
    assert "entities" not in sent
    assert sent["reply_markup"]["inline_keyboard"][0][0]["text"] == "OK"
