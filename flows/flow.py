"""Flows and steps: how a conversation is written.

Why a step has two halves: on USSD and SMS the question and the answer arrive in different
requests, possibly handled by different processes. `ask` says the question from saved state;
`take` judges the answer and decides what happens next (an `Outcome`). Neither keeps anything in
memory between the two: everything lives in `ctx.data`, which the engine saves.

A flow lists its steps in the order a person meets them; `Next()` moves to the following one.
"""

from __future__ import annotations

import random
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from core.clock import Clock
from flows.outcomes import Go, Outcome
from flows.types import ConversationKey, Input, Param, Reply

#: The services a flow's steps use (`core.services.Services` in Arogya); opaque to the engine.
S = TypeVar("S")


class FlowError(Exception):
    """A flow is written wrongly (an unknown step, a duplicate name): a bug, found at startup
    where it can be, else when the step is reached."""


class Invalid(Exception):
    """Raised by a parser or a step: the answer is not acceptable; say `key` and ask again."""

    def __init__(self, key: str, /, **params: Param) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


@dataclass
class Context(Generic[S]):
    """Everything a step may touch. Steps reach the world only through `services`."""

    services: S
    key: ConversationKey
    flow: str
    step: str
    #: The conversation's language; a step may change it (the "change language" option).
    lang: str
    #: Flow-local JSON data, saved by the engine after a successful turn.
    data: dict[str, Any]
    clock: Clock
    rng: random.Random
    ids: Callable[[], str]

    @property
    def channel(self) -> str:
        return self.key.channel

    @property
    def subject(self) -> str:
        """The phone number (USSD, SMS) or chat id (Telegram) we are talking to."""
        return self.key.subject

    def now(self) -> datetime:
        return self.clock.now()

    def new_id(self) -> str:
        return self.ids()


class Step(ABC, Generic[S]):
    """One question of a flow. Subclass it, or use the helpers in `flows.steps`."""

    #: "0" is an answer here ("0 if none"), not the keypad's "back".
    takes_zero: bool = False

    def __init__(self, name: str, *, help_key: str | None = None) -> None:
        self.name = name
        #: Said when the person asks for help at this step (else the flow's, else the engine's).
        self.help_key = help_key

    @abstractmethod
    async def ask(self, ctx: Context[S]) -> Reply:
        """The question, from `ctx.data`. Keep it free of side effects: it is asked again after
        an error, after "back", after a language switch and on resume."""

    @abstractmethod
    async def take(self, ctx: Context[S], answer: Input) -> Outcome:
        """Judge `answer` (already normalised). Raise `Invalid` or let a core `ArogyaError`
        escape to have the engine say it and ask again."""

    def targets(self) -> Iterator[str | Go]:
        """Steps this step can reach that are known before it runs (checked at startup)."""
        return iter(())


class Flow(Generic[S]):
    """A named list of steps; the first is where the flow starts."""

    def __init__(self, name: str, steps: Sequence[Step[S]], *, help_key: str | None = None) -> None:
        if not steps:
            raise FlowError(f"flow {name!r} has no steps")
        self.name = name
        self.help_key = help_key
        self._order = [step.name for step in steps]
        self._steps = {step.name: step for step in steps}
        if len(self._steps) != len(self._order):
            raise FlowError(f"flow {name!r} has two steps with one name")

    @property
    def entry(self) -> str:
        return self._order[0]

    @property
    def steps(self) -> Sequence[Step[S]]:
        return [self._steps[name] for name in self._order]

    def __contains__(self, step: str) -> bool:
        return step in self._steps

    def step(self, name: str) -> Step[S]:
        try:
            return self._steps[name]
        except KeyError:
            raise FlowError(f"flow {self.name!r} has no step {name!r}") from None

    def after(self, name: str) -> str:
        """The step written after `name`; a flow's last step cannot say `Next()`."""
        index = self._order.index(name) + 1
        if index >= len(self._order):
            raise FlowError(f"{self.name}.{name} is the last step: it cannot go to the next")
        return self._order[index]
