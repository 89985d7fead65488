"""Flows written wrongly fail at startup (or, for run-time targets, fail safe and loud)."""

from __future__ import annotations

import logging

import pytest

from core.clock import FrozenClock
from core.settings import Settings
from core.state import StateStore
from flows import (
    Context,
    ConversationKey,
    Engine,
    Flow,
    FlowError,
    Go,
    Input,
    Menu,
    Next,
    Option,
    Outcome,
    Prompt,
    Step,
    msg,
)
from flows.types import Reply


def make(flows: list[Flow[None]], state: StateStore, settings: Settings) -> Engine[None]:
    return Engine(flows, "main", services=None, state=state, settings=settings)


def test_a_menu_option_to_an_unknown_step_fails_at_startup(
    state: StateStore, settings: Settings
) -> None:
    menu = Menu[None]("menu", "demo.menu", [Option("a", "demo.menu.about", "nowhere")])
    with pytest.raises(FlowError, match=r"main\.menu leads to unknown main\.nowhere"):
        make([Flow("main", [menu])], state, settings)


def test_an_option_into_an_unknown_flow_fails_at_startup(
    state: StateStore, settings: Settings
) -> None:
    menu = Menu[None]("menu", "demo.menu", [Option("a", "demo.menu.about", Go(flow="ghost"))])
    with pytest.raises(FlowError, match="unknown ghost"):
        make([Flow("main", [menu])], state, settings)


def test_the_root_must_exist_and_step_names_be_unique(
    state: StateStore, settings: Settings
) -> None:
    prompt = Prompt[None]("p", "demo.name.ask")
    with pytest.raises(FlowError, match="root flow"):
        Engine([Flow("other", [prompt])], "main", services=None, state=state, settings=settings)
    with pytest.raises(FlowError, match="two steps with one name"):
        Flow("main", [prompt, Prompt[None]("p", "demo.year.ask")])
    with pytest.raises(FlowError, match="no steps"):
        Flow[None]("main", [])


async def test_next_from_the_last_step_is_a_logged_bug_not_a_crash(
    state: StateStore, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    engine = make([Flow("main", [Prompt[None]("only", "demo.name.ask")])], state, settings)
    key = ConversationKey("sms", "+919876543210")
    await engine.handle(key, Input(text="hi"))
    with caplog.at_level(logging.ERROR, logger="flows.engine"):
        reply = await engine.handle(key, Input(text="Asha"))
    assert reply.messages == (msg("engine.try_again"),)
    assert "main.only is the last step" in caplog.text


class Counter(Step[None]):
    """A hand-written step: asks with the count so far, and counts its answers."""

    async def ask(self, ctx: Context[None]) -> Reply:
        return Reply.of(msg("count", n=ctx.data.get("n", 0)))

    async def take(self, ctx: Context[None], answer: Input) -> Outcome:
        ctx.data["n"] = ctx.data.get("n", 0) + 1
        return Go(self.name) if ctx.data["n"] < 3 else Next((msg("done"),))


async def test_a_hand_written_step_keeps_its_data_between_turns(
    state: StateStore, settings: Settings, clock: FrozenClock
) -> None:
    flows = [Flow("main", [Counter("count"), Prompt[None]("after", "demo.name.ask")])]
    engine = Engine(flows, "main", services=None, state=state, settings=settings, clock=clock)
    key = ConversationKey("sms", "+919876543210")
    assert (await engine.handle(key, Input(text="hi"))).messages == (msg("count", n=0),)
    assert (await engine.handle(key, Input(text="x"))).messages == (msg("count", n=1),)
    assert (await engine.handle(key, Input(text="x"))).messages == (msg("count", n=2),)
    reply = await engine.handle(key, Input(text="x"))
    assert reply.messages == (msg("done"), msg("demo.name.ask"))
    assert reply.lang == "en"
