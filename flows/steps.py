"""Ready-made steps for the shapes most questions take: a menu, a pick-one-of-these, a prompt.

Why helpers: most of a Health ID conversation is "choose one" or "type this"; written by hand
each would repeat the same number parsing, range errors and storing. With these a flow reads as
the list of its questions:

    Flow("register", [
        Prompt("name", "demo.name.ask", parse=parse_name, store="name"),
        Prompt("year", "demo.year.ask", parse=parse_year, store="year"),
        Menu("confirm", summary, [Option("yes", "demo.yes", save),
                                  Option("no", "demo.edit", "name")]),
    ])
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Generic

from flows.flow import Context, Invalid, S, Step
from flows.outcomes import Go, Next, Outcome, retry
from flows.types import Choice, Input, Message, Reply, keyed, msg, numbered

#: A question's text: a key, a message, or a message computed from the context (a summary).
Text = str | Message | Callable[[Context[S]], Message]
#: Where an answer leads: a step of this flow, any `Go`, or a coroutine deciding at run time.
Target = str | Go | Callable[[Context[S]], Awaitable[Outcome]]


def say(ctx: Context[S], text: Text[S]) -> Message:
    if isinstance(text, str):
        return msg(text)
    if isinstance(text, Message):
        return text
    return text(ctx)


async def reach(ctx: Context[S], target: Target[S]) -> Outcome:
    if isinstance(target, str):
        return Go(target)
    if isinstance(target, Go):
        return target
    return await target(ctx)


def match_choice(choices: Sequence[Choice], answer: Input) -> Choice | None:
    """The choice `answer` names: by id (a button), by its fixed key ("98"), by number (1..n,
    counting only the choices without a key) or by typing the id."""
    by_id = {choice.id: choice for choice in choices}
    if answer.choice is not None:
        return by_id.get(answer.choice)
    text = answer.text or ""
    for choice in keyed(choices):
        if text == choice.key:
            return choice
    counted = numbered(choices)
    if text.isascii() and text.isdigit() and 1 <= int(text) <= len(counted):
        return counted[int(text) - 1]
    return {choice.id.casefold(): choice for choice in choices}.get(answer.word)


@dataclass(frozen=True, slots=True)
class Option(Generic[S]):
    """One line of a `Menu`: its id, its label key, and where choosing it leads."""

    id: str
    label: str
    to: Target[S]


class Menu(Step[S]):
    """A fixed list of numbered options."""

    def __init__(
        self,
        name: str,
        prompt: Text[S],
        options: Sequence[Option[S]],
        *,
        help_key: str | None = None,
    ) -> None:
        super().__init__(name, help_key=help_key)
        self.prompt = prompt
        self.options = list(options)
        self._choices = tuple(Choice(option.id, option.label) for option in self.options)

    async def ask(self, ctx: Context[S]) -> Reply:
        return Reply(messages=(say(ctx, self.prompt),), choices=self._choices)

    async def take(self, ctx: Context[S], answer: Input) -> Outcome:
        choice = match_choice(self._choices, answer)
        if choice is None:
            return retry("engine.choose", max=len(self._choices))
        option = next(o for o in self.options if o.id == choice.id)
        return await reach(ctx, option.to)

    def targets(self) -> Iterator[str | Go]:
        return (o.to for o in self.options if isinstance(o.to, str | Go))


class Pick(Step[S]):
    """Choose one of values computed when asked (suggested ABHA addresses, say).

    The offered values are kept in `ctx.data` so the answer is judged against what the person
    saw. The chosen value is stored under `store`; `then` decides what follows (default: the
    next step). A coroutine `then` declares the steps it may go to in `leads_to`.
    """

    def __init__(
        self,
        name: str,
        prompt: Text[S],
        values: Callable[[Context[S]], Awaitable[Sequence[str]]],
        *,
        store: str,
        then: Callable[[Context[S], str], Awaitable[Outcome]] | str | None = None,
        leads_to: Sequence[str | Go] = (),
        help_key: str | None = None,
    ) -> None:
        super().__init__(name, help_key=help_key)
        self.prompt = prompt
        self.values = values
        self.store = store
        self.then = then
        self.leads_to = tuple(leads_to)
        self._offered = f"{name}.offered"

    async def ask(self, ctx: Context[S]) -> Reply:
        offered = [str(value) for value in await self.values(ctx)]
        ctx.data[self._offered] = offered
        choices = tuple(
            Choice(str(n), "engine.verbatim", {"text": value}) for n, value in enumerate(offered, 1)
        )
        return Reply(messages=(say(ctx, self.prompt),), choices=choices)

    async def take(self, ctx: Context[S], answer: Input) -> Outcome:
        offered: list[str] = ctx.data.get(self._offered, [])
        choices = tuple(Choice(str(n), "engine.verbatim") for n in range(1, len(offered) + 1))
        choice = match_choice(choices, answer)
        if choice is None:
            return retry("engine.choose", max=len(offered))
        value = offered[int(choice.id) - 1]
        ctx.data.pop(self._offered, None)
        ctx.data[self.store] = value
        if self.then is None:
            return Next()
        if isinstance(self.then, str):
            return Go(self.then)
        return await self.then(ctx, value)

    def targets(self) -> Iterator[str | Go]:
        return iter([*([self.then] if isinstance(self.then, str) else []), *self.leads_to])


class Prompt(Step[S]):
    """Ask for text, parse it, store it, move on.

    `parse` turns the text into the value to keep (raising `Invalid` or a core `InvalidInput`
    for a bad one); `store` names the `ctx.data` field; `then` is where to go (default: the next
    step), or a coroutine given the parsed value that decides (and may call core), declaring
    the steps it may go to in `leads_to`.
    """

    def __init__(
        self,
        name: str,
        prompt: Text[S],
        *,
        parse: Callable[[str], Any] = str,
        store: str | None = None,
        then: Callable[[Context[S], Any], Awaitable[Outcome]] | str | None = None,
        leads_to: Sequence[str | Go] = (),
        help_key: str | None = None,
        request_contact: bool = False,
        takes_zero: bool = False,
    ) -> None:
        super().__init__(name, help_key=help_key)
        self.takes_zero = takes_zero
        self.prompt = prompt
        self.parse = parse
        self.store = store
        self.then = then
        self.leads_to = tuple(leads_to)
        self.request_contact = request_contact

    async def ask(self, ctx: Context[S]) -> Reply:
        return Reply(messages=(say(ctx, self.prompt),), request_contact=self.request_contact)

    async def take(self, ctx: Context[S], answer: Input) -> Outcome:
        text = answer.contact or answer.text
        if not text:
            raise Invalid("engine.empty")
        value = self.parse(text)
        if self.store is not None:
            ctx.data[self.store] = value
        if self.then is None:
            return Next()
        if isinstance(self.then, str):
            return Go(self.then)
        return await self.then(ctx, value)

    def targets(self) -> Iterator[str | Go]:
        return iter([*([self.then] if isinstance(self.then, str) else []), *self.leads_to])
