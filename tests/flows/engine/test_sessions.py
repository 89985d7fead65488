"""Conversations over time: resume after a dropped USSD session, expiry, SMS opt-out."""

from __future__ import annotations

from core.clock import FrozenClock
from core.settings import Settings
from flows import ConversationKey, Engine, Input
from tests.flows.engine.chat import PHONE, Chat
from tests.flows.engine.demo import DemoServices

MENU_EN = "Welcome to the demo.\n1. Register\n2. Pick a fruit\n3. About\n4. Quit"
RESUME_EN = "Continue where you left off?\n1. Yes, continue\n2. Start again"


async def dropped_at_year(engine: Engine[DemoServices]) -> Chat:
    chat = Chat(engine, channel="ussd")
    await chat.send(new_session=True, session_id="s1")
    await chat.send("1", session_id="s1")
    await chat.send("Asha", session_id="s1")
    return chat


async def test_dialling_again_soon_offers_to_continue(
    engine: Engine[DemoServices], clock: FrozenClock
) -> None:
    chat = await dropped_at_year(engine)
    clock.advance(minutes=9)
    assert await chat.send(new_session=True, session_id="s2") == RESUME_EN
    assert await chat.send("1", session_id="s2") == "Year of birth?"
    assert (await chat.state())["data"]["name"] == "Asha"


async def test_starting_again_goes_to_the_menu(engine: Engine[DemoServices]) -> None:
    chat = await dropped_at_year(engine)
    await chat.send(new_session=True, session_id="s2")
    assert await chat.send("2", session_id="s2") == MENU_EN
    assert (await chat.state()).get("data") is None


async def test_resume_in_hindi_and_global_words_at_the_question(
    engine: Engine[DemoServices],
) -> None:
    chat = await dropped_at_year(engine)
    await chat.send(new_session=True, session_id="s2")
    assert await chat.send("हिंदी", session_id="s2") == (
        "भाषा: हिंदी।\nजहाँ छोड़ा था, वहीं से आगे बढ़ें?\n1. हाँ, आगे बढ़ें\n2. फिर से शुरू करें"
    )
    assert await chat.send("3", session_id="s2") == (
        "दिया हुआ नंबर दबाएँ। पीछे के लिए 0।\nजहाँ छोड़ा था, वहीं से आगे बढ़ें?\n1. हाँ, आगे बढ़ें\n2. फिर से शुरू करें"
    )
    assert await chat.send("१", session_id="s2") == "जन्म का वर्ष?"


async def test_after_the_resume_window_a_new_session_starts_afresh(
    engine: Engine[DemoServices], clock: FrozenClock, settings: Settings
) -> None:
    chat = await dropped_at_year(engine)
    clock.advance(seconds=settings.resume_window_seconds + 1)
    assert await chat.send(new_session=True, session_id="s2") == MENU_EN


async def test_a_finished_or_unstarted_conversation_is_not_offered_resume(
    engine: Engine[DemoServices],
) -> None:
    chat = Chat(engine, channel="ussd")
    assert await chat.send(new_session=True, session_id="s1") == MENU_EN
    assert await chat.send(new_session=True, session_id="s2") == MENU_EN
    await chat.send("4", session_id="s2")
    assert chat.last.end
    assert await chat.send(new_session=True, session_id="s3") == MENU_EN


async def test_an_idle_sms_conversation_expires(
    engine: Engine[DemoServices], clock: FrozenClock, settings: Settings
) -> None:
    chat = Chat(engine)
    await chat.send("hi")
    await chat.send("1")
    clock.advance(seconds=settings.conversation_ttl_seconds + 1)
    assert await chat.send("Asha") == f"Your session expired, so we are starting again.\n{MENU_EN}"


async def test_stop_silences_everything_but_start(engine: Engine[DemoServices]) -> None:
    chat = Chat(engine)
    await chat.send("hi")
    await chat.send("1")
    assert await chat.send("STOP") == (
        "You will get no more messages from Arogya. Send START to turn them back on."
    )
    assert await engine.is_opted_out(chat.key)
    for text in ("1", "menu", "help", "हिंदी", "stop"):
        assert await chat.send(text) == ""
        assert chat.last.silent
    assert await chat.send("शुरू") == f"Welcome back! Messages are on again.\n{MENU_EN}"
    assert not await engine.is_opted_out(chat.key)


async def test_stop_in_hindi_and_the_confirmation_in_the_person_language(
    engine: Engine[DemoServices],
) -> None:
    chat = Chat(engine)
    await chat.send("हिंदी")
    assert await chat.send("रोकें") == ("अब आरोग्य से संदेश नहीं आएँगे। फिर पाने के लिए START भेजें।")


async def test_stop_is_plain_text_where_there_is_no_opt_out(engine: Engine[DemoServices]) -> None:
    chat = Chat(engine, channel="ussd")
    await chat.send(new_session=True, session_id="s1")
    await chat.send("1", session_id="s1")
    assert await chat.send("Stop", session_id="s1") == "Year of birth?"
    assert (await chat.state())["data"]["name"] == "Stop"
    assert not await engine.is_opted_out(chat.key)


async def test_a_shortcut_word_leads_into_its_flow(engine: Engine[DemoServices]) -> None:
    chat = Chat(engine)
    assert (await chat.send("Fruit")).startswith("Which fruit do you like best?\n1. Apple from")
    assert await chat.send("12") == f"Good choice!\n{MENU_EN}"
    await chat.send("1")
    assert (await chat.send("फल")).startswith("Which fruit")  # the language stays English
    assert await chat.send("back") == MENU_EN


async def test_a_first_message_in_devanagari_starts_in_hindi(engine: Engine[DemoServices]) -> None:
    chat = Chat(engine)
    assert (await chat.send("फल")).startswith("आपको कौन-सा फल सबसे अच्छा लगता है?\n1. कश्मीर का सेब")
    assert (await Chat(engine, subject="+919812345678").send("नमस्ते")).startswith("डेमो में")


async def test_a_language_hint_starts_a_conversation_in_that_language(
    engine: Engine[DemoServices],
) -> None:
    chat = Chat(engine, channel="telegram", subject="77")
    assert (await chat.send("/start", lang="hi-IN")).startswith("डेमो में आपका स्वागत है।")
    assert await engine.language_of(chat.key) == "hi"
    assert await engine.language_of(ConversationKey("sms", PHONE)) == "en"


async def test_unreadable_or_outdated_state_starts_afresh(engine: Engine[DemoServices]) -> None:
    chat = Chat(engine)
    await engine.state.set_json(chat.key.state_key(), {"flow": 3}, 60)
    assert await chat.send("1") == MENU_EN
    saved = await chat.state()
    saved.update(flow="register", step="removed-step", idle=False)
    await engine.state.set_json(chat.key.state_key(), saved, 60)
    assert await chat.send("1") == MENU_EN
    saved.update(flow="removed-flow", step="x", history=[["removed-flow", "y"]])
    await engine.state.set_json(chat.key.state_key(), saved, 60)
    assert await chat.send("back") == MENU_EN


async def test_forget_drops_the_conversation(engine: Engine[DemoServices]) -> None:
    chat = Chat(engine)
    await chat.send("hi")
    await engine.forget(chat.key)
    assert await engine.state.get_json(chat.key.state_key()) is None
    assert await chat.send("1") == MENU_EN  # not "register": a new conversation
    assert await engine.handle(chat.key, Input(text="1")) != chat.last
