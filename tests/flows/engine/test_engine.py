"""The engine's conversational rules, driven directly: flows, global words, errors, limits."""

from __future__ import annotations

import json

import pytest

from core.clock import FrozenClock
from core.errors import Unavailable
from core.settings import Settings
from core.state import StateStore
from flows import Context, ConversationKey, Engine, Flow, Go, Input, Outcome, Prompt, Reply, msg
from tests.flows.engine.chat import PHONE, Chat
from tests.flows.engine.demo import DemoServices, demo_engine
from tests.flows.engine.fakes import DownStore

MENU_EN = "Welcome to the demo.\n1. Register\n2. Pick a fruit\n3. About\n4. Quit"


async def to_confirm(chat: Chat, name: str = "Asha") -> str:
    await chat.send("hi")
    await chat.send("1")
    await chat.send(name)
    await chat.send("1990")
    return await chat.send("2")


async def test_first_message_shows_the_menu_whatever_it_says(engine: Engine[DemoServices]) -> None:
    chat = Chat(engine)
    assert await chat.send("2") == MENU_EN  # not taken as "pick a fruit": the menu was not seen
    assert await chat.position() == ("main", "menu", None)


async def test_a_whole_registration_ends_with_one_effect(
    engine: Engine[DemoServices], services: DemoServices
) -> None:
    chat = Chat(engine)
    assert await to_confirm(chat) == (
        "Asha, born 1990, nickname asha7. Correct?\n1. Yes, save\n2. Change"
    )
    assert await chat.send("1") == "Thank you, Asha. Your number is R1."
    assert chat.last.end
    assert services.registered == [("Asha", 1990, "asha7")]
    assert (await chat.state())["idle"] is True
    assert await chat.send("1") == MENU_EN  # after the end, a new conversation starts


async def test_a_bad_answer_is_said_and_the_question_asked_again(
    engine: Engine[DemoServices],
) -> None:
    chat = Chat(engine)
    await chat.send("hi")
    await chat.send("1")
    await chat.send("Asha")
    assert await chat.send("20O1") == "Please type a year from 1900 to 2026.\nYear of birth?"
    assert await chat.position() == ("register", "year", None)
    assert await chat.send("") == "Please type your answer.\nYear of birth?"


CHOOSE = "Press a number shown on the screen; 0 to go back."


async def test_out_of_range_choices_name_the_range(engine: Engine[DemoServices]) -> None:
    chat = Chat(engine)
    await chat.send("hi")
    # never "from 1 to 1" (review D8): what to press, and how to go back
    assert await chat.send("9") == f"{CHOOSE}\n{MENU_EN}"
    assert await chat.send("00") == MENU_EN  # 00: the main menu, from anywhere
    await chat.send("9")
    await chat.send("9")
    assert (await chat.send("😀")).startswith(f"{CHOOSE}\nHaving trouble?")


async def test_a_choice_id_from_a_button_is_taken(engine: Engine[DemoServices]) -> None:
    chat = Chat(engine, channel="telegram", subject="4242")
    await chat.send("/start")
    assert await chat.send(choice="about") != ""
    assert await chat.position() == ("about", "text", None)


async def test_back_retraces_and_says_so_at_the_start(engine: Engine[DemoServices]) -> None:
    chat = Chat(engine)
    await chat.send("hi")
    assert await chat.send("back") == f"You are already at the start.\n{MENU_EN}"
    await chat.send("1")
    await chat.send("Asha")
    assert await chat.send("पीछे") == "Your name?"
    assert await chat.send("BACK") == MENU_EN
    assert (await chat.state()).get("history") is None


async def test_menu_from_anywhere_in_both_scripts(engine: Engine[DemoServices]) -> None:
    chat = Chat(engine)
    await chat.send("hi")
    await chat.send("1")
    assert await chat.send(" Menu. ") == MENU_EN
    await chat.send("1")
    assert await chat.send("मेनू") == MENU_EN
    assert await chat.state() == {**await chat.state(), "flow": "main", "step": "menu"}


async def test_help_is_the_step_own_or_the_engine_default(engine: Engine[DemoServices]) -> None:
    chat = Chat(engine)
    await chat.send("hi")
    assert (await chat.send("help")).startswith("Reply with the number of your choice.")
    await chat.send("1")
    assert await chat.send("मदद") == (
        "Type your name as on your ID card, for example Asha Devi.\nYour name?"
    )


async def test_language_switches_mid_flow_and_keeps_the_data(engine: Engine[DemoServices]) -> None:
    chat = Chat(engine)
    await chat.send("hi")
    await chat.send("1")
    await chat.send("Asha")
    assert await chat.send("हिंदी") == "भाषा: हिंदी।\nजन्म का वर्ष?"
    assert await chat.send("१९९०") == "उपनाम चुनें:\n1. asha1\n2. asha7\n3. asha42"
    assert await chat.send("language") == "भाषा / Language\n1. English\n2. हिंदी"
    assert await chat.send("1") == (
        "Language: English.\nChoose a nickname:\n1. asha1\n2. asha7\n3. asha42"
    )
    assert await chat.send("अंग्रेजी") == (
        "Language: English.\nChoose a nickname:\n1. asha1\n2. asha7\n3. asha42"
    )
    assert (await chat.state())["data"]["year"] == 1990


async def test_three_mistakes_offer_help_or_the_menu(engine: Engine[DemoServices]) -> None:
    chat = Chat(engine)
    await chat.send("hi")
    await chat.send("1")
    await chat.send("Asha")
    await chat.send("x")
    await chat.send("y")
    rescue = await chat.send("z")
    assert rescue == (
        "Please type a year from 1900 to 2026.\nHaving trouble?\n"
        "1. Try again\n2. Help\n3. Main menu"
    )
    question = "Having trouble?\n1. Try again\n2. Help\n3. Main menu"
    assert await chat.send("1990") == f"{CHOOSE}\n{question}"
    assert await chat.send("2") == (
        "Reply with the number of your choice. You can also send MENU, BACK, HELP or LANGUAGE.\n"
        "Year of birth?"
    )
    assert (await chat.state()).get("attempts") is None
    for bad in ("x", "y", "z"):
        await chat.send(bad)
    assert await chat.send("3") == MENU_EN


async def test_a_core_refusal_is_translated_and_the_step_asked_again(
    engine: Engine[DemoServices], services: DemoServices
) -> None:
    chat = Chat(engine)
    await to_confirm(chat, name="Taken")
    assert await chat.send("1") == (
        "The name Taken is taken.\nTaken, born 1990, nickname taken7. Correct?\n"
        "1. Yes, save\n2. Change"
    )
    assert services.registered == []
    assert await chat.send("2") == "Your name?"


async def test_a_core_outage_keeps_progress_and_does_not_count_as_a_mistake(
    engine: Engine[DemoServices], services: DemoServices
) -> None:
    chat = Chat(engine)
    await to_confirm(chat)
    services.down = True
    for _ in range(4):
        reply = await chat.send("1")
        assert reply.startswith("Sorry, something went wrong. Please try again in a moment.\nAsha")
    assert await chat.position() == ("register", "confirm", None)
    services.down = False
    assert await chat.send("1") == "Thank you, Asha. Your number is R1."


async def test_a_store_outage_answers_try_again(settings: Settings, clock: FrozenClock) -> None:
    engine = demo_engine(DownStore(), settings, clock)
    chat = Chat(engine)
    assert (
        await chat.send("hi", lang="hi")
        == "माफ़ कीजिए, कुछ गड़बड़ हो गई। कृपया थोड़ी देर बाद फिर कोशिश करें।"
    )
    assert chat.last.end
    assert await engine.language_of(chat.key) == "en"


async def test_a_bug_in_a_step_answers_try_again_and_saves_nothing(
    state: StateStore, settings: Settings, clock: FrozenClock
) -> None:
    def broken(text: str) -> str:
        raise RuntimeError("a bug")

    flows = [Flow[None]("main", [Prompt("ask", "demo.name.ask", parse=broken)])]
    engine = Engine(flows, "main", services=None, state=state, settings=settings, clock=clock)
    key = ConversationKey("sms", PHONE)
    await engine.handle(key, Input(text="hi"))
    before = await state.get_json(key.state_key())
    reply = await engine.handle(key, Input(text="boom"))
    assert reply.messages == (msg("engine.try_again"),)
    assert await state.get_json(key.state_key()) == before


async def test_a_repeated_delivery_gets_the_same_reply_and_has_one_effect(
    engine: Engine[DemoServices], services: DemoServices
) -> None:
    chat = Chat(engine)
    await to_confirm(chat)
    first = await engine.process(chat.key, Input(text="1", delivery_id="m-1"))
    again = await engine.process(chat.key, Input(text="1", delivery_id="m-1"))
    assert not first.duplicate
    assert again.duplicate
    assert again.reply == first.reply
    assert len(services.registered) == 1


@pytest.mark.parametrize("same_id", [True, False])
async def test_twenty_simultaneous_deliveries_leave_one_coherent_state(
    engine: Engine[DemoServices], services: DemoServices, same_id: bool
) -> None:
    import asyncio

    chat = Chat(engine)
    await to_confirm(chat)
    handled = await asyncio.gather(
        *(
            engine.process(chat.key, Input(text="1", delivery_id="d" if same_id else f"d{n}"))
            for n in range(20)
        )
    )
    assert len(services.registered) == 1
    ends = [h for h in handled if h.reply.end]
    assert len(ends) == (20 if same_id else 1)
    assert sum(h.duplicate for h in handled) == (19 if same_id else 0)
    # the same twenty inputs one after another, in another conversation, end in the same state
    alone = Chat(engine, subject="+919812345678")
    await to_confirm(alone)
    for n in range(20):
        await engine.process(alone.key, Input(text="1", delivery_id="e" if same_id else f"e{n}"))
    ignore = {"id", "started", "updated"}
    state, expected = await chat.state(), await alone.state()
    assert {k: v for k, v in state.items() if k not in ignore} == {
        k: v for k, v in expected.items() if k not in ignore
    }


async def test_state_is_greppable_small_and_bounded(
    engine: Engine[DemoServices], state: StateStore
) -> None:
    chat = Chat(engine)
    await to_confirm(chat, name="अ" * 40)
    await chat.send("x" * 10_000)
    await chat.send("\x00\x07" * 5_000 + "😀" * 2_000)
    raw = await state.get_json(f"conv:sms:{PHONE}")
    assert raw is not None
    size = len(json.dumps(raw, ensure_ascii=False).encode())
    assert size < 1024, size


async def test_a_10kb_answer_stored_raw_is_capped_and_state_stays_under_1kb(
    state: StateStore, settings: Settings, clock: FrozenClock
) -> None:
    flows = [
        Flow[None](
            "main",
            [
                Prompt("a", "demo.name.ask", store="a"),
                Prompt("b", "demo.name.ask", store="b"),
                Prompt("c", "demo.name.ask", store="c"),
            ],
        )
    ]
    engine = Engine(flows, "main", services=None, state=state, settings=settings, clock=clock)
    key = ConversationKey("sms", PHONE)
    await engine.handle(key, Input(text="hi"))
    await engine.handle(key, Input(text="ॐ" * 10_000))
    raw = await state.get_json(key.state_key())
    assert raw is not None
    assert len(raw["data"]["a"]) == 160
    assert len(json.dumps(raw, ensure_ascii=False).encode()) < 1024


async def test_reply_json_round_trips(engine: Engine[DemoServices]) -> None:
    chat = Chat(engine)
    await to_confirm(chat)
    reply = chat.last
    assert Reply.from_json(json.loads(json.dumps(reply.to_json()))) == reply


async def catch_ticket(ctx: Context[DemoServices], answer: Input) -> Outcome | None:
    """A catcher like the consent answers: "TICKET <n>" stands on its own."""
    words = (answer.text or "").split()
    if len(words) != 2 or words[0].upper() != "TICKET":
        return None
    if words[1] == "down":
        raise Unavailable("demo.down")
    return Go(flow="register", step="year", data={"ticket": words[1]})


async def test_catchers_take_free_standing_text_only_where_no_question_is_open(
    state: StateStore, settings: Settings, clock: FrozenClock
) -> None:
    engine = demo_engine(state, settings, clock, catchers=(catch_ticket,))
    cold = Chat(engine)
    assert await cold.send("TICKET 7") == "Year of birth?"  # a cold start
    assert await cold.position() == ("register", "year", None)

    at_menu = Chat(engine, subject="+919800000002")
    assert await at_menu.send("hi") == MENU_EN
    assert await at_menu.send("ticket 9") == "Year of birth?"
    assert (await at_menu.state())["data"]["ticket"] == "9"

    mid_flow = Chat(engine, subject="+919800000003")
    await mid_flow.send("hi")
    await mid_flow.send("1")
    assert (await mid_flow.send("TICKET 5")).endswith("Your name?")  # judged as a name
    assert await mid_flow.position() == ("register", "name", None)
    assert "ticket" not in (await mid_flow.state()).get("data", {})

    outage = Chat(engine, subject="+919800000004")
    await outage.send("hi")
    assert await outage.send("TICKET down") == (
        f"Sorry, something went wrong. Please try again in a moment.\n{MENU_EN}"
    )
    assert await outage.position() == ("main", "menu", None)
    assert await outage.send("2") != MENU_EN  # the menu still answers


async def test_an_unprompted_input_is_caught_mid_flow_and_the_step_is_kept_behind_it(
    state: StateStore, settings: Settings, clock: FrozenClock
) -> None:
    engine = demo_engine(state, settings, clock, catchers=(catch_ticket,))
    chat = Chat(engine)
    await chat.send("hi")
    await chat.send("1")
    assert await chat.send("TICKET 5", unprompted=True) == "Year of birth?"  # a notice's button
    assert (await chat.state())["data"]["ticket"] == "5"
    assert await chat.send("back") == "Your name?"  # the step it interrupted is behind it

    for _ in range(2):  # wrong names, until the engine asks its own "trouble?" question
        await chat.send("20O1")
    assert "Having trouble?" in await chat.send("20O1")
    assert (await chat.position())[2] == "rescue"
    # text no catcher knows changes nothing about the rule that applies: the question stays
    assert (await chat.send("hello", unprompted=True)).startswith(CHOOSE)
    assert (await chat.position())[2] == "rescue"
